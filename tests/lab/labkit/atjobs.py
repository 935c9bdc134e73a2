"""at(1) jobs queued on some lab hosts (issue 18): one file per job in atd's spool at the
distribution's path (Debian /var/spool/cron/atjobs, RHEL /var/spool/at), written the way at(1)
writes it: the header, umask, the submitter's environment (holding a secret that must never reach
the catalog), `cd DIR || {...}`, then the command inside the `${SHELL:-/bin/sh} << 'marcin...'`
heredoc (Debian) or bare (the older RHEL layout). Pure: no I/O; drawn from an rng of its own so
that nothing else of the host changes."""

from . import distro, reference
from .schedulers import add_file

# 2030-01-01T00:00Z and later: always ahead, so `next` shows the run time.
FIRST_MINUTE = 1893456000 // 60

COMMANDS = [
    "tar czf /var/backups/{app}-before-upgrade.tgz /srv/{app}",
    "/usr/bin/python3 /opt/{app}/manage.py clearsessions",
    "cd /var/www/{app} && php artisan migrate --force",
]
OWNERS = {"root": "root", "deploy": "deploy", "app": "app"}


def add(host, rng):
    """Queues one or two at jobs on about a third of the hosts with an sshd."""
    if host.get("listener", "sshd") != "sshd" or rng.random() > 0.35:
        return
    debian = host["layout"] == "debian"
    spool = "/var/spool/cron/atjobs" if debian else "/var/spool/at"
    app = host["ctx"]["app"]
    for number in range(1, rng.randint(1, 2) + 1):
        owner = rng.choice(sorted(o for o in OWNERS if o == "root" or o in host["accounts"]))
        minutes = FIRST_MINUTE + rng.randrange(0, 500000)
        queue = rng.choice("aab")
        name = "%s%05x%08x" % (queue, number, minutes)
        command = rng.choice(COMMANDS).format(app=app)
        secret = "atenv-%016x" % rng.getrandbits(64)
        content, line = script(owner, command, secret, debian)
        f = add_file(host, spool + "/" + name, content, kind="at", mode=0o700, owner=owner, group=OWNERS[owner])
        language, program = reference.language(command)
        f["at"] = dict(line=line, owner=owner, command=command, language=language, program=program)
        host["secrets"].append(secret)


def script(owner, command, secret, heredoc):
    """(file text, 1-based line of the command) as at(1) writes them."""
    uid, gid = distro.uid_gid(owner, OWNERS[owner])
    home = "/root" if owner == "root" else "/home/" + owner
    lines = ["#!/bin/sh", "# atrun uid=%d gid=%d" % (uid, gid), "# mail %s 0" % owner, "umask 22",
             "LANG=C.UTF-8; export LANG", "HOME=%s; export HOME" % home,
             "LOGNAME=%s; export LOGNAME" % owner, "DEPLOY_TOKEN=%s; export DEPLOY_TOKEN" % secret,
             "cd %s || {" % home, "\t echo 'Execution directory inaccessible' >&2", "\t exit 1", "}"]
    if heredoc:
        lines.append("${SHELL:-/bin/sh} << 'marcinDELIMITER%08x'" % (uid * 7919 + 17))
    lines.append(command)
    line = len(lines)
    lines.append("")
    if heredoc:
        lines.append("marcinDELIMITER%08x" % (uid * 7919 + 17))
    return "\n".join(lines) + "\n", line


def truth_jobs(host, facts, make_job):
    """The truth's at jobs: `make_job` is jobs._job."""
    out = []
    for x in host.get("extra_files", []):
        if x["source_kind"] != "at":
            continue
        at = x["at"]
        out.append(make_job(host, facts, "at", x["path"], at["line"], at["owner"], None, at["command"],
                            at["language"], at["program"], [], None, True))
    return out
