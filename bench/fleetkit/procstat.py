"""CPU and memory accounting from /proc and wait4, for one benchmark run.

Why not psutil: the harness must run on a bare CI machine with only the standard library.
"""

import os
import time

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat_fields(pid):
    """Fields of /proc/<pid>/stat after the command name (index 0 is field 3, 'state')."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            raw = f.read()
    except OSError:
        return None
    return raw[raw.rfind(b")") + 2:].split()


def tree_cpu_seconds(pids):
    """utime+stime+cutime+cstime summed over pids: a listener's reaped connection children
    land in its cutime/cstime, so this counts every finished sshd session of the lab."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            total += sum(int(x) for x in fields[11:15])  # fields 14..17
    return total / TICK


def orphans_cpu_seconds():
    """cutime+cstime of PID 1: processes whose parent exited first are reaped by init, and
    their CPU lands there, not in their tree. sshd's per-session child is often such an orphan
    (its monitor exits first when the client disconnects at once), with the whole session's
    processes (shell, find, sudo ...) under it. Nothing else runs on the bench machine."""
    fields = _stat_fields(1)
    return (int(fields[13]) + int(fields[14])) / TICK if fields else 0.0


def machine_cpu_seconds():
    """(busy, steal, softirq) CPU seconds of the whole machine since boot, from /proc/stat:
    busy is user+nice+system+irq+softirq. CPU that no measured process tree is charged for
    (kernel threads, processes that left the trees, softirq where it is accounted apart)
    shows up only here."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq) / TICK, steal / TICK, softirq / TICK


class TreeRss:
    """Peak of the summed RSS of a process and all its descendants, sampled from /proc.

    There is no /proc/<pid>/task/*/children on this kernel, so each sample reads every
    /proc/<pid>/stat once; the caller keeps the interval coarse (0.25-0.5 s)."""

    def __init__(self, root):
        self.root = root
        self.peak_bytes = 0

    def sample(self):
        parent, rss = {}, {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            fields = _stat_fields(int(name))
            if fields and len(fields) > 21:
                parent[int(name)] = int(fields[1])
                rss[int(name)] = int(fields[21]) * PAGE
        children = {}
        for pid, ppid in parent.items():
            children.setdefault(ppid, []).append(pid)
        total, todo = 0, [self.root]
        while todo:
            pid = todo.pop()
            total += rss.get(pid, 0)
            todo.extend(children.get(pid, ()))
        self.peak_bytes = max(self.peak_bytes, total)


def wait_with_sampling(proc, deadline, interval):
    """Waits for proc (a Popen in its own session), sampling its tree RSS; returns
    (rusage or None on timeout, peak tree RSS bytes). On timeout the whole group is killed."""
    tree = TreeRss(proc.pid)
    next_sample = time.monotonic()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage, tree.peak_bytes
        now = time.monotonic()
        if now >= deadline:
            kill_group(proc)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            return None, tree.peak_bytes
        if now >= next_sample:
            tree.sample()
            next_sample = now + interval
        time.sleep(0.02)


def kill_group(proc):
    try:
        os.killpg(proc.pid, 9)
    except ProcessLookupError:
        pass
