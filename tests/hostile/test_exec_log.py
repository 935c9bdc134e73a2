#!/usr/bin/python3
"""Read-only proof (issue 18; shared/notes/next-capabilities.md §6.1.8): every command Digger
asks a host's sshd to run is one of its fixed forms, and no byte of it comes from the host.

A 1-host lab of its own; its sshd gets `ForceCommand /opt/digger-exec-log.sh`, a wrapper that
appends $SSH_ORIGINAL_COMMAND to a log and runs it. Two scans, the second after the host's
files changed and planted canaries (a crontab line, a cron.d file name, a cron log line, a
Supervisor program): every logged command must be `exec [sudo ...] sh -c SCRIPT digger-collect
ARGS` or `exec [sudo ...] xargs -0 sh -c SCRIPT digger-inspect ARGS`, the script text the same
in every request, the arguments digits and the collector's fixed words only (the log cursors
from the catalog are digits), and no canary anywhere in them.

Usage: test_exec_log.py DIGGER_SCAN LAB_DIR
"""

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "..", "lab")
sys.path.insert(0, LAB)

import own_lab  # noqa: E402
from labkit.hostile import spool_dir  # noqa: E402
from labkit.materialize import host_dir  # noqa: E402

CANARY = "DIGGER-EXEC-CANARY"
WRAPPER = "#!/bin/sh\nprintf '%s\\0' \"$SSH_ORIGINAL_COMMAND\" >> /opt/digger-exec.log\n" \
          "exec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n"
# The arguments after the script's name (src/collect/script.cpp, collector_command): limits
# and mode words, the client's hand-over nonce, and the log cursors from the catalog (digits,
# ':' and '-' for none). The inspection script handed over is a fixed text (checked apart).
ARGUMENT = re.compile(r"^(?:[0-9A-Za-z_]*|[0-9: -]+|@@digger-inspect-[0-9a-f]+@@)$")
PREFIXES = (["exec"], ["exec", "sudo", "-n"])


def write(path, text, mode):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def sshd_pid(config):
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/cmdline" % entry, "rb") as f:
                    cmdline = f.read()
            except OSError:
                continue
            # The listener retitles itself ("sshd: /usr/sbin/sshd -D -f CONFIG ... [listener]").
            if b"sshd" in cmdline and config.encode() in cmdline and b"[listener]" in cmdline:
                return int(entry)
    return None


