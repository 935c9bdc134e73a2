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
    # Does it run: every job of a healthy host has a run verdict, whatever its source (cron
    # lines from the log, run-parts scripts from their line, timers from systemd's table); at
    # jobs get theirs when the report loads (waiting), so the catalog has none for them.
    healthy = {(t["address"], t["port"]) for t in truth["hosts"] if t["fault"] is None}
    unjudged = {}
    for name, port, kind in con.execute(
            "select h.name, h.port, s.kind from entries e join cron_sources s on s.id = e.source_id "
            "join host_results r on r.id = s.host_result_id join hosts h on h.id = r.host_id "
            "left join entry_runs x on x.entry_id = e.id "
            "where e.kind = 'job' and s.kind != 'at' and x.entry_id is null").fetchall():
        if (scanlab.as_text(name), port) in healthy:
            unjudged[kind] = unjudged.get(kind, 0) + 1
    if unjudged:
        problems.append(f"jobs with no run verdict, by source kind: {unjudged}")
    judged_kinds = {k for (k,) in con.execute(
        "select distinct s.kind from entry_runs x join entries e on e.id = x.entry_id "
        "join cron_sources s on s.id = e.source_id")}
    for kind in ("user", "cron.d", "run-parts", "timer"):
        if kind not in judged_kinds:
            problems.append(f"no job of kind {kind} has a run verdict: the lab lost that source")
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
