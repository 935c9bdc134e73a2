"""Hostile local users on a lab host, against the inspection (issue 14, items 1-3 and 8).

Planted into a running lab host's own tree (D/hosts/<name>/...: /opt and the spool are bound
into the host), after `lab up`, by the test that scans it:
  - a root-only 0700 script holding a canary secret, named by a user's crontab;
  - a user-owned symlink the test flips between a 0755 script and a root-only file holding
    another canary while it scans again and again (Flipper);
  - a FIFO named as a job's program.
Every canary is random per run, so nothing else on the machine can hold it.
"""

import os
import secrets
import threading

from . import distro
from .materialize import host_dir

USER = "app"  # the lab's account that owns the hostile crontab (uid 1001)


def _write(path, data, mode, uid=0, gid=0):
    with open(path, "wb") as f:
        f.write(data)
    os.chown(path, uid, gid)
    os.chmod(path, mode)


class Planted:
    """What plant() put on the host: canaries to grep for, and the paths the jobs name."""

    def __init__(self, root):
        token = secrets.token_hex(8).upper()
        self.root = root
        self.root_only_canary = "CANARY-ROOT-ONLY-" + token
        self.flip_canary = "CANARY-FLIP-" + token
        self.root_only_text = ("#!/bin/sh %s\nexport PGPASSWORD=%s\n"
                               % (self.root_only_canary, self.root_only_canary)).encode()
        self.flip_text = ("#!/bin/sh %s\nmysqldump -p%s\n" % (self.flip_canary, self.flip_canary)).encode()
        self.root_only = "/opt/hostile-root/backup.sh"
        self.flip = "/opt/hostile/flip"
        self.fifo = "/opt/hostile/fifo"
        self.ok = "/opt/hostile/ok.sh"
        self.secret = "/opt/hostile-root/flip-secret"

    def local(self, path):
        assert path.startswith("/opt/")
        return os.path.join(self.root, "opt", path[len("/opt/"):])

    def canaries(self):
        return [self.root_only_canary, self.flip_canary]


def spool_dir(root):
    """The host's user crontab directory in its tree (Debian or RHEL layout)."""
    for sub in ("cron/crontabs", "cron"):
        local = os.path.join(root, "var-spool", sub)
        if os.path.isdir(local):
            return local, sub
    raise RuntimeError("no spool directory under %s" % root)


def plant(lab_dir, host):
    """Writes the hostile files into `host` (a truth.json host with an sshd); returns Planted."""
    root = host_dir(lab_dir, host)
    p = Planted(root)
    uid, gid = distro.uid_gid(USER, USER)
    for d, owner, mode in (("hostile-root", (0, 0), 0o755), ("hostile", (uid, gid), 0o755)):
        local = p.local("/opt/" + d)
        os.makedirs(local, exist_ok=True)
        os.chown(local, *owner)
        os.chmod(local, mode)
    _write(p.local(p.root_only), p.root_only_text, 0o700)
    _write(p.local(p.secret), p.flip_text, 0o700)
    _write(p.local(p.ok), b"#!/bin/sh\necho ok\n", 0o755)
    link = p.local(p.flip)
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(p.ok, link)
    os.lchown(link, uid, gid)
    fifo = p.local(p.fifo)
    if os.path.lexists(fifo):
        os.unlink(fifo)
    os.mkfifo(fifo, 0o755)
    os.chown(fifo, uid, gid)
    spool, sub = spool_dir(root)
    crontab = ("# the hostile user's jobs (digger lab, issue 14)\n"
               "*/5 * * * * %s\n*/5 * * * * %s\n*/5 * * * * %s\n" % (p.root_only, p.flip, p.fifo))
    group = distro.GROUPS["crontab"] if sub == "cron/crontabs" else gid
    _write(os.path.join(spool, USER), crontab.encode(), 0o600, uid, group)
    return p


class Flipper:
    """Flips the user's symlink between the 0755 script and the root-only file, as fast as it
    can (an atomic rename each time), until stopped. Counts the flips."""

    def __init__(self, planted):
        self.p = planted
        self.flips = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        link = self.p.local(self.p.flip)
        tmp = link + ".new"
        uid, gid = distro.uid_gid(USER, USER)
        targets = (self.p.secret, self.p.ok)
        while not self._stop.is_set():
            target = targets[self.flips % 2]
            if os.path.lexists(tmp):
                os.unlink(tmp)
            os.symlink(target, tmp)
            os.lchown(tmp, uid, gid)
            os.rename(tmp, link)
            self.flips += 1

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        os.symlink(self.p.ok, self.p.local(self.p.flip) + ".new")
        os.rename(self.p.local(self.p.flip) + ".new", self.p.local(self.p.flip))
        return False
