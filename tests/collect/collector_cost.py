#!/usr/bin/python3
"""Server-side CPU of Digger's remote commands on lab hosts (docs/performance.md, "Collector
cost"). Not a test: prints figures, asserts nothing.

  tests/lab/lab up --hosts 20 --seed 42 --dir /tmp/labX
  tests/collect/collector_cost.py /tmp/labX [--rounds 3] [--old OLD_SCRIPT_CPP]

For each command, one `ssh host COMMAND` at a time over every host of the lab (nothing else of
ours running), the CPU of the whole sshd tree (listeners' cutime+cstime: every finished session,
its shell, sudo and every process the script forked) is divided by the number of connections.
`true` is the bare handshake + auth + session; the other rows are also shown minus it. Process
counts come from `strace -f` of the same command inside one host's mount namespace.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(pids):
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                raw = f.read()
        except OSError:
            continue
        fields = raw[raw.rfind(b")") + 2:].split()
        total += sum(int(x) for x in fields[11:15])
    return total / TICK


def script_of(path, begin='R"SH(', end=')SH"'):
    with open(path) as f:
        text = f.read()
    return text[text.index(begin) + len(begin):text.index(end)]


def remote(what, sudo=False):
    """The command as this build sends it (tests/collect/remote_script.cpp)."""
    tool = os.path.join(REPO, "build", "tests", "collect", "digger_remote_script")
    return subprocess.run([tool, what] + (["sudo"] if sudo else []), check=True,
                          capture_output=True, text=True).stdout


def commands(old_cpp):
    out = {"true": lambda sudo: "true"}
    if old_cpp:
        old = script_of(old_cpp)
        out["collector before"] = lambda sudo: "exec %ssh -c '%s' digger-collect 16777216 4194304" % (
            "sudo -n " if sudo else "", old)
    out["collector fast"] = lambda sudo: remote("collector-command", sudo)
    out["collector portable"] = lambda sudo: remote("collector-command", sudo) + " portable"
    out["inspect (5 targets)"] = lambda sudo: remote("inspect-command", sudo)
    return out


# As plan_inspection sends it: the host's read budget, then each path behind its run-as users.
INSPECT_STDIN = b"\0".join([b"+268435456", b"root/usr/bin/python3", b"root/bin/sh", b"root/usr/sbin/cron",
                            b"root/opt/missing", b"root/etc/cron.daily/dpkg"]) + b"\0"


def probe(lab, names, logins, pids, make, stdin):
    cpu0 = tree_cpu(pids)
    failed = 0
    for name in names:
        sudo = not logins[name].startswith("root@")
        r = subprocess.run(["ssh", "-F", os.path.join(lab, "ssh_config"), name, make(sudo)],
                           input=stdin, capture_output=True, timeout=60)
        failed += r.returncode != 0
    time.sleep(0.3)
    return 1000 * (tree_cpu(pids) - cpu0) / len(names), failed


def successful_execs(trace):
    """strace -f splits an execve interrupted by another process's event into "execve(...
    <unfinished ...>" and "<... execve resumed>... = 0": count each call once, by its result."""
    return len(re.findall(rb"(?:execve\(|<\.\.\. execve resumed>)[^\n]* = 0\n", trace))


def exec_count(lab, pid, command, stdin):
    """execve calls of the command run as root inside the host's mount namespace."""
    r = subprocess.run(["nsenter", "-t", str(pid), "-m", "-u", "strace", "-f", "-qq", "-e",
                        "trace=execve", "-o", "/dev/stderr", "sh", "-c", command],
                       input=stdin, capture_output=True, timeout=60)
    return successful_execs(r.stderr) - 1  # minus the sh itself


# Hides the sources the old collector did not read, inside a private copy of the host's mounts.
HIDE_NEW_SOURCES = " ".join(
    "mount -t tmpfs none %s 2>/dev/null;" % d for d in (
        "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly",
        "/etc/systemd", "/usr/lib/systemd/system", "/root/.config"))


