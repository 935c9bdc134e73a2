#!/usr/bin/python3
"""A hostile local user against the inspection (issue 14, items 1-3 and 8), on a lab host of
its own (real sshd): a root-only script with a canary secret named by the user's crontab, a
symlink flipped between a 0755 script and a root-only canary file during repeated scans, a
FIFO named as a job's program. Asserts that no canary (nor a secret file's sha256) reaches the
catalog's bytes (db, -wal, -shm) or any report format, that the job naming the root-only script
has the flag target-unreadable-by-owner, and that the host is ok or partial in every scan.

Usage: test_inspect.py DIGGER_SCAN LAB_DIR [RUNS]
"""

import hashlib
import os
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "..", "lab")
sys.path.insert(0, LAB)
sys.path.insert(0, os.path.join(HERE, "..", "scan"))

import scanlab  # noqa: E402
import own_lab  # noqa: E402
from labkit import hostile  # noqa: E402


def catalog_bytes(db):
    out = b""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            with open(db + suffix, "rb") as f:
                out += f.read()
    return out


def needles(p):
    """Every form in which a secret file's content could show: the canaries, and the hashes."""
    found = [c.encode() for c in p.canaries()]
    found += [hashlib.sha256(t).hexdigest().encode() for t in (p.root_only_text, p.flip_text)]
    return found


def check_leaks(checks, where, data, p):
    for n in needles(p):
        checks.expect(n not in data, f"{where}: holds {n.decode()!r}")


def check_scan(checks, db, p, scan_id):
    con = sqlite3.connect(db)
    rows = con.execute(
        "select r.status, r.reason from host_results r where r.scan_id = ?", (scan_id,)).fetchall()
    checks.expect(len(rows) == 1, f"scan {scan_id}: {len(rows)} host results")
    for status, reason in rows:
        checks.expect(status in ("ok", "partial"), f"scan {scan_id}: host {status} ({reason})")
    jobs = {}
    for target, flags in con.execute(
            "select e.target, e.flags from entries e join cron_sources s on s.id = e.source_id "
            "join host_results r on r.id = s.host_result_id where r.scan_id = ? and e.kind = 'job'",
            (scan_id,)).fetchall():
        jobs[scanlab.as_text(target)] = (flags or "").split("\n")
    con.close()
    for path in (p.root_only, p.flip, p.fifo):
        checks.expect(path in jobs, f"scan {scan_id}: no job runs {path} (crontab not recorded?)")
    checks.expect("target-unreadable-by-owner" in jobs.get(p.root_only, []),
                  f"scan {scan_id}: {p.root_only} lacks target-unreadable-by-owner: "
                  f"{jobs.get(p.root_only)}")


def check(binary, lab_dir, runs):
    checks = scanlab.Checks()
    host = scanlab.truth(lab_dir)["hosts"][0]
    p = hostile.plant(lab_dir, host)
    db = os.path.join(lab_dir, "hostile.db")
    for suffix in ("", "-wal", "-shm", ".known_hosts"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    scanlab.scan(binary, lab_dir, db, check=(0, 1, 2))
    with hostile.Flipper(p) as flipper:
        for _ in range(runs):
            scanlab.scan(binary, lab_dir, db, check=(0, 1, 2))
    print(f"{runs} scans while the link flipped {flipper.flips} times")
    checks.expect(flipper.flips > runs, f"the link flipped only {flipper.flips} times")
    con = sqlite3.connect(db)
    scan_ids = [r[0] for r in con.execute("select id from scans order by id").fetchall()]
    con.close()
    checks.expect(len(scan_ids) == runs + 1, f"{len(scan_ids)} scans in the catalog")
    for scan_id in scan_ids:
        check_scan(checks, db, p, scan_id)
    check_leaks(checks, "catalog", catalog_bytes(db), p)
    for fmt in ("table", "json", "csv", "html"):
        for scan_id in scan_ids:
            out = scanlab.run(binary, "report", "--db", db, "--scan", str(scan_id), "--all",
                              "--full", "--format", fmt)
            checks.expect(out.returncode == 0, f"report --format {fmt} --scan {scan_id} exited "
                          f"{out.returncode}: {out.stderr[-300:]!r}")
            check_leaks(checks, f"report --format {fmt} --scan {scan_id}", out.stdout, p)
    checks.finish()


def main(binary, lab_dir, runs):
    return own_lab.run(lab_dir, lambda d: check(binary, d, runs), "--hosts", "1", "--seed", "14",
                       "--faults", "none")



if __name__ == "__main__":
    sys.exit(main(os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2]),
                  int(sys.argv[3]) if len(sys.argv) > 3 else 20))
