"""A catalog write error never aborts a scan (issue 14, item 5): with the catalog's write lock
held by another process past the busy timeout, or with the disk full under it, the scan ends
with exit 3 and one line saying why (no std::terminate, no core), every host committed before
stays, and --resume completes the scan afterwards."""
import errno
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import scanlab  # noqa: E402

scanlab.need_root()
if os.environ.get("DIGGER_PRIVATE_MOUNTS") != "1":
    # The tmpfs of the disk-full case is mounted in a mount namespace of our own: nothing
    # leaks to the machine, and it disappears with this process whatever happens.
    env = dict(os.environ, DIGGER_PRIVATE_MOUNTS="1")
    os.execvpe("unshare", ["unshare", "--mount", "--propagation", "private", sys.executable,
                           *sys.argv], env)

binary = sys.argv[1]
lab = scanlab.lab_dir()
checks = scanlab.Checks()
expect = checks.expect


def args(db, inventory, *extra):
    return [binary, "--inventory", inventory, "-i", os.path.join(lab, "id_ed25519"), "--known-hosts",
            os.path.join(lab, "known_hosts"), "--sudo", "--db", db, "--timeout", "20", "--quiet", *extra]


def recorded_hosts(db):
    """(name, port, status) of every host committed so far; empty while nothing is readable."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        rows = con.execute("select h.name, h.port, r.status from host_results r "
                           "join hosts h on h.id = r.host_id").fetchall()
        con.close()
        return set(rows)
    except sqlite3.Error:
        return set()


def scan_statuses(db):
    con = sqlite3.connect(db)
    rows = con.execute("select id, status from scans").fetchall()
    con.close()
    return rows


def wait_for_hosts(db, proc, count):
    deadline = time.monotonic() + 120
    while len(recorded_hosts(db)) < count and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return recorded_hosts(db)


def check_failed_scan(case, proc, err, before, db, total):
    text = err.decode(errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    expect(proc.returncode == 3, f"{case}: exit {proc.returncode}, expected 3: {text[-400:]!r}")
    expect("terminate" not in text and "core dumped" not in text, f"{case}: aborted: {text[-300:]!r}")
    expect(len(lines) == 1 and "interrupted" in lines[0] and "--resume" in lines[0],
           f"{case}: stderr is not one line naming the interruption: {text[-400:]!r}")
    after = recorded_hosts(db)
    expect(before and before <= after, f"{case}: hosts committed before the error were lost: "
                                       f"{len(before - after)} of {len(before)}")
    expect(len(after) < total, f"{case}: every host recorded ({len(after)}): the error never hit")
    # Marked interrupted when the catalog took that last write; otherwise left running with its
    # scan lock released, which --resume reads as interrupted.
    status = scan_statuses(db)
    expect(status in ([(1, "interrupted")], [(1, "running")]), f"{case}: scans after exit: {status}")


def resume_completes(case, db, inventory, total):
    resumed = scanlab.run(binary, *args(db, inventory, "--resume", "--concurrency", "16")[1:])
    expect(resumed.returncode in (0, 1), f"{case}: --resume exited {resumed.returncode}: "
                                         f"{resumed.stderr.decode(errors='replace')[-300:]}")
    con = sqlite3.connect(db)
    per_host = con.execute("select count(*), count(distinct host_id) from host_results").fetchone()
    con.close()
    expect(scan_statuses(db) == [(1, "complete")], f"{case}: after --resume: {scan_statuses(db)}")
    expect(per_host == (total, total), f"{case}: after --resume: {per_host} results for {total} hosts")


def locked_catalog(tmp, inventory, total):
    """Another process takes the write lock (BEGIN IMMEDIATE) mid-scan and keeps it."""
    db = os.path.join(tmp, "locked.db")
    proc = subprocess.Popen(args(db, inventory, "--concurrency", "2"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    wait_for_hosts(db, proc, 6)
    locker = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys\n"
         "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "con.execute('BEGIN IMMEDIATE')\n"
         "print('locked', flush=True)\n"
         "sys.stdin.read()\n", db],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    expect(locker.stdout.readline().strip() == b"locked", "locked: the locker did not get the lock")
    before = recorded_hosts(db)
    _, err = proc.communicate(timeout=300)
    locker.stdin.close()
    locker.wait(timeout=30)
    check_failed_scan("locked", proc, err, before, db, total)
    resume_completes("locked", db, inventory, total)


def fill(path):
    """Writes until the file system has no byte left."""
    with open(path, "wb", buffering=0) as f:
        for size in (1 << 20, 1 << 12, 1):
            block = b"\0" * size
            try:
                while True:
                    f.write(block)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise


def full_disk(tmp, inventory, total):
    """The catalog's file system fills up mid-scan (a small tmpfs, private to this test)."""
    mount = os.path.join(tmp, "small")
    os.mkdir(mount)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", mount], check=True)
    try:
        db = os.path.join(mount, "full.db")
        filler = os.path.join(mount, "filler")
        proc = subprocess.Popen(args(db, inventory, "--concurrency", "2"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        before = wait_for_hosts(db, proc, 6)
        fill(filler)
        before = recorded_hosts(db) or before
        _, err = proc.communicate(timeout=300)
        check_failed_scan("disk full", proc, err, before, db, total)
        os.remove(filler)
        resume_completes("disk full", db, inventory, total)
    finally:
        subprocess.run(["umount", mount], check=False)


with tempfile.TemporaryDirectory() as tmp:
    os.environ["HOME"] = tmp
    os.environ.pop("SSH_AUTH_SOCK", None)
    inventory = os.path.join(tmp, "hosts.txt")
    # Slow fault hosts would only make the test longer; they are covered elsewhere.
    total = scanlab.sub_inventory(lab, inventory, lambda h: h["fault"] not in ("tarpit", "stall", "bigfile"))
    locked_catalog(tmp, inventory, total)
    full_disk(tmp, inventory, total)

checks.finish()
