"""What scanners read from D: hosts.txt, ssh_config, known_hosts and truth.json."""

import hashlib
import json
import os

from . import distro, jobs
from .extras import VERSIONS
from .faults import FAULTS
from .programs import Binaries

STATUSES = ["ok", "partial", "unreachable", "timeout", "hostkey-mismatch", "auth-failed",
            "permission-denied", "protocol-error"]
LANGUAGES = ["shell", "python", "php", "perl", "ruby", "javascript", "java", "go", "binary", "unknown"]
SOURCE_KINDS = ["user", "system", "cron.d", "anacrontab", "run-parts", "timer", "service", "at"]
VERDICTS = ["managed", "hidden"]
JOB_FLAGS = ["target-missing", "target-writable", "secret-in-command", "timer-disabled", "app-scheduler-not-expanded"]


def write_all(lab_dir, fleet, keys, settings, binaries=None):
    _write(lab_dir, "hosts.txt", hosts_txt(fleet))
    _write(lab_dir, "ssh_config", ssh_config(lab_dir, fleet))
    _write(lab_dir, "known_hosts", known_hosts(fleet, keys))
    _write(lab_dir, "truth.json", json.dumps(truth(lab_dir, fleet, settings, binaries), indent=1) + "\n")


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


def truth(lab_dir, fleet, settings, binaries=None):
    binaries = binaries or Binaries.planned()
    hosts = [host_truth(h, binaries) for h in fleet]
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
        "source_kinds": SOURCE_KINDS, "verdicts": VERDICTS, "job_flags": JOB_FLAGS,
        "binaries": binaries.truth(),
        "secrets": sorted({s for h in hosts for s in h["secrets"]}),
        "hosts": hosts,
    }


def host_truth(h, binaries=None):
    spool = [{"path": p, "owner": o, "group": g, "mode": "%04o" % m} for p, o, g, m in h["spool"]]
    if h["spool_owner"] != "root":
        spool[-1].update(owner=h["spool_owner"], mode="0700")
    out = {
        "name": h["name"], "address": h["connect_address"], "port": h["port"],
        "backend_address": h["address"], "backend_port": h["port"],
        "user": h["login"], "sudo": h["sudo"], "layout": h["layout"], "cron_daemon": h["cron_daemon"],
        "os": h["os"], "timezone": h["timezone"], "role": h["role"], "team": h["team"], "env": h["env"],
        "fault": h["fault"], "expected_status": h["expected_status"], "status_note": h["status_note"],
        "accounts": sorted(set(h["accounts"]) | {"root"}),
        "spool_dirs": spool,
        "files": [dict(f.truth(), package=jobs.owning_package(h, f.path)) for f in h["files"]],
    }
    out.update(hidden_batches_truth(h, binaries or Binaries.planned()))
    return out


def hidden_batches_truth(h, binaries):
    """The keys added for hidden batches (docs/lab.md, "Hidden batches")."""
    host_jobs, programs = jobs.host_jobs(h, binaries)
    return {
        "package_db": h.get("package_db", "none"),
        "packages": {p: {"version": VERSIONS[p], "files": sorted(paths)} for p, paths in h.get("packages", {}).items()},
        "sources": [_source_truth(h, x) for x in h.get("extra_files", []) if x["source_kind"]],
        "enabled_units": h.get("enabled_units", []),
        "program_files": [_program_file_truth(x) for x in h.get("extra_files", [])
                          if not x["source_kind"] and not x["symlink"]],
        "programs": programs,
        "jobs": host_jobs,
        "secrets": h.get("secrets", []),
    }


def _source_truth(h, x):
    data = x["content"]
    out = {"path": x["path"], "kind": x["source_kind"], "owner": x["owner"], "group": x["group"],
           "mode": "%04o" % x["mode"], "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
           "package": jobs.owning_package(h, x["path"]), "loaded": x["loaded"], "load_note": x["load_note"]}
    if x["source_kind"] == "anacrontab":
        out["lines"] = x["lines"]
    if x["source_kind"] == "timer":
        out.update({k: x[k] for k in ("triggers", "service", "exec_start", "command", "user", "enabled")})
    if x["source_kind"] == "at":  # the whole script, its environment secret included (the clear text)
        out.update(text=data.decode("utf-8", "surrogateescape"), at=x["at"])
    return out


def _program_file_truth(x):
    return {"path": x["path"], "owner": x["owner"], "group": x["group"], "mode": "%04o" % x["mode"],
            "binary": x["binary"], "sha256": hashlib.sha256(x["content"]).hexdigest() if x["content"] is not None
            else None}
