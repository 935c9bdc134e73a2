"""Starting one sshd per host inside its own mount and UTS namespace, and keys for them.

The namespace is made by the forked child itself through libc (ctypes), so starting a host
costs one fork and a handful of system calls instead of unshare(1) + mount(8) processes.
"""

import concurrent.futures
import ctypes
import json
import os
import subprocess
import time

from . import distro
from .extras import PER_HOST_MOUNTS
from .materialize import host_dir

CLONE_NEWNS, CLONE_NEWUTS = 0x00020000, 0x04000000
MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 2, 4, 4096, 16384, 1 << 18
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2
SSHD = "/usr/sbin/sshd"

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]


def _check(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, "%s: %s" % (what, os.strerror(err)))


def _mount(source, target, fstype, flags, data=None):
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _check(_libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), "mount " + target)


def _enter_host_view(lab_dir, host):
    """Runs in the forked child: everything the host must see differently from the machine."""
    root = os.path.realpath(host_dir(lab_dir, host))
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWUTS), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing leaks back to the machine
    _mount("overlay", "/etc", "overlay", 0,
           "lowerdir=/etc,upperdir=%s/etc,workdir=%s/etc-work" % (root, root))
    _mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=4m")
    os.mkdir("/run/sshd", 0o755)  # sshd's privilege separation directory
    os.mkdir("/run/digger", 0o755)
    uid, gid = distro.uid_gid("digger", "digger")
    os.chown("/run/digger", uid, gid)
    _mount(root + "/var-spool", "/var/spool", None, MS_BIND)
    for target, sub in PER_HOST_MOUNTS.items():  # the programs, units and dpkg database of this host
        _mount(root + "/" + sub, target, None, MS_BIND)
    empty = os.path.join(lab_dir, "empty")
    for rc in ("/root/.bashrc", "/root/.profile"):  # the machine's root runs pyenv there
        if os.path.exists(rc):
            _mount(empty, rc, None, MS_BIND)
    name = host["name"].encode()
    _check(_libc.sethostname(name, len(name)), "sethostname")
    if host["drop_dac"]:
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            _check(_libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), "prctl")


def start_sshd(lab_dir, host):
    """Forks the host's sshd; returns its pid (the sshd itself runs with -D in that process)."""
    log = os.path.join(lab_dir, "logs", host["name"] + ".log")
    config = os.path.join(host_dir(lab_dir, host), "digger-lab.sshd_config")
    pid = os.fork()
    if pid:
        return pid
    try:
        os.setsid()
        null = os.open("/dev/null", os.O_RDWR)
        err = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(err, 2)
        for fd in (null, err):
            os.close(fd)
        os.closerange(3, 65536)
        _enter_host_view(lab_dir, host)
        os.execv(SSHD, [SSHD, "-D", "-f", config, "-E", log])
    except BaseException as e:  # noqa: BLE001 - the child must never return into the parent's code
        try:
            os.write(2, ("digger-lab: cannot start %s: %s\n" % (host["name"], e)).encode())
        finally:
            os._exit(127)


class Spawner:
    """Forks sshds from a small helper process forked before the fleet is generated.

    os.fork() costs in proportion to the caller's memory: ~2 ms from a lean process, ~11 ms
    from `up` once it holds 2,000 hosts' files. Several spawners (one per core) fork in parallel.
    The sshds are the spawners' children and are inherited by init when the spawners exit.
    """

    def __init__(self, lab_dir, count=None):
        self.workers, self.turn = [], 0
        for _ in range(count or os.cpu_count() or 1):
            to_child, from_parent = os.pipe()
            to_parent, from_child = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(from_parent)
                os.close(to_parent)
                for _, inp, out in self.workers:  # else the earlier spawners never see EOF
                    os.close(inp.fileno())
                    os.close(out.fileno())
                self._serve(lab_dir, to_child, from_child)
            os.close(to_child)
            os.close(from_child)
            self.workers.append((pid, os.fdopen(from_parent, "w"), os.fdopen(to_parent, "r")))

    @staticmethod
    def _serve(lab_dir, requests, replies):
        code = 0
        try:
            with os.fdopen(requests) as inp, os.fdopen(replies, "w") as out:
                for line in inp:
                    out.write("%d\n" % start_sshd(lab_dir, json.loads(line)))
                    out.flush()
        except BaseException:  # noqa: BLE001 - never return into the parent's code
            code = 1
        os._exit(code)

    def start(self, hosts, window=512):
        """Starts every host's sshd; returns their pids in order. Requests go out in windows
        so that neither pipe ever fills while its reader is blocked on the other."""
        pids, n = [], len(self.workers)
        for base in range(0, len(hosts), window):
            chunk = hosts[base:base + window]
            for i, host in enumerate(chunk):
                inp = self.workers[i % n][1]
                inp.write(json.dumps({"name": host["name"], "drop_dac": host["drop_dac"]}) + "\n")
            for _, inp, _ in self.workers:
                inp.flush()
            for i in range(len(chunk)):
                line = self.workers[i % n][2].readline()
                if not line:
                    raise RuntimeError("a spawner died")
                pids.append(int(line))
        return pids

    def close(self):
        for pid, inp, out in self.workers:
            inp.close()
            out.close()
            os.waitpid(pid, 0)


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return ") Z " not in f.read()
    except OSError:
        return False


def listening(addresses):
    """The subset of (address, port) pairs in LISTEN state, from /proc/net/tcp."""
    found = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            parts = line.split()
            if parts[3] != "0A":
                continue
            hexaddr, hexport = parts[1].split(":")
            raw = int(hexaddr, 16).to_bytes(4, "little")
            found.add(("%d.%d.%d.%d" % tuple(raw), int(hexport, 16)))
    return found & addresses


def wait_listening(expected, children, timeout=60.0):
    """Waits until every (address, port) listens; fails early when a child died."""
    deadline = time.monotonic() + timeout
    pending = set(expected)
    while pending:
        pending -= listening(pending)
        for name, pid in children.items():
            if not alive(pid):
                raise RuntimeError("%s exited during start-up; see logs/%s.log" % (name, name))
        if not pending:
            break
        if time.monotonic() > deadline:
            raise RuntimeError("%d listeners did not come up, e.g. %s" % (len(pending), sorted(pending)[:3]))
        time.sleep(0.05)


def ensure_keys(paths, jobs=4):
    """Generates the ed25519 keys that are not cached yet, several ssh-keygen at a time."""
    missing = [p for p in paths if not (os.path.exists(p) and os.path.exists(p + ".pub"))]

    def keygen(path):
        for stale in (path, path + ".pub"):
            if os.path.exists(stale):
                os.unlink(stale)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "digger-lab", "-f", path],
                       check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        list(pool.map(keygen, missing))
    return len(missing)


def public_key(path):
    with open(path + ".pub") as f:
        kind, blob = f.read().split()[:2]
    return kind + " " + blob


def sshd_supports_penalties():
    out = subprocess.run([SSHD, "-V"], capture_output=True, text=True).stderr
    try:
        major, minor = out.split("_", 1)[1].split(",")[0].split("p")[0].split(".")[:2]
        return (int(major), int(minor)) >= (9, 8)
    except (IndexError, ValueError):
        return False
