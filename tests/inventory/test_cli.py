"""digger-scan's start-up with the inventories people have, no sshd needed (hosts on
127.0.74.0/24 ports that refuse): per-target IdentityFile satisfies the key check, a
ProxyCommand never runs without --allow-proxy-command, the three Ansible formats of
inventory/ agree, --limit, and a file in another format than asked says what it looks like."""
import json
import os
import socket
import subprocess
import sys
import tempfile

binary, examples = sys.argv[1], sys.argv[2]
problems = []


def expect(cond, message):
    if not cond:
        problems.append(message)


def closed_port():
    s = socket.socket()
    s.bind(("127.0.74.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(*args, home):
    env = dict(os.environ, HOME=home)
    env.pop("SSH_AUTH_SOCK", None)  # no agent: only key files count
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=120)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def targets(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


with tempfile.TemporaryDirectory() as tmp:
    key = os.path.join(tmp, "fleet_ed25519")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    hosts = write(os.path.join(tmp, "hosts.txt"), "fleet-1\nfleet-2\n")
    port = closed_port()
    db = os.path.join(tmp, "digger.db")

    # 1. IdentityFile only in the ssh config: no -i, no agent, no ~/.ssh keys.
    with_key = write(os.path.join(tmp, "cfg"), f"Host fleet-*\n  HostName 127.0.74.1\n"
                     f"  Port {port}\n  User ops\n  IdentityFile {key}\n")
    r = run("--inventory", hosts, "-F", with_key, "--db", db, "--timeout", "10", "-q", home=tmp)
    expect("no usable SSH identity" not in r.stderr, f"IdentityFile ignored: {r.stderr}")
    expect(r.returncode == 1, f"expected exit 1 (hosts unreachable), got {r.returncode}: {r.stderr}")

    no_key = write(os.path.join(tmp, "cfg-nokey"), f"Host fleet-*\n  HostName 127.0.74.1\n"
                   f"  Port {port}\n  User ops\n")
    r = run("--inventory", hosts, "-F", no_key, "--db", db, "-q", home=tmp)
    expect(r.returncode == 2 and "no usable SSH identity" in r.stderr,
           f"no key at all must stop the scan: {r.returncode} {r.stderr}")

    half = write(os.path.join(tmp, "cfg-half"), f"Host fleet-1\n  HostName 127.0.74.1\n"
                 f"  IdentityFile {key}\nHost fleet-2\n  HostName 127.0.74.2\nHost *\n"
                 f"  Port {port}\n")
    r = run("--inventory", hosts, "-F", half, "--db", db, "--timeout", "10", "-q", home=tmp)
    expect(r.returncode == 1 and "1 of 2 hosts have no usable SSH identity (first: "
           f"{hosts}:2: fleet-2)" in r.stderr, f"one host without a key: {r.returncode} {r.stderr}")

    # 2. ProxyCommand from an inventory or a config never runs without the opt-in.
    canary = os.path.join(tmp, "canary")
    inv = write(os.path.join(tmp, "pc.ini"), "[g]\n"
                f"h1 ansible_host=127.0.74.1 ansible_port={port} "
                f"ansible_ssh_common_args='-o ProxyCommand=\"touch {canary}\"'\n")
    r = run("--inventory", inv, "-F", "/dev/null", "-i", key, "--db", db, home=tmp)
    expect(r.returncode == 2, f"ProxyCommand without the flag: exit {r.returncode}")
    expect(f"{inv}:2: h1: ProxyCommand ({inv}:2) refused" in r.stderr, r.stderr)
    r = run("--inventory", inv, "-F", "/dev/null", "--list-targets", "--allow-proxy-command",
            home=tmp)
    expect(r.returncode == 0 and targets(r)[0]["proxy_command"] == f"touch {canary}",
           f"--allow-proxy-command: {r.stdout} {r.stderr}")
    expect(not os.path.exists(canary), "the canary ProxyCommand ran")
    pc_cfg = write(os.path.join(tmp, "cfg-pc"), f"Host *\n  ProxyCommand touch {canary}\n")
    r = run("--inventory", hosts, "-F", pc_cfg, "-i", key, "--db", db, home=tmp)
    expect(r.returncode == 2 and "refused" in r.stderr and not os.path.exists(canary),
           f"config ProxyCommand: {r.returncode} {r.stderr}")

    # 3. The Ansible formats agree; groups are labels; --limit selects as Ansible does.
    listed = {}
    for name in ("ansible.ini", "ansible.yml", "ansible.json"):
        r = run("--inventory", os.path.join(examples, name), "-F", "/dev/null", "--list-targets",
                home=tmp)
        expect(r.returncode == 0, f"{name}: {r.stderr}")
        listed[name] = sorted(json.dumps({k: v for k, v in t.items() if k != "source"},
                                         sort_keys=True) for t in targets(r))
    expect(listed["ansible.ini"] == listed["ansible.yml"] == listed["ansible.json"],
           f"formats disagree: {listed}")
    expect(len(listed["ansible.ini"]) == 8, f"expected 8 hosts: {listed['ansible.ini']}")
    r = run("--inventory", os.path.join(examples, "ansible.ini"), "-F", "/dev/null",
            "--list-targets", "--limit", "db:!db-primary", home=tmp)
    got = [(t["name"], t["port"], t["user"], t["labels"].get("group"),
            [h["name"] for h in t["jump_hosts"]]) for t in targets(r)]
    expect(got == [(f"db-{c}.example.com", 2222, "ops", "db,dc1", ["bastion.example.com"])
                   for c in "abc"], f"--limit: {got} {r.stderr}")

    # 4. A file in another format than asked for.
    r = run("--inventory", os.path.join(examples, "ansible.yml"), "--inventory-format", "plain",
            "--list-targets", home=tmp)
    expect(r.returncode == 2 and "this looks like an Ansible YAML inventory" in r.stderr, r.stderr)
    big = write(os.path.join(tmp, "big.txt"), "web[0-99999999]\n")
    r = run("--inventory", big, "--list-targets", home=tmp)
    expect(r.returncode == 2 and f"{big}:1: " in r.stderr and "more than" in r.stderr, r.stderr)

for problem in problems:
    print(problem)
print(f"{len(problems)} problem(s)")
sys.exit(1 if problems else 0)
