"""supervisord at run time on a lab host (docs/workers.md, "Crash loops" and "A custom
configuration"): a supervisord.log showing a crash loop at the host's real path (/var/log is
bound per host), and two processes named supervisord started in the host's mount namespace
as its `app` user (uid 1001): one with `-c` a configuration app can read, one with `-c` a root-only file holding a
canary, which must never reach the catalog, and two of app's tricks: a FIFO and a link to it. The lab hosts share the machine's process list, so
every path holds a unique directory name: other tests' processes never name it.
"""

import ctypes
import json
import os
import shutil
import signal
import subprocess
import tempfile

from labkit import distro
from labkit.materialize import host_dir

SECRET_CANARY = "canary-root-only-supervisor-conf"
LOG = "/var/log/supervisor/supervisord.log"
CLONE_NEWNS = 0x00020000

# supervisord 4.2's own lines (supervisor/process.py, loggers.py): the Debian layout's
# laravel-worker_00 exits 14 times and is given up on; _01 exits once; loop exits as expected.
LOG_LINES = (
    ["2024-01-01 09:59:59,000 CRIT Supervisor is running as root.\n"]
    + ["2024-01-01 10:00:%02d,100 INFO spawned: 'laravel-worker_00' with pid %d\n"
       "2024-01-01 10:00:%02d,500 WARN exited: laravel-worker_00 (exit status 1; not expected)\n"
       % (i, 4000 + i, i) for i in range(14)]
    + ["2024-01-01 10:00:20,000 INFO gave up: laravel-worker_00 entered FATAL state, too many "
       "start retries too quickly\n",
       "2024-01-01 10:00:21,000 WARN exited: laravel-worker_01 (exit status 2; not expected)\n",
       "2024-01-01 10:00:22,000 INFO exited: loop (exit status 0; expected)\n",
       "2024-01-01 10:00:23,000 WARN exited: custom-worker_01 (terminated by SIGKILL; not expected)\n"]
)
# The custom configuration's own log (logfile=%(here)s/supervisord.log): custom-worker loops.
CUSTOM_LOG_LINES = [
    "2024-02-01 08:00:0%d,000 WARN exited: custom-worker_0%d (exit status 1; not expected)\n"
    % (i, i % 2) for i in range(4)]


