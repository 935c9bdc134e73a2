"""Digger's resolved targets (--list-targets) against `ssh -G`, the OpenSSH client's own view of
its config: host, port, user, identity files, IdentitiesOnly, ConnectTimeout, HostKeyAlias,
ProxyCommand (tokens expanded) and the ProxyJump chain, each hop looked up with `ssh -G` too."""
import json
import os
import pwd
import subprocess
import sys
import tempfile

binary = sys.argv[1]
problems = []
home = pwd.getpwuid(os.getuid()).pw_dir  # Digger, like ssh, takes ~ from the password database
local_user = pwd.getpwuid(os.getuid()).pw_name
DEFAULT_IDS = {"~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk", "~/.ssh/id_ed25519",
               "~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss", "~/.ssh/id_dsa"}


def ssh_g(cfg, host, user=None, port=None):
    args = ["ssh", "-G", "-F", cfg]
    if user:
        args += ["-l", user]
    if port:
        args += ["-p", str(port)]
    out = subprocess.run(args + [host], capture_output=True, text=True, check=True).stdout
    values = {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        values.setdefault(key, []).append(value)
    return values


def expand(path, host, user, port, alias):
    if path.startswith("~/"):
        path = home + path[1:]
    out, i = "", 0
    while i < len(path):
        if path[i] == "%" and i + 1 < len(path):
            out += {"%": "%", "h": host, "r": user, "p": str(port), "n": alias, "d": home,
                    "u": local_user}[path[i + 1]]
            i += 2
        else:
            out += path[i]
            i += 1
    return out


def identity_files(g, host, user, port, alias):
    files = g.get("identityfile", [])
    if set(files) <= DEFAULT_IDS:
        return []  # ssh's defaults; Digger's key ring has the same defaults
    return [expand(f, host, user, port, alias) for f in files]


def parse_jump(text):
    hops = []
    for element in text.split(","):
        user, _, rest = element.rpartition("@")
        host, _, port = rest.partition(":")
        hops.append((host, user or None, int(port) if port else None))
    return hops


def expected_chain(cfg, jump, depth=0):
    chain = []
    for i, (host, user, port) in enumerate(parse_jump(jump)):
        g = ssh_g(cfg, host, user, port)
        if i == 0 and g.get("proxyjump") and depth < 8:
            chain += expected_chain(cfg, g["proxyjump"][0], depth + 1)
        h, u, p = g["hostname"][0], g["user"][0], int(g["port"][0])
        chain.append({"name": host, "address": h, "port": p, "user": u,
                      "identity_files": identity_files(g, h, u, p, host)})
    return chain


def compare(cfg, hosts, name):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(hosts) + "\n")
        inventory = f.name
    run = subprocess.run([binary, "--inventory", inventory, "-F", cfg, "--list-targets",
                          "--allow-proxy-command", "--inventory-format", "plain"],
                         capture_output=True, text=True)
    os.unlink(inventory)
    if run.returncode != 0:
        problems.append(f"{name}: digger-scan failed: {run.stderr.strip()}")
        return
    targets = [json.loads(line) for line in run.stdout.splitlines()]
    if len(targets) != len(hosts):
        problems.append(f"{name}: {len(targets)} targets for {len(hosts)} hosts")
        return
    for spec, target in zip(hosts, targets):
        user, _, host = spec.rpartition("@")
        g = ssh_g(cfg, host, user or None)
        h, u, p = g["hostname"][0], g["user"][0], int(g["port"][0])
        want = {"address": h, "port": p, "user": u,
                "identity_files": identity_files(g, h, u, p, host),
                "identities_only": g.get("identitiesonly", ["no"])[0] == "yes"}
        got = {k: target[k] for k in want}
        jump = g.get("proxyjump", [None])[0]
        want["jump_hosts"] = expected_chain(cfg, jump) if jump else []
        got["jump_hosts"] = [{k: hop[k] for k in ("name", "address", "port", "user",
                                                  "identity_files")}
                             for hop in target["jump_hosts"]]
        command = g.get("proxycommand", [None])[0]
        want["proxy_command"] = expand(command, h, u, p, host) if command else None
        got["proxy_command"] = target["proxy_command"]
        timeout = g.get("connecttimeout", ["none"])[0]
        if timeout != "none":
            want["connect_timeout_ms"] = int(timeout) * 1000
            got["connect_timeout_ms"] = target["connect_timeout_ms"]
        if "hostkeyalias" in g:
            want["known_hosts"] = g["hostkeyalias"][0]
            got["known_hosts"] = target["known_hosts"]
        if got != want:
            problems.append(f"{name}: {spec}:\n  digger {got}\n  ssh -G {want}")


CONFIGS = {
    "patterns": ("""
Host web? !web9
  HostName %h.prod.example.com
  Port 2222
  IdentityFile ~/.ssh/id_%r@%h
Host web*
  User deploy
  Port 2200
  IdentityFile %d/keys/%n-%p
Host *
  User fallback
  IdentityFile ~/.ssh/common
""", ["web1", "web9", "bob@web2", "db1"]),
    "match": ("""
Host db*
  HostName 10.0.0.7
Match host 10.0.0.*
  User dba
  ConnectTimeout 7
Match originalhost DB2 !user root
  Port 2345
Match user root
  IdentityFile ~/.ssh/root_key
Match all
  IdentitiesOnly yes
""", ["db1", "root@db2", "db2", "other"]),
    "include": ("""
Include {dir}/extra.conf
Host *
  Port 2100
""", ["inc1", "inc2"]),
    "jump": ("""
Host fleet-*
  User ops
  ProxyJump b1,admin@b2:2200
Host b1
  HostName 10.1.1.1
  User jump
  IdentityFile ~/.ssh/jump_%r
  ProxyJump outer
Host b2
  HostKeyAlias b2key
  ProxyJump ignored
Host single
  ProxyJump ssh://u@gw:2022
Host direct
  ProxyJump none
  ProxyJump never
""", ["fleet-1", "single", "direct"]),
    "command": ("""
Host pc
  ProxyCommand nc -X 5 -x proxy:1080 %h %p # %r %n %%
  ProxyJump later
Host pj
  ProxyJump gw
  ProxyCommand never
Host nopc
  ProxyCommand none
  ProxyJump never
Host jnone
  ProxyJump none
  ProxyCommand after-jump-none %h
Host * !gw
  ProxyCommand ssh -W %h:%p gw
""", ["pc", "bob@pc", "pj", "nopc", "jnone", "other"]),
}

with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "extra.conf"), "w") as f:
        f.write("Host inc1\n  HostName included.example.com\n  User incuser\n")
    for name, (text, hosts) in CONFIGS.items():
        cfg = os.path.join(tmp, name + ".conf")
        with open(cfg, "w") as f:
            f.write(text.replace("{dir}", tmp))
        compare(cfg, hosts, name)

for problem in problems:
    print(problem)
print(f"{len(problems)} problem(s)")
sys.exit(1 if problems else 0)
