"""Deterministic fleet generation: hosts, accounts and cron files from a seed. Pure: no I/O.

Host i depends only on (seed, i, the roles of hosts before it), so growing --hosts keeps the
first hosts identical. Fault hosts come after the healthy ones and depend on (seed, fault).
"""

import random

from . import atjobs, catalog, distro, extras, jobs
from .distro import user_crontab
from .cronfile import CronFile
from .faults import FAULTS, apply_fault

DAEMON = {"rhel": "cronie", "debian": "vixie"}
LAB_ACCOUNTS = ["app", "deploy", "www-data", "backup", "digger"]


def host_address(slot, index, front=False):
    """127.<100+slot>.<index/250 (+128 for the delay proxy's front)>.<2 + index%250>."""
    third = index // 250 + (128 if front else 0)
    return "127.%d.%d.%d" % (100 + slot, third, 2 + index % 250)


def host_port(index):
    """Below the ephemeral range (32768+); addresses alone keep (address, port) unique."""
    return 22000 + index % 10000


def generate(seed, hosts, faults, slot=0, have_go=True):
    """The whole fleet as a list of host dicts (internal form: files are CronFile objects).
    have_go: whether the lab could build its Go binary (without it, no Go jobs)."""
    fleet, counters = [], {}
    for i in range(hosts):
        rng = random.Random("%s:host:%d" % (seed, i))
        host = _healthy_host(rng, i, counters)
        _add_extras(host, random.Random("%s:extras:%d" % (seed, i)), have_go)
        atjobs.add(host, random.Random("%s:at:%d" % (seed, i)))
        fleet.append(host)
    for k, fault in enumerate(faults):
        i = hosts + k
        rng = random.Random("%s:fault:%s" % (seed, fault))
        host = _healthy_host(rng, i, counters, name="fault-%s" % fault)
        apply_fault(host, fault, rng)
        _add_extras(host, random.Random("%s:extras-fault:%s" % (seed, fault)), have_go)
        fleet.append(host)
    for host in fleet:
        host["address"] = host_address(slot, host["index"])
        host["port"] = host_port(host["index"])
    return fleet


def _add_extras(host, rng, have_go):
    """Schedulers beyond the crontabs and the programs behind the jobs (labkit/extras.py), from a
    random stream of their own so that the crontabs drawn above stay as they were."""
    extras.add(host, rng, have_go)
    extras.plan_programs(host, rng, jobs.targets(host), have_go)
    for f in host["files"]:
        finish_loaded(f, host)


def _healthy_host(rng, index, counters, name=None):
    role = rng.choices(list(catalog.ROLES), [w for w, _ in catalog.ROLES.values()])[0]
    counters[role] = counters.get(role, 0) + 1
    layout = rng.choice(["rhel", "debian"])
    os_id, version, pretty = rng.choice(catalog.OSES[layout])
    login = "root" if rng.random() < 0.6 else "digger"
    accounts = LAB_ACCOUNTS + (["postgres"] if role == "db" else [])
    host = {
        "name": name or "%s-%03d" % (role, counters[role]), "index": index, "role": role,
        "team": catalog.ROLES[role][1], "env": "prod" if rng.random() < 0.8 else "staging",
        "layout": layout, "cron_daemon": DAEMON[layout],
        "os": {"id": os_id, "version": version, "pretty": pretty},
        "timezone": "Etc/UTC", "login": login, "sudo": "nopasswd" if login == "digger" else "none",
        "accounts": accounts, "fault": None, "expected_status": "ok", "status_note": "",
        "ctx": _context(rng), "files": [], "spool_owner": "root", "drop_dac": False,
        "force_command": None,
    }
    host["spool"] = distro.spool_dirs(layout)
    host["files"] = _cron_files(rng, host)
    return host


def _context(rng):
    return {
        "app": rng.choice(catalog.APPS), "region": rng.choice(catalog.REGIONS),
        "db": rng.choice(catalog.DBS), "queue": rng.choice(catalog.QUEUES),
        "task": rng.choice(catalog.TASKS), "uuid": "%08x-%04x" % (rng.getrandbits(32), rng.getrandbits(16)),
    }


def _cron_files(rng, host):
    files = [distro.etc_crontab(rng, host)]
    files += distro.cron_d_files(rng, host)
    files += _app_cron_d(rng, host)
    files += _user_crontabs(rng, host)
    for f in files:
        finish_loaded(f, host)
    return files


def _fill(text, ctx):
    return text.format(**ctx)


def _pick_jobs(rng, host, owner, count):
    pool = [j for j in catalog.JOBS if host["role"] in j.roles and owner in j.owners]
    return rng.sample(pool, min(count, len(pool)))  # a job appears once per file


def _schedule(rng):
    if rng.random() < 0.5:
        return rng.choice(catalog.SCHEDULES)
    return "%d %d * * *" % (rng.randrange(60), rng.randrange(24))


