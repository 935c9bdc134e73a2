"""What scanners read from D: hosts.txt, ssh_config, known_hosts and truth.json."""

import json
import os

from . import distro
from .faults import FAULTS

STATUSES = ["ok", "partial", "unreachable", "timeout", "hostkey-mismatch", "auth-failed",
            "permission-denied", "protocol-error"]
LANGUAGES = ["shell", "python", "php", "perl", "ruby", "javascript", "java", "go", "binary", "unknown"]


def write_all(lab_dir, fleet, keys, settings):
    _write(lab_dir, "hosts.txt", hosts_txt(fleet))
    _write(lab_dir, "ssh_config", ssh_config(lab_dir, fleet))
    _write(lab_dir, "known_hosts", known_hosts(fleet, keys))
    _write(lab_dir, "truth.json", json.dumps(truth(lab_dir, fleet, settings), indent=1) + "\n")


def _write(lab_dir, name, text):
    tmp = os.path.join(lab_dir, name + ".tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, os.path.join(lab_dir, name))


def hosts_txt(fleet):
    out = ["# Digger inventory of the lab fleet: [user@]host[:port] key=value...\n"]
    for h in fleet:
        labels = "name=%s team=%s env=%s role=%s" % (h["name"], h["team"], h["env"], h["role"])
        if h["fault"]:
            labels += " fault=%s" % h["fault"]
        out.append("%s@%s:%d %s\n" % (h["login"], h["connect_address"], h["port"], labels))
    return "".join(out)


def ssh_config(lab_dir, fleet):
    out = ["# OpenSSH client configuration for the lab fleet: ssh -F %s/ssh_config HOST\n" % lab_dir]
    for h in fleet:
        out.append("Host %s\n  HostName %s\n  Port %d\n  User %s\n" % (h["name"], h["connect_address"], h["port"],
                                                                         h["login"]))
    out.append("Host *\n  IdentityFile %s/id_ed25519\n  IdentitiesOnly yes\n  UserKnownHostsFile %s/known_hosts\n"
               "  StrictHostKeyChecking yes\n  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n  KexAlgorithms curve25519-sha256\n"
               % (lab_dir, lab_dir))
    return "".join(out)


def known_hosts(fleet, keys):
    out = []
    for h in fleet:
        key = keys["other_pub"] if h.get("known_key") == "other" else keys["host_pub"][h["index"]]
        out.append("[%s]:%d %s\n" % (h["connect_address"], h["port"], key))
    return "".join(out)


def truth(lab_dir, fleet, settings):
    return {
        "version": 1,
        "dir": lab_dir,
        "seed": settings["seed"],
        "hosts_requested": settings["hosts"],
        "faults": settings["faults"],
        "delay_ms": settings["delay"],
        "client_key": os.path.join(lab_dir, "id_ed25519"),
        "shadow_canary": distro.SHADOW_CANARY,
        "statuses": STATUSES,
        "languages": LANGUAGES,
        "fault_catalogue": {name: {"status": s, "note": n} for name, (s, n) in FAULTS.items()},
        "hosts": [host_truth(h) for h in fleet],
    }


def host_truth(h):
    spool = [{"path": p, "owner": o, "group": g, "mode": "%04o" % m} for p, o, g, m in h["spool"]]
    if h["spool_owner"] != "root":
        spool[-1].update(owner=h["spool_owner"], mode="0700")
    return {
        "name": h["name"], "address": h["connect_address"], "port": h["port"],
        "backend_address": h["address"], "backend_port": h["port"],
        "user": h["login"], "sudo": h["sudo"], "layout": h["layout"], "cron_daemon": h["cron_daemon"],
        "os": h["os"], "timezone": h["timezone"], "role": h["role"], "team": h["team"], "env": h["env"],
        "fault": h["fault"], "expected_status": h["expected_status"], "status_note": h["status_note"],
        "accounts": sorted(set(h["accounts"]) | {"root"}),
        "spool_dirs": spool,
        "files": [f.truth() for f in h["files"]],
    }
