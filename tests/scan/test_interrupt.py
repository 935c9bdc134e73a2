"""Ctrl-C in the middle of a scan keeps every finished host, marks the scan interrupted, and
--resume completes it: the union equals a clean scan of the same hosts."""
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import scanlab  # noqa: E402

scanlab.need_root()
binary = sys.argv[1]
lab = scanlab.lab_dir()
checks = scanlab.Checks()
expect = checks.expect


def args(db, inventory, *extra):
    return [binary, "--inventory", inventory, "-i", os.path.join(lab, "id_ed25519"), "--known-hosts",
            os.path.join(lab, "known_hosts"), "--sudo", "--db", db, "--timeout", "20", "--quiet", *extra]


def recorded(db):
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        n = con.execute("select count(*) from host_results").fetchone()[0]
        con.close()
        return n
    except sqlite3.Error:
        return 0


def contents(db, scan_id):
    """Everything a scan learned, independent of the order hosts finished in."""
    out = {}
    for key, host in scanlab.host_results(db, scan_id).items():
        lines = set()
        for path, src in host["sources"].items():
            for n, e in src["entries"].items():
                lines.add((path, n, e["kind"], e["command"], e["language"], e["owner"]))
        out[key] = (host["status"], frozenset(lines))
    return out


with tempfile.TemporaryDirectory() as tmp:
    os.environ["HOME"] = tmp
    os.environ.pop("SSH_AUTH_SOCK", None)
    inventory = os.path.join(tmp, "hosts.txt")
    # Slow fault hosts would only make the test longer; they are covered elsewhere.
    total = scanlab.sub_inventory(lab, inventory, lambda h: h["fault"] not in ("tarpit", "stall", "bigfile"))

    db = os.path.join(tmp, "interrupted.db")
    proc = subprocess.Popen(args(db, inventory, "--concurrency", "3"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while recorded(db) < 20 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    first = recorded(db)
    con = sqlite3.connect(db)
    status = con.execute("select status from scans").fetchall()
    con.close()
    expect(proc.returncode == 1, f"interrupted scan exited {proc.returncode}: {err.decode()[-300:]}")
    expect(status == [("interrupted",)], f"scan status after SIGINT: {status}")
    expect(20 <= first < total, f"{first} of {total} hosts recorded before the interrupt")

    resumed = scanlab.run(binary, *args(db, inventory, "--resume", "--concurrency", "16")[1:])
    con = sqlite3.connect(db)
    rows = con.execute("select id, status from scans").fetchall()
    per_host = con.execute("select count(*), count(distinct host_id) from host_results").fetchone()
    con.close()
    expect(rows == [(1, "complete")], f"after --resume: {rows} ({resumed.stderr.decode()[-300:]})")
    expect(per_host == (total, total), f"after --resume: {per_host} results for {total} hosts")

    clean = os.path.join(tmp, "clean.db")
    scanlab.run(binary, *args(clean, inventory, "--concurrency", "16")[1:])
    a, b = contents(db, 1), contents(clean, 1)
    expect(a == b, f"resumed scan differs from a clean scan on {sum(a.get(k) != v for k, v in b.items())} hosts")

    # Nothing to resume any more: a clear usage error.
    again = scanlab.run(binary, *args(db, inventory, "--resume")[1:])
    expect(again.returncode == 2 and b"no interrupted scan" in again.stderr,
           f"--resume with nothing to resume: {again.returncode} {again.stderr!r}")

checks.finish()