def wait_listening(address, port, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex((address, port)) == 0:
                return True
        time.sleep(0.2)
    return False


def force_logging_wrapper(lab_dir, host):
    """Installs the wrapper and makes the host's sshd re-read its configuration (SIGHUP: sshd
    re-executes itself with the same arguments, in the same namespaces)."""
    root = host_dir(lab_dir, host)
    write(os.path.join(root, "opt", "digger-exec-log.sh"), WRAPPER, 0o755)
    write(os.path.join(root, "opt", "digger-exec.log"), "", 0o666)
    config = os.path.join(root, "digger-lab.sshd_config")
    with open(config, "a") as f:
        f.write("ForceCommand /opt/digger-exec-log.sh\n")
    pid = sshd_pid(config)
    if pid is None:
        return "no sshd runs with %s" % config
    os.kill(pid, signal.SIGHUP)
    time.sleep(1.0)
    return None if wait_listening(host["address"], host["port"]) else "sshd did not come back after SIGHUP"


def plant_canaries(lab_dir, host):
    root = host_dir(lab_dir, host)
    spool, _ = spool_dir(root)
    with open(os.path.join(spool, "root"), "a") as f:
        f.write("17 4 * * * /opt/%s.sh --token %s\n" % (CANARY, CANARY))
    write(os.path.join(root, "etc", "cron.d", CANARY.lower()), "5 5 * * * root /bin/true %s\n" % CANARY, 0o644)
    with open(os.path.join(root, "var-log", "cron"), "a") as f:
        f.write("Nov 25 10:01:01 web1 CROND[4242]: (root) CMD (/opt/%s.sh)\n" % CANARY)
    write(os.path.join(root, "etc", "supervisor", "conf.d", "canary.conf"),
          "[program:canary]\ncommand=/opt/%s\n" % CANARY, 0o644)


def scan(digger, lab_dir, db):
    return subprocess.run([digger, "--inventory", os.path.join(lab_dir, "hosts.txt"), "-i",
                           os.path.join(lab_dir, "id_ed25519"), "--known-hosts", os.path.join(lab_dir, "known_hosts"),
                           "--sudo", "--db", db, "--timeout", "30"], env=dict(os.environ, HOME=lab_dir),
                          capture_output=True, text=True).returncode


def logged_commands(lab_dir, host):
    with open(os.path.join(host_dir(lab_dir, host), "opt", "digger-exec.log"), "rb") as f:
        data = f.read()
    return [c.decode("utf-8", "surrogateescape") for c in data.split(b"\0") if c]


def command_problems(command, scripts):
    """Checks one command's shape; records its script text by name in `scripts`."""
    if CANARY.lower() in command.lower():
        return ["a canary reached the command line: %r" % command[:200]]
    words = shlex.split(command)
    prefix = next((p for p in reversed(PREFIXES) if words[:len(p)] == p), None)
    rest = words[len(prefix):] if prefix else []
    if rest[:1] == ["xargs"]:
        rest = rest[2:] if rest[1:2] == ["-0"] else []
    if len(rest) < 4 or rest[:2] != ["sh", "-c"] or rest[3] not in ("digger-collect", "digger-inspect"):
        return ["not one of Digger's command forms: %r" % command[:200]]
    scripts.setdefault(rest[3], set()).add(rest[2])
    handed_over = [a for a in rest[4:] if "\n" in a]
    for text in handed_over:
        scripts.setdefault("inspection handed over", set()).add(text)
    bad = [a for a in rest[4:] if a not in handed_over and not ARGUMENT.match(a)]
    return ["an argument that is not digits or a fixed word: %r" % a[:80] for a in bad]


def checker_bites():
    """The checks refuse what an interpolating collector would send."""
    forged = ["exec sh -c 'ls \"$1\"' digger-collect /etc/cron.d/%s" % CANARY.lower(),
              "exec sh -c 'cat /etc/cron.d/x' digger-collect 1 2",
              "exec sh -c 'x' digger-collect 1 '/var/spool/cron/root'"]
    return all(command_problems(c, {}) for c in forged[::2]) and \
        not command_problems(forged[1], {})


def check(digger, lab_dir):
    if not checker_bites():
        return ["the command checks do not refuse a forged command"]
    with open(os.path.join(lab_dir, "truth.json")) as f:
        host = json.load(f)["hosts"][0]
    problem = force_logging_wrapper(lab_dir, host)
    if problem:
        return [problem]
    db = os.path.join(lab_dir, "exec.db")
    problems = []
    for round_ in (1, 2):
        rc = scan(digger, lab_dir, db)
        if rc != 0:
            problems.append("scan %d exited %d" % (round_, rc))
        if round_ == 1:
            plant_canaries(lab_dir, host)
    commands = logged_commands(lab_dir, host)
    if len(commands) < 2:
        problems.append("%d commands logged for two scans" % len(commands))
    scripts = {}
    for command in commands:
        problems += command_problems(command, scripts)
    if "digger-collect" not in scripts:
        problems.append("the collector never ran")
    for name, texts in scripts.items():
        if len(texts) != 1:
            problems.append("%s ran %d different scripts: its text depends on the host" % (name, len(texts)))
    # The canaries were read: the scan saw them, so their absence above is not an empty scan.
    dump = subprocess.run(["sqlite3", db, "select command from entries"], capture_output=True, text=True).stdout
    if CANARY not in dump:
        problems.append("the second scan did not record the planted crontab line")
    print("%d commands checked (%s)" % (len(commands), ", ".join(sorted(scripts))))
    return problems


def main(digger, lab_dir):
    return own_lab.run(lab_dir, lambda d: check(digger, d), "--hosts", "1", "--seed", "61")



if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
