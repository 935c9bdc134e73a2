"""A stand-in for Digger's collector, used by the lab's own tests: read one host over the
system ssh client and compare what it holds with truth.json.

The remote side is a short Python program sent on stdin. It never follows symlinks and never
reads a file bigger than 1 MiB (it hashes it instead), so the shadowlink and bigfile hosts are
safe to probe.
"""

import base64
import json
import subprocess

REMOTE = r'''
import base64, hashlib, json, os, pwd, grp, socket, stat
def b64(b): return base64.b64encode(b).decode()
def name(f, i):
    try: return f(i)[0]
    except KeyError: return str(i)
out = {"hostname": socket.gethostname(), "entries": [], "errors": []}
try: out["localtime"] = os.readlink("/etc/localtime")
except OSError as e: out["localtime"] = None
with open("/etc/os-release") as f:
    out["os_id"] = [l.split("=", 1)[1].strip() for l in f if l.startswith("ID=")][0]
def visit(path):
    try: st = os.lstat(path)
    except OSError as e:
        out["errors"].append([b64(path), e.strerror]); return
    e = {"path": b64(path), "uid": st.st_uid, "owner": name(pwd.getpwuid, st.st_uid),
         "group": name(grp.getgrgid, st.st_gid), "mode": "%04o" % stat.S_IMODE(st.st_mode), "size": st.st_size}
    if stat.S_ISLNK(st.st_mode):
        e.update(type="l", target=b64(os.readlink(path)))
    elif stat.S_ISDIR(st.st_mode):
        e["type"] = "d"
        try: names = sorted(os.listdir(path))
        except OSError as err:
            out["errors"].append([b64(path), err.strerror]); names = []
        for n in names: visit(os.path.join(path, n))
    elif stat.S_ISREG(st.st_mode):
        e["type"] = "f"
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as f:
                h = hashlib.sha256()
                data = b""
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk: break
                    h.update(chunk)
                    if st.st_size <= 1 << 20: data += chunk
            e.update(sha256=h.hexdigest(), content=b64(data) if st.st_size <= 1 << 20 else None)
        except OSError as err:
            out["errors"].append([b64(path), err.strerror])
    out["entries"].append(e)
for p in (b"/etc/crontab", b"/etc/cron.d", b"/var/spool/cron"):
    visit(p)
print(json.dumps(out))
'''


def ssh_argv(lab_dir, host, command, extra=()):
    return ["ssh", "-F", lab_dir + "/ssh_config", *extra, host["name"], command]