def local_cpu(pid, command, runs, hide):
    """CPU (user+sys, ms) of `sh -c COMMAND` as root in the host's mount namespace, children
    included, without sshd: median of `runs`."""
    import resource
    inner = ("%s exec sh -c \"$0\"" % HIDE_NEW_SOURCES) if hide else "exec sh -c \"$0\""
    values = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(["nsenter", "-t", str(pid), "-m", "-u", "unshare", "-m", "--propagation",
                        "private", "sh", "-c", inner, command], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        values.append(1000 * (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
    values.sort()
    return values[len(values) // 2]


def exec_count_hidden(pid, command):
    inner = "%s exec strace -f -qq -e trace=execve -o /dev/stderr sh -c \"$0\"" % HIDE_NEW_SOURCES
    r = subprocess.run(["nsenter", "-t", str(pid), "-m", "-u", "unshare", "-m", "--propagation",
                        "private", "sh", "-c", inner, command], capture_output=True, timeout=60)
    return successful_execs(r.stderr) - 1


def local_table(lab, state, made, runs):
    pid = next(iter(state["pids"].values()))
    base = local_cpu(pid, "true", runs, False)
    hidden_base = local_cpu(pid, "true", runs, True)  # the mounts themselves
    print("\n| script run as root in one host's mount namespace (no sshd), median of %d | "
          "crontab sources only | all sources |" % runs)
    print("|---|---|---|")
    for label, make in made.items():
        if not label.startswith("collector"):
            continue
        execs = exec_count_hidden(pid, make(False))
        only = local_cpu(pid, make(False), runs, True) - hidden_base
        full = local_cpu(pid, make(False), runs, False) - base if label != "collector before" else None
        print("| %s | %.1f ms (%d processes) | %s |" % (
            label, only, execs, "%.1f ms" % full if full is not None else "n/a"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("lab")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--old", help="an older src/collect/script.cpp to compare with")
    parser.add_argument("--local-runs", type=int, default=0,
                        help="also time the scripts without sshd, N runs each")
    args = parser.parse_args()
    with open(os.path.join(args.lab, "state.json")) as f:
        state = json.load(f)
    pids = [p for k, p in state["pids"].items() if k not in ("delayproxy", "faultd")]
    logins = {}
    with open(os.path.join(args.lab, "truth.json")) as f:
        truth = json.load(f)
    names = [h["name"] for h in truth["hosts"] if not h["fault"]]
    for h in truth["hosts"]:
        logins[h["name"]] = "%s@%s" % (h["user"], h["address"])
    table = {}
    made = commands(args.old)
    for _ in range(args.rounds):
        for label, make in made.items():
            stdin = INSPECT_STDIN if label.startswith("inspect") else b""
            ms, failed = probe(args.lab, names, logins, pids, make, stdin)
            table.setdefault(label, []).append(ms)
            if failed:
                print("%s: %d failed connections" % (label, failed), file=sys.stderr)
    first_pid = next(iter(state["pids"].values()))
    base = sorted(table["true"])[len(table["true"]) // 2]
    print("| command over ssh, sequential, %d hosts x %d rounds | sshd-tree CPU per connection "
          "(min / median / max) | minus `true` (median) | processes started (execve) |" % (len(names), args.rounds))
    print("|---|---|---|---|")
    for label, values in table.items():
        values.sort()
        median = values[len(values) // 2]
        stdin = INSPECT_STDIN if label.startswith("inspect") else b""
        execs = exec_count(args.lab, first_pid, made[label](False), stdin) if label != "true" else 0
        print("| %s | %.1f / %.1f / %.1f ms | %.1f ms | %d |" % (
            label, values[0], median, values[-1], median - base, execs))
    if args.local_runs:
        local_table(args.lab, state, made, args.local_runs)


if __name__ == "__main__":
    main()