def add_jobs(rng, f, host, owner, count):
    """Jobs, env lines, comments, disabled jobs and the odd invalid line, in a plausible order."""
    ctx = host["ctx"]
    if rng.random() < 0.5:
        f.env(rng.choice(catalog.ENV_LINES))
    if host["layout"] == "rhel" and rng.random() < 0.1:
        f.env("CRON_TZ=Europe/Paris")
    for job in _pick_jobs(rng, host, owner, count):
        if rng.random() < 0.3:
            f.comment(rng.choice(catalog.COMMENTS[3:]))
        sep = "\t" if rng.random() < 0.2 else " "
        cmd, prog = _fill(job.cmd, ctx), _fill(job.prog, ctx)
        prefix = None
        if rng.random() < 0.12:
            prefix = rng.choice(["#", "# ", "#  "])
        f.job(_schedule(rng), owner, cmd, job.lang, prog, sep=sep, disabled_prefix=prefix)
        if rng.random() < 0.15:
            f.blank()
    if rng.random() < 0.06:
        text, error = rng.choice(catalog.INVALID)
        if f.system and not text[0].isalpha():
            head, _, tail = text.partition(" /")
            text = "%s %s /%s" % (head, owner, tail) if tail else text
        f.invalid(text, error)


def _user_crontabs(rng, host):
    files = []
    owners = ["root"] + [a for a in host["accounts"] if a != "digger"]
    chosen = [o for o in owners if rng.random() < (0.6 if o == "root" else 0.35)]
    if host["role"] == "db" and "postgres" not in chosen:
        chosen.append("postgres")
    for owner in chosen:
        if not _pick_jobs(random.Random(0), host, owner, 1):
            continue  # nothing this account would run on such a host
        f = user_crontab(host, owner)
        if host["layout"] == "debian" and rng.random() < 0.5:
            f.comment(catalog.COMMENTS[0])
            f.comment("# (/tmp/crontab.%06x installed on Mon Mar  4 10:12:01 2024)" % rng.getrandbits(24))
            f.comment("# (Cron version -- $Id: crontab.c,v 2.13 1994/01/17 03:20:37 vixie Exp $)")
        add_jobs(rng, f, host, owner, rng.randint(1, 5))
        if host["role"] in ("web", "api", "worker", "batch") and owner in ("root", "app"):
            sched, user, cmd, lang, prog = catalog.FLEET_JOBS[0]
            f.job(sched, owner, cmd, lang, prog)
        files.append(f)
    if rng.random() < 0.05:  # the account was deleted, its crontab stayed
        f = user_crontab(host, rng.choice(["olduser", "jenkins", "contractor1"]))
        name = f.file_name_owner
        f.job("0 4 * * *", name, "/home/%s/bin/sync.sh" % name, "shell", "/home/%s/bin/sync.sh" % name)
        files.append(f)
    return files


def _app_cron_d(rng, host):
    if rng.random() < 0.5:
        return []
    app = host["ctx"]["app"]
    f = CronFile("/etc/cron.d/" + app, "cron.d", "root", "root", 0o644, system=True)
    f.comment("# %s scheduled jobs, managed by ansible" % app)
    f.env("MAILTO=ops@example.com")
    add_jobs(rng, f, host, rng.choice(["app", "root", "www-data"]), rng.randint(1, 4))
    sched, user, cmd, lang, prog = catalog.FLEET_JOBS[1]
    if rng.random() < 0.3:
        f.job(sched, user, cmd, lang, prog)
    files = [f]
    if host["layout"] == "debian" and rng.random() < 0.15:  # Debian cron ignores names with dots
        g = CronFile("/etc/cron.d/%s.dpkg-old" % app, "cron.d", "root", "root", 0o644, system=True)
        g.job("30 1 * * *", "root", "/opt/scripts/backup.sh", "shell", "/opt/scripts/backup.sh")
        files.append(g)
    return files


def finish_loaded(f, host):
    """Whether the host's cron daemon would load the file, and why not."""
    vixie = host["cron_daemon"] == "vixie"
    name = f.path.rsplit("/", 1)[1]
    reasons = []
    if f.symlink_to:
        reasons.append("symbolic link")
    if f.kind == "user" and getattr(f, "file_name_owner", name) not in host["accounts"] + ["root"]:
        reasons.append("no such account")
    if f.kind == "cron.d" and vixie and not all(c.isalnum() or c in "_-" for c in name):
        reasons.append("Debian cron skips cron.d names outside [A-Za-z0-9_-]")
    if f.kind == "cron.d" and not vixie and (name[0] in ".#" or name.endswith("~")):
        reasons.append("cronie skips this file name")
    if vixie and f.has_invalid:
        reasons.append("Debian cron ignores the whole file after a syntax error")
    if f.raw is not None and len(f.raw) > 1 << 20:
        reasons.append("not a crontab: 50 MiB of log lines, no valid entry")
    f.loaded = not reasons
    f.load_note = "; ".join(reasons)


__all__ = ["generate", "FAULTS", "host_address", "host_port", "finish_loaded"]
