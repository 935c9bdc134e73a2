"""User errors get one clear line and a distinct exit code, and never touch what is on disk:
a bad inventory line (2), no key (2), a corrupt or foreign catalog (3, file unchanged), a
catalog another scan is writing (3)."""
import fcntl
import json
import os
import socket
import subprocess
import sys
import tempfile

binary = sys.argv[1]
problems = []


def expect(cond, message):
    if not cond:
        problems.append(message)


def run(*args, home):
    env = dict(os.environ, HOME=home)
    env.pop("SSH_AUTH_SOCK", None)
    return subprocess.run([binary, *args], capture_output=True, env=env, timeout=120)


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


with tempfile.TemporaryDirectory() as tmp:
    key = os.path.join(tmp, "id_ed25519")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    good = os.path.join(tmp, "hosts.txt")
    with open(good, "w") as f:
        f.write(f"# one host that refuses connections\n127.0.0.1:{closed_port()} team=qa\n")

    bad = os.path.join(tmp, "bad.txt")
    with open(bad, "w") as f:
        f.write("web-01\n\nweb-02:notaport\n")
    p = run("--inventory", bad, "-i", key, "--db", os.path.join(tmp, "x.db"), home=tmp)
    expect(p.returncode == 2, f"bad inventory: exit {p.returncode}")
    expect(f"{bad}:3:".encode() in p.stderr and p.stderr.count(b"\n") == 1,
           f"bad inventory message: {p.stderr!r}")
    expect(not os.path.exists(os.path.join(tmp, "x.db")), "a bad inventory created the catalog")

    p = run("--inventory", good, "--db", os.path.join(tmp, "y.db"), home=tmp)
    expect(p.returncode == 2 and b"no usable SSH identity" in p.stderr, f"no key: {p.returncode} {p.stderr!r}")

    for name, content in (("corrupt.db", b"SQLite format 3\x00" + os.urandom(8192)),
                          ("notes.db", b"these are my notes, not a database\n" * 100)):
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(content)
        p = run("--inventory", good, "-i", key, "--db", path, home=tmp)
        expect(p.returncode == 3, f"{name}: exit {p.returncode} {p.stderr!r}")
        expect(path.encode() in p.stderr and p.stderr.count(b"\n") == 1, f"{name}: {p.stderr!r}")
        expect(open(path, "rb").read() == content, f"{name} was modified")
        expect(not os.path.exists(path + "-wal"), f"{name} got a WAL file")

    db = os.path.join(tmp, "digger.db")
    p = run("--inventory", good, "-i", key, "--db", db, home=tmp)
    expect(p.returncode == 1 and b"unreachable" in p.stdout, f"refused host: {p.returncode} {p.stdout!r}")
    with open(db + "-scanlock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = run("--inventory", good, "-i", key, "--db", db, home=tmp)
        expect(p.returncode == 3 and b"another scan" in p.stderr, f"concurrent scan: {p.returncode} {p.stderr!r}")
    p = run("--inventory", good, "-i", key, "--db", db, "--summary-format", "json", home=tmp)
    expect(p.returncode == 1 and b'"scan_id": 2' in p.stdout, f"after the lock: {p.returncode} {p.stdout[:200]!r}")
    # -q silences the progress and the default summary, not the summary asked for by format.
    p = run("--inventory", good, "-i", key, "--db", db, "-q", "--summary-format", "json", home=tmp)
    try:
        summary = json.loads(p.stdout)
    except ValueError:
        summary = {}
    expect(p.returncode == 1 and summary.get("scan_id") == 3 and summary.get("hosts") == 1,
           f"-q --summary-format json: {p.returncode} {p.stdout[:200]!r}")
    p = run("--inventory", good, "-i", key, "--db", db, "-q", home=tmp)
    expect(p.returncode == 1 and p.stdout == b"", f"-q printed: {p.stdout[:200]!r}")

for p in problems:
    print(p)
print(f"{len(problems)} problems")
sys.exit(1 if problems else 0)
