#!/usr/bin/python3
"""RSA keys and sudo with a password, end to end through digger-scan, against real sshd.

  test_reach.py DIGGER_SCAN

Needs root (exit 77 otherwise): starts three sshd on 127.0.76.x in private mount namespaces
(each with its own /var/spool holding root's crontab), creates the login `dgsudopw` whose sudo
needs a password and a sudoers drop-in for it (removed at the end).
  127.0.76.1  OpenSSH 9.2 defaults: refuses ssh-rsa signatures
  127.0.76.2  PubkeyAcceptedAlgorithms +ssh-rsa, like servers older than OpenSSH 8.8
  127.0.76.3  login dgsudopw, sudo with a password
"""

import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scankit import check, hosts, run, verdict  # noqa: E402

PORT = 2276
USER = "dgsudopw"
SUDOERS = "/etc/sudoers.d/zz-digger-test-dgsudopw"
REFUSAL = ("server refuses ssh-rsa (SHA-1) signatures (OpenSSH >= 8.8); "
           "use an Ed25519/ECDSA key for it")


def wait_for(address):
    for _ in range(200):
        try:
            socket.create_connection((address, PORT), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("sshd on %s did not come up" % address)


def start_sshd(work, name, address, extra):
    home = os.path.join(work, name)
    spool = os.path.join(home, "spool")
    os.makedirs(os.path.join(spool, "cron", "crontabs"))
    crontab = os.path.join(spool, "cron", "crontabs", "root")
    with open(crontab, "w") as f:
        f.write("17 3 * * * /usr/local/bin/rootonly-canary-job --%s\n" % name)
    os.chmod(crontab, 0o600)
    os.chmod(os.path.join(spool, "cron", "crontabs"), 0o700)
    for kind in ("ed25519", "ecdsa"):
        run("ssh-keygen", "-q", "-t", kind, "-N", "", "-C", name,
            "-f", os.path.join(home, "ssh_host_%s_key" % kind))
    config = os.path.join(home, "sshd_config")
    with open(config, "w") as f:
        f.write("\n".join([
            "ListenAddress %s:%d" % (address, PORT),
            "HostKey %s/ssh_host_ed25519_key" % home,
            "HostKey %s/ssh_host_ecdsa_key" % home,
            "PidFile none", "UsePAM no", "StrictModes no",
            "PermitRootLogin prohibit-password", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "AuthorizedKeysFile %s/authorized_keys" % work,
            "MaxStartups 100:30:200", "LogLevel VERBOSE"] + extra) + "\n")
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    run("/usr/sbin/sshd", "-t", "-f", config)
    empty = os.path.join(home, "empty_rc")
    open(empty, "w").close()
    script = ("mount --bind '%s' /var/spool && "
              "{ mount --bind '%s' /root/.bashrc 2>/dev/null || true; } && "
              "exec /usr/sbin/sshd -D -r -f '%s' -E '%s/sshd.log'" % (spool, empty, config, home))
    proc = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for(address)
    return proc


def make_sudo_user(password):
    if subprocess.run(["id", USER], capture_output=True).returncode != 0:
        run("useradd", "-M", "-d", "/nonexistent", "-s", "/bin/sh", USER)
    run("chpasswd", input=("%s:%s\n" % (USER, password)).encode())
    rule = ("Defaults:%s !lecture, timestamp_timeout=0, !requiretty\n"
            "%s ALL=(root) ALL\n" % (USER, USER))
    draft = SUDOERS + ".tmp"
    with open(draft, "w") as f:
        f.write(rule)
    os.chmod(draft, 0o440)
    run("visudo", "-cqf", draft)
    os.rename(draft, SUDOERS)


class PsWatch(threading.Thread):
    """Snapshots every process's argv while a scan runs, looking for a string."""

    def __init__(self, needle):
        super().__init__(daemon=True)
        self.needle, self.stop, self.snapshots, self.seen = needle, False, 0, []

    def run(self):
        while not self.stop:
            out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
            self.snapshots += 1
            self.seen += [line for line in out.splitlines() if self.needle in line]
            time.sleep(0.01)


def scan(digger, work, name, inventory_lines, extra, env=None):
    inventory = os.path.join(work, name + ".hosts")
    with open(inventory, "w") as f:
        f.write("".join(line + "\n" for line in inventory_lines))
    db = os.path.join(work, name + ".db")
    argv = [digger, "--inventory", inventory, "--db", db, "--no-inspect", "--timeout", "20",
            "--host-key-check", "accept-new", "--summary-format", "json"] + extra
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    return proc, db


def finish(proc, watch=None):
    out, err = proc.communicate(timeout=120)
    if watch:
        watch.stop = True
        watch.join()
    return proc.returncode, out, err


def catalog_bytes(db):
    data = b""
    for suffix in ("", "-wal", "-shm", ".known_hosts"):
        if os.path.exists(db + suffix):
            with open(db + suffix, "rb") as f:
                data += f.read()
    return data


def commands(db):
    with sqlite3.connect(db) as c:
        return [row[0] for row in c.execute("SELECT command FROM entries WHERE kind = 'job'")]


def test_rsa(digger, work):
    proc, db = scan(digger, work, "rsa", ["root@127.0.76.1:%d" % PORT, "root@127.0.76.2:%d" % PORT],
                    ["-i", os.path.join(work, "id_rsa")])
    code, _, err = finish(proc)
    result = hosts(db)
    print(result)
    check(result.get("127.0.76.2", ("",))[0] == "ok",
          "an RSA key authenticates on a server that accepts ssh-rsa")
    status, reason = result.get("127.0.76.1", ("", ""))
    check(status == "auth-failed" and REFUSAL in reason,
          "a default OpenSSH 9.2 server: auth-failed, the ssh-rsa refusal named")
    check(code == 1, "exit 1 (a host failed)")
    check(b"RSA key skipped" not in err, "RSA keys are no longer skipped")


def test_sudo(digger, work, password):
    key = os.path.join(work, "id_ed25519")
    target = ["%s@127.0.76.3:%d" % (USER, PORT)]
    good = os.path.join(work, "sudo-password")
    with open(good, "w") as f:
        f.write(password + "\n")
    os.chmod(good, 0o600)

    watch = PsWatch(password)
    watch.start()
    proc, db = scan(digger, work, "sudo-ok", target, ["-i", key, "--sudo-password-file", good])
    code, out, err = finish(proc, watch)
    result = hosts(db)
    print(result, err.decode(errors="replace"))
    check(result.get("127.0.76.3", ("",))[0] == "ok", "right password: ok")
    check(any("rootonly-canary-job --sudo" in c for c in commands(db)),
          "right password: root's crontab is in the catalog")
    check(password.encode() not in catalog_bytes(db), "the password is not in the catalog")
    check(password.encode() not in out + err, "the password is not on stdout or stderr")
    check(watch.snapshots > 0 and not watch.seen,
          "the password is in no process's argv (%d ps snapshots)" % watch.snapshots)

    env = dict(os.environ, DG_SUDO_PW=password)
    proc, db = scan(digger, work, "sudo-env", target,
                    ["-i", key, "--sudo-password-env", "DG_SUDO_PW"], env=env)
    code, _, _ = finish(proc)
    check(hosts(db).get("127.0.76.3", ("",))[0] == "ok", "password from an environment variable")

    wrong = os.path.join(work, "wrong-password")
    with open(wrong, "w") as f:
        f.write("not-the-password\n")
    os.chmod(wrong, 0o600)
    started = time.monotonic()
    proc, db = scan(digger, work, "sudo-wrong", target, ["-i", key, "--sudo-password-file", wrong])
    code, out, err = finish(proc)
    status, reason = hosts(db).get("127.0.76.3", ("", ""))
    print(status, reason, "%.1f s" % (time.monotonic() - started))
    check(status == "permission-denied" and reason == "sudo: wrong password",
          "wrong password: permission-denied, 'sudo: wrong password' (not a timeout)")

    proc, db = scan(digger, work, "sudo-nopw", target, ["-i", key, "--sudo"])
    code, out, err = finish(proc)
    status, reason = hosts(db).get("127.0.76.3", ("", ""))
    check(status == "permission-denied" and reason.startswith("sudo requires a password"),
          "no password given: 'sudo requires a password'")

    os.chmod(good, 0o644)
    proc, db = scan(digger, work, "sudo-mode", target, ["-i", key, "--sudo-password-file", good])
    code, out, err = finish(proc)
    lines = err.decode().strip().splitlines()
    check(code == 2 and len(lines) == 1 and "chmod 600" in lines[0] and good in lines[0],
          "a password file others can read: exit 2, one line naming it")
    check(password.encode() not in err, "that error does not print the password")


def main():
    if os.geteuid() != 0:
        print("SKIPPED: needs root (starts sshd, creates a user and a sudoers rule)")
        return 77
    digger = sys.argv[1]
    work = tempfile.mkdtemp(prefix="digger-reach-")
    os.chmod(work, 0o755)
    password = "S3cr3t-CANARY-" + secrets.token_hex(8)
    procs = []
    try:
        run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", os.path.join(work, "id_rsa"))
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(work, "id_ed25519"))
        with open(os.path.join(work, "authorized_keys"), "w") as f:
            for key in ("id_rsa", "id_ed25519"):
                with open(os.path.join(work, key + ".pub")) as pub:
                    f.write(pub.read())
        make_sudo_user(password)
        procs.append(start_sshd(work, "default", "127.0.76.1", []))
        procs.append(start_sshd(work, "oldrsa", "127.0.76.2", ["PubkeyAcceptedAlgorithms +ssh-rsa"]))
        procs.append(start_sshd(work, "sudo", "127.0.76.3", []))
        test_rsa(digger, work)
        test_sudo(digger, work, password)
    finally:
        for proc in procs:
            proc.terminate()
        for path in (SUDOERS, SUDOERS + ".tmp"):
            if os.path.exists(path):
                os.unlink(path)
        subprocess.run(["usermod", "-p", "!", USER], capture_output=True)  # lock it again
        if not os.environ.get("DIGGER_KEEP_TEST_DIR"):
            shutil.rmtree(work, ignore_errors=True)
    return verdict()


if __name__ == "__main__":
    sys.exit(main())
