#!/usr/bin/python3
"""Bastions and ProxyCommand end to end through digger-scan, against real sshd.

  test_proxy.py DIGGER_SCAN SSHD_FIXTURE

Needs root (exit 77 otherwise). Starts, with sshd_fixture.sh, on 127.0.77.x port 2277:
  127.0.77.1  a bastion whose own /etc/hosts (in its mount namespace) is the only place the
              names inner-a (127.0.77.2) and inner-b (127.0.77.3) resolve
  127.0.77.2, 127.0.77.3  the hosts behind it
Then scans inner-a and inner-b:
  - plain inventory + `-F ssh_config` with `ProxyJump bastion`
  - an Ansible INI inventory with `ansible_ssh_common_args='-J bastion'` (+ -F for the bastion)
  - `ProxyCommand ssh -W %h:%p bastion` with --allow-proxy-command, and a failing one (`false`)
and checks the catalog's statuses, that the names never resolved locally, and that no
ProxyCommand process is left once the scan is over.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scankit import check, hosts, run, verdict  # noqa: E402

PORT = 2277
BASTION = "127.0.77.1"
INNER = {"inner-a": "127.0.77.2", "inner-b": "127.0.77.3"}


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def scan(digger, work, name, inventory, config, extra):
    db = os.path.join(work, name + ".db")
    argv = [digger, "--inventory", inventory, "--db", db, "--no-inspect", "--timeout", "20",
            "--host-key-check", "accept-new", "--summary-format", "json",
            "-F", config] + extra
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    result = hosts(db) if os.path.exists(db) else {}
    print(name, proc.returncode, result, proc.stderr.decode(errors="replace").strip()[-400:])
    return proc.returncode, result


def processes_with(needle):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if needle.encode() in f.read():
                    found.append(pid)
        except OSError:
            pass
    return found


def all_ok(result, message):
    check(all(result.get(name, ("",))[0] == "ok" for name in INNER),
          message + ": %s" % {name: result.get(name) for name in INNER})


def main():
    if os.geteuid() != 0:
        print("SKIPPED: needs root (starts sshd in mount namespaces)")
        return 77
    digger, fixture = sys.argv[1], sys.argv[2]
    for name in INNER:
        try:
            socket.getaddrinfo(name, PORT)
            print("SKIPPED: %s resolves on this machine: the test would prove nothing" % name)
            return 77
        except socket.gaierror:
            pass
    work = tempfile.mkdtemp(prefix="digger-proxy-")
    os.chmod(work, 0o755)
    pids = []
    try:
        key = os.path.join(work, "id_ed25519")
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
        authorized = write(os.path.join(work, "authorized_keys"), open(key + ".pub").read())
        bastion_hosts = write(os.path.join(work, "bastion_hosts"), "127.0.0.1 localhost\n" + "".join(
            "%s %s\n" % (address, name) for name, address in INNER.items()))

        def start(*argv):
            out = run(fixture, *argv, capture_output=True, text=True).stdout.split()
            pids.append(out[-1])

        start("bastion", work, "bastion", BASTION, str(PORT), authorized, bastion_hosts)
        for name, address in INNER.items():
            start("start", work, name, address, str(PORT), authorized)

        # The client side: what an ops team's ~/.ssh/config looks like.
        ssh_w = ("ssh -F /dev/null -i %s -o BatchMode=yes -o StrictHostKeyChecking=no "
                 "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p %d -W %%h:%%p root@%s"
                 % (key, PORT, BASTION))
        common = ["Host bastion", "  HostName %s" % BASTION,
                  "Host proxied-broken", "  ProxyCommand false",
                  "Host proxied-a", "  HostName inner-a", "  ProxyCommand %s" % ssh_w,
                  "Host proxied-b", "  HostName inner-b", "  ProxyCommand %s" % ssh_w,
                  "Host *", "  Port %d" % PORT, "  User root", "  IdentityFile %s" % key,
                  "  IdentitiesOnly yes", ""]
        base = write(os.path.join(work, "ssh_config"), "\n".join(common))
        jumping = write(os.path.join(work, "ssh_config_jump"),
                        "Host inner-*\n  ProxyJump bastion\n" + "\n".join(common))

        # ProxyJump from the ssh config, plain inventory of the inner names.
        plain = write(os.path.join(work, "plain.hosts"), "".join("%s\n" % n for n in INNER))
        code, result = scan(digger, work, "jump-config", plain, jumping, [])
        all_ok(result, "ProxyJump from -F: both inner hosts ok through the bastion")
        check(code == 0, "ProxyJump from -F: exit 0")

        # Ansible INI: the jump comes from ansible_ssh_common_args, the bastion from -F.
        ini = write(os.path.join(work, "fleet.ini"), "[inner]\n" + "".join(
            "%s\n" % n for n in INNER) +
            "[inner:vars]\nansible_user=root\nansible_ssh_common_args='-J bastion'\n")
        code, result = scan(digger, work, "jump-ansible", ini, base, [])
        all_ok(result, "Ansible INI with -J bastion: both inner hosts ok")

        # ProxyCommand: ssh -W through the bastion, which alone resolves %h.
        proxied = write(os.path.join(work, "proxied.hosts"),
                        "proxied-a\nproxied-b\nproxied-broken\n")
        code, _ = scan(digger, work, "proxy-refused", proxied, base, [])
        check(code == 2, "ProxyCommand without --allow-proxy-command: refused (exit 2)")
        code, result = scan(digger, work, "proxy-command", proxied, base, ["--allow-proxy-command"])
        for name in ("proxied-a", "proxied-b"):
            check(result.get(name, ("",))[0] == "ok",
                  "ProxyCommand ssh -W through the bastion: %s ok (%s)" % (name, result.get(name)))
        status, reason = result.get("proxied-broken", ("", ""))
        check(status == "unreachable" and "ProxyCommand exited with status 1" in reason,
              "ProxyCommand false: unreachable, exit status named (%r)" % reason)
        check(not processes_with(key), "no ProxyCommand process left after the scan")
    finally:
        subprocess.run([fixture, "stop"] + pids)
        if not os.environ.get("DIGGER_KEEP_TEST_DIR"):
            shutil.rmtree(work, ignore_errors=True)
    return verdict()


if __name__ == "__main__":
    sys.exit(main())
