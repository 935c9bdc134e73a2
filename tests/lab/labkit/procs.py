"""Finding every process that belongs to one lab, even when its state file is gone.

Markers, specific to the lab directory D so that concurrent labs never touch each other:
  - sshd listeners: their command line (or proc title) has "-f D/hosts/";
  - helpers (fault server, delay proxy): their command line has "--lab-marker=D";
  - anything forked inside a host (sessions, shells, sudo): the mount namespace has an overlay
    whose upperdir is under the lab's host trees (paths.volatile_root).
"""

import os
import signal
import time

from . import paths


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def lab_processes(lab_dir):
    """Pids of every live process of the lab in lab_dir (never this process)."""
    d = os.path.realpath(lab_dir).encode()
    # The helper's marker is a whole argument (NUL-terminated): "D" must not match "D-other".
    markers = (b"-f " + d + b"/hosts/", b"--lab-marker=" + d + b"\0")
    uppers = (b"upperdir=" + d + b"/hosts/", b"upperdir=" + paths.volatile_root(lab_dir).encode() + b"/hosts/")
    me, found, seen_ns = os.getpid(), [], {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        raw = _read("/proc/%s/cmdline" % entry)
        cmd = raw.replace(b"\0", b" ")
        if not raw:
            continue  # kernel thread or gone
        if markers[0] in cmd or markers[1] in raw:
            found.append(int(entry))
            continue
        try:
            ns = os.readlink("/proc/%s/ns/mnt" % entry)
        except OSError:
            continue
        if ns not in seen_ns:
            info = _read("/proc/%s/mountinfo" % entry)
            seen_ns[ns] = any(u in info for u in uppers)
        if seen_ns[ns]:
            found.append(int(entry))
    return found


def kill_lab(lab_dir, timeout=15.0):
    """SIGKILLs the lab's processes until none is left; returns the pids still alive."""
    deadline = time.monotonic() + timeout
    while True:
        pids = lab_processes(lab_dir)
        if not pids or time.monotonic() > deadline:
            return pids
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _reap()
        time.sleep(0.1)


def _reap():
    """Collects our own dead children (hosts started by this very process)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def zombies_of(pids):
    return [p for p in pids if b") Z " in _read("/proc/%d/stat" % p)]