def read_host(lab_dir, host, timeout=60):
    """Runs the remote reader (through sudo -n for non-root logins); returns the parsed dict."""
    command = "/usr/bin/python3 -" if host["user"] == "root" else "sudo -n /usr/bin/python3 -"
    proc = subprocess.run(ssh_argv(lab_dir, host, command), input=REMOTE.encode(), capture_output=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError("%s: ssh exit %d: %s" % (host["name"], proc.returncode, proc.stderr.decode()[-300:]))
    data = json.loads(proc.stdout)
    for e in data["entries"]:
        e["path"] = base64.b64decode(e["path"]).decode("utf-8", "surrogateescape")
        if "target" in e:
            e["target"] = base64.b64decode(e["target"]).decode()
        if e.get("content") is not None:
            e["content"] = base64.b64decode(e["content"])
    data["errors"] = [[base64.b64decode(p).decode("utf-8", "surrogateescape"), msg] for p, msg in data["errors"]]
    return data


def compare(host, seen, with_spool=True):
    """Differences between a host's truth and what was read from it; empty when they match."""
    problems = []
    entries = {e["path"]: e for e in seen["entries"]}
    want = {f["path"]: f for f in host["files"] if with_spool or not f["path"].startswith("/var/spool/")}
    # Debian's at spool lies under /var/spool/cron: its jobs are sources (extra_files), checked
    # with the others by test_hidden.py.
    got = {p for p, e in entries.items() if e["type"] in "fl" and (with_spool or not p.startswith("/var/spool/"))
           and not p.startswith("/var/spool/cron/atjobs/")}
    if set(want) != got:
        problems.append("files differ: missing %s, unexpected %s" % (sorted(set(want) - got), sorted(got - set(want))))
    for path, f in want.items():
        e = entries.get(path)
        if e is None:
            continue
        if f.get("symlink_to"):
            if e["type"] != "l" or e["target"] != f["symlink_to"]:
                problems.append("%r: want a symlink to %s" % (path, f["symlink_to"]))
            continue
        for key in ("owner", "group", "mode", "sha256", "size"):
            if e.get(key) != f[key]:
                problems.append("%r: %s is %r, want %r" % (path, key, e.get(key), f[key]))
        if f["lines"] is not None and e.get("content") is not None:
            text = b"".join((bytes.fromhex(line["text_hex"]) if line.get("text") is None
                             else line["text"].encode()) + b"\n" for line in f["lines"])
            if text != e["content"]:
                problems.append("%r: the truth's lines do not rebuild the file" % path)
    if with_spool:
        for d in host["spool_dirs"]:
            e = entries.get(d["path"])
            if e is None or (e["owner"], e["group"], e["mode"]) != (d["owner"], d["group"], d["mode"]):
                problems.append("spool dir %s is %r, want %r" % (d["path"], e and (e["owner"], e["group"], e["mode"]),
                                                                 (d["owner"], d["group"], d["mode"])))
    if seen["hostname"] != host["name"]:
        problems.append("hostname %r" % seen["hostname"])
    if seen["os_id"].strip('"') != host["os"]["id"]:
        problems.append("os id %r" % seen["os_id"])
    tz = (seen["localtime"] or "").replace("/usr/share/zoneinfo/", "")
    if tz != host["timezone"]:
        problems.append("time zone %r, want %r" % (tz, host["timezone"]))
    return problems


PATHS_REMOTE = r'''
import hashlib, json, os, pwd, grp, stat, subprocess, sys
def name(f, i):
    try: return f(i)[0]
    except KeyError: return str(i)
req = json.loads(sys.stdin.readline())
out = {}
for p in req["paths"]:
    try: st = os.lstat(p)
    except OSError as e:
        out[p] = {"exists": False, "error": e.strerror}; continue
    e = {"exists": True, "owner": name(pwd.getpwuid, st.st_uid), "group": name(grp.getgrgid, st.st_gid),
         "mode": "%04o" % stat.S_IMODE(st.st_mode), "size": st.st_size}
    if stat.S_ISLNK(st.st_mode):
        e["symlink"] = os.readlink(p)
    elif stat.S_ISREG(st.st_mode):
        h = hashlib.sha256()
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""): h.update(chunk)
        e["sha256"] = h.hexdigest()
    out[p] = e
def run(argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    return [r.returncode, r.stdout, r.stderr]
cmds = {k: run(v) for k, v in req["commands"].items()}
listings = {}
for d in req["dirs"]:
    try: listings[d] = sorted(os.listdir(d))
    except OSError as e: listings[d] = e.strerror
print(json.dumps({"paths": out, "commands": cmds, "listings": listings}))
'''


def inspect_host(lab_dir, host, paths, commands=None, dirs=(), timeout=60):
    """lstat + sha256 of `paths`, the output of `commands` ({key: argv}) and listings of `dirs`,
    all read on the host as root (paths travel on stdin, never on a command line)."""
    command = "/usr/bin/python3 -c %s" % _quote(PATHS_REMOTE)
    if host["user"] != "root":
        command = "sudo -n " + command
    req = json.dumps({"paths": list(paths), "commands": commands or {}, "dirs": list(dirs)}) + "\n"
    proc = subprocess.run(ssh_argv(lab_dir, host, command), input=req.encode(), capture_output=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError("%s: ssh exit %d: %s" % (host["name"], proc.returncode, proc.stderr.decode()[-300:]))
    return json.loads(proc.stdout)


def _quote(text):
    return "'" + text.replace("'", "'\"'\"'") + "'"
