"""A scan of the whole lab: every healthy host's catalog equals the ground truth, every fault host
has its intended status, tarpits cost only their deadline, nothing outside cron files is read."""
import os
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import scanlab  # noqa: E402

scanlab.need_root()
binary = sys.argv[1]
lab = scanlab.lab_dir()
truth = scanlab.truth(lab)
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "digger.db")
    started = time.monotonic()
    proc = scanlab.scan(binary, lab, db, check={1})
    elapsed = time.monotonic() - started
    got = scanlab.host_results(db)
    problems = []
    for t in truth["hosts"]:
        key = (t["address"], t["port"])
        if key not in got:
            problems.append(f"{t['name']}: no result in the catalog")
            continue
        if t["fault"] in (None, "garbage", "hostile", "shadowlink", "clock", "unreadable"):
            scanlab.compare_host(t, got[key], problems)
        elif got[key]["status"] != t["expected_status"]:
            problems.append(f"{t['name']} (fault {t['fault']}): status {got[key]['status']} "
                            f"({got[key]['reason']}), expected {t['expected_status']}")
    if len(got) != len(truth["hosts"]):
        problems.append(f"{len(got)} hosts recorded, {len(truth['hosts'])} in the inventory")
    # The symlink to /etc/shadow is reported, never followed: its canary is nowhere.
    raw = open(db, "rb").read() + (open(db + "-wal", "rb").read() if os.path.exists(db + "-wal") else b"")
    if truth["shadow_canary"].encode() in raw:
        problems.append("the /etc/shadow canary reached the catalog")
    con = sqlite3.connect(db)
    links = con.execute("select count(*) from cron_sources where read_error like "
                        "'symbolic link to %' and loaded_by_daemon = 0").fetchone()[0]
    if not links:
        problems.append("the shadowlink symlink was not recorded")
    # File names like "$(touch digger-lab-pwned)" are data: nothing on any host ran them.
    for top in ("/root", "/home", "/tmp", "/dev/shm/digger-lab"):
        for dirpath, _dirs, files in os.walk(top):
            if "digger-lab-pwned" in files:
                problems.append(f"a hostile file name was executed: {dirpath}/digger-lab-pwned")
    # A tarpit costs its deadline (20 s), not more: generous slack for a loaded 2-core machine.
    if elapsed > 20 + 60:
        problems.append(f"scan took {elapsed:.1f} s: slow hosts delayed it beyond their deadline")
    for p in problems[:60]:
        print(p)
    print(f"{len(truth['hosts'])} hosts, {len(problems)} problems, {elapsed:.1f} s")
    sys.exit(1 if problems else 0)