class Runtime:
    def __init__(self, lab_dir, host):
        self.root = host_dir(lab_dir, host)
        self.tag = "svlab-%d-%s" % (os.getpid(), os.path.basename(lab_dir.rstrip("/")))
        self.srv = "/srv/" + self.tag
        self.custom = self.srv + "/app/supervisord.conf"
        self.included = self.srv + "/app/conf.d/more.conf"  # by the custom file's [include]
        self.secret = self.srv + "/private/secret.conf"
        # app's own tricks: a FIFO (an open would hang) and a link to the secret.
        self.fifo = self.srv + "/app/fifo.conf"
        self.link = self.srv + "/app/link.conf"
        self.tmp = None
        self.procs = []
        with open(os.path.join(lab_dir, "state.json")) as f:
            self.sshd_pid = json.load(f)["pids"][host["name"]]  # runs in the host's namespaces

    def write(self, path, text, mode, dir_mode=0o755):
        local = os.path.join(self.root, path.lstrip("/"))
        if path.startswith("/var/log/"):
            local = os.path.join(self.root, "var-log", path[len("/var/log/"):])
        os.makedirs(os.path.dirname(local), exist_ok=True)
        os.chmod(os.path.dirname(local), dir_mode)
        with open(local, "w") as f:
            f.write(text)
        os.chmod(local, mode)

    def plant(self):
        self.write(LOG, "".join(LOG_LINES), 0o640)
        self.write(self.srv + "/app/supervisord.log", "".join(CUSTOM_LOG_LINES), 0o644)
        self.write(self.custom, "[supervisord]\nlogfile=%(here)s/supervisord.log\n"
                   "[include]\nfiles = conf.d/*.conf\n"
                   "[program:custom-worker]\ncommand=php /srv/app/artisan queue:work\n"
                   "process_name=%(program_name)s_%(process_num)02d\nnumprocs=2\n", 0o644)
        self.write(self.included, "[program:custom-included]\ncommand=/srv/app/included\n",
                   0o644)
        self.write(self.secret, "[supervisord]\n[program:stolen]\ncommand=/bin/" +
                   SECRET_CANARY + "\n", 0o600, dir_mode=0o700)
        uid, gid = distro.uid_gid("app", "app")
        for path in (self.fifo, self.link):
            local = os.path.join(self.root, path.lstrip("/"))
            if path == self.fifo:
                os.mkfifo(local, 0o644)
            else:
                os.symlink("../private/secret.conf", local)
            os.lchown(local, uid, gid)

    def start(self):
        """Two `supervisord -c PATH` lookalikes as app: a script named supervisord (argv is
        /bin/sh SCRIPT -c PATH, the shape of python3 /usr/bin/supervisord -c PATH)."""
        self.tmp = tempfile.mkdtemp(prefix="digger-" + self.tag + "-")
        os.chmod(self.tmp, 0o755)
        script = os.path.join(self.tmp, "supervisord")
        with open(script, "w") as f:
            f.write("#!/bin/sh\nsleep 120\n")
        os.chmod(script, 0o755)
        uid, gid = distro.uid_gid("app", "app")
        libc = ctypes.CDLL(None, use_errno=True)
        mnt = os.open("/proc/%d/ns/mnt" % self.sshd_pid, os.O_RDONLY)

        def enter_host():
            """In the child: the host's mount namespace (the collector reads only processes of
            its own), then app's uid and gid without supplementary groups."""
            if libc.setns(mnt, CLONE_NEWNS) != 0:
                raise OSError(ctypes.get_errno(), "setns")
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)

        try:
            for config in (self.custom, self.secret, self.fifo, self.link):
                self.procs.append(subprocess.Popen(
                    ["/bin/sh", script, "-c", config], preexec_fn=enter_host, pass_fds=(mnt,),
                    start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL))
        finally:
            os.close(mnt)

    def stop(self):
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # the script and its sleep: its own session
            except ProcessLookupError:
                pass
            proc.wait()
        self.procs = []
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def check(self, checks, con, norm):
        workers = {norm(r[0]): tuple(norm(v) for v in r[1:]) for r in con.execute(
            "select name, unexpected_exits, gave_up, last_exit, gave_up_at, flags, file from workers")}
        laravel = workers.get("laravel-worker")
        checks.expect(laravel is not None and laravel[:4] == (15, 1, "2024-01-01 10:00:21",
                                                              "2024-01-01 10:00:20")
                      and "crash-loop" in (laravel[4] or ""), f"laravel crash loop: {laravel}")
        loop = workers.get("loop")
        checks.expect(loop is not None and loop[:2] == (0, 0) and "crash-loop" not in (loop[4] or ""),
                      f"loop: {loop}")
        custom = workers.get("custom-worker")
        checks.expect(custom is not None and custom[5] == self.custom and custom[0] == 4
                      and custom[2] == "2024-02-01 08:00:03" and "crash-loop" in (custom[4] or ""),
                      f"custom -c worker and its own log: {custom}")
        included = workers.get("custom-included")
        checks.expect(included is not None and included[5] == self.included,
                      f"the custom file's include: {included}")
        checks.expect("stolen" not in workers, "the root-only -c file was read")
        notes = {norm(r[0]): (norm(r[1]), norm(r[2])) for r in con.execute(
            "select path, load_notes, read_error from cron_sources where kind = 'supervisor'")}
        custom_notes = (notes.get(self.custom) or ("", ""))[0] or ""
        checks.expect("with -c " + self.custom in custom_notes and "uid 1001" in custom_notes,
                      f"how the custom file was found: {custom_notes!r}")
        twice = [norm(r[0]) for r in con.execute(
            "select path from cron_sources group by path having count(*) > 1")]
        checks.expect(not twice, f"files recorded twice: {twice}")
        for path in (self.secret, self.fifo, self.link):
            row = notes.get(path)
            checks.expect(row is not None and "cannot read it" in (row[1] or ""),
                          f"the row of {path}: {row}")
