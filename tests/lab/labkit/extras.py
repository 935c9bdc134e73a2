"""The schedulers and programs beyond the crontabs (docs/lab.md, "Hidden batches"): target
programs under /opt and /srv, package-owned files in a per-host dpkg database, configuration-
management markers, secrets in commands, /etc/anacrontab, run-parts scripts and systemd timers.
Pure: no I/O. Drawn from a random stream of its own, so the crontab contents of every host stay
what they were before this module existed, apart from the lines appended here.
"""

import os

from .cronfile import CronFile
from .distro import user_crontab
from .programs import script

# Debian package versions per OS version; the lab's dpkg database holds only what it registers.
PHP_PACKAGE = {"12": "php8.2-common", "11": "php7.4-common", "22.04": "php8.1-common", "20.04": "php7.4-common"}
VERSIONS = {"cron": "3.0pl1-162", "sysstat": "12.6.1-1", "e2fsprogs": "1.47.0-2", "logrotate": "3.21.0-1",
            "man-db": "2.11.2-2", "dpkg": "1.21.22", "anacron": "2.3-36", "php8.2-common": "2:8.2.7-1",
            "php7.4-common": "7.4.33-1", "php8.1-common": "8.1.2-1ubuntu2"}
RUN_PARTS_DIRS = ["/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly"]
OPAQUE_DIRS = RUN_PARTS_DIRS + ["/etc/systemd/system", "/etc/systemd/user"]
PER_HOST_MOUNTS = {"/opt": "opt", "/srv": "srv", "/usr/lib/systemd/system": "lib-systemd", "/var/lib/dpkg": "dpkg"}
UNIT_DIR = "/etc/systemd/system"
VENDOR_UNIT_DIR = "/usr/lib/systemd/system"


class AnacronFile:
    """/etc/anacrontab: lines with their truth, like CronFile."""

    def __init__(self, path):
        self.path, self.lines = path, []

    def _add(self, text, kind, **fields):
        self.lines.append(dict(n=len(self.lines) + 1, kind=kind, text=text, **fields))

    def comment(self, text):
        self._add(text, "comment")

    def blank(self):
        self._add("", "blank")

    def env(self, text):
        name, _, value = text.partition("=")
        self._add(text, "env", name=name, value=value)

    def job(self, period, delay, job_id, command, lang, prog, sep="\t"):
        schedule = sep.join([period, delay, job_id])
        self._add(schedule + sep + command, "job", period=period, delay=delay, job_id=job_id, schedule=schedule,
                  command=command, language=lang, program=prog, owner="root")

    def content(self):
        return "".join(line["text"] + "\n" for line in self.lines).encode()


def _file(host, path, content, kind=None, mode=0o644, owner="root", group="root", **more):
    f = dict(path=path, content=content.encode() if isinstance(content, str) else content, source_kind=kind,
             mode=mode, owner=owner, group=group, binary=None, symlink=None, loaded=True, load_note="", lines=None)
    f.update(more)
    host["extra_files"].append(f)
    return f


def _register(host, package, path):
    if host["package_db"] == "dpkg":
        host["packages"].setdefault(package, [])
        host["packages"][package].append(path)


def _crontab_for(host, owner):
    """The host's crontab for `owner` (created when it has none); None when it cannot take lines."""
    for f in host["files"]:
        if f.kind == "user" and getattr(f, "file_name_owner", None) == owner:
            return f if f.raw is None and not f.symlink_to else None
    f = user_crontab(host, owner)
    host["files"].append(f)
    return f


def add(host, rng, have_go):
    """Adds every extra to a host that has an sshd (the others keep nothing)."""
    host.update(extra_files=[], packages={}, enabled_units=[], secrets=[], must_exist=set(), must_miss=set(),
                package_db="dpkg" if host["layout"] == "debian" else "none", timers=[])
    if host.get("listener", "sshd") != "sshd":
        return
    ctx = host["ctx"]
    debian = host["layout"] == "debian"
    _register_distribution_files(host)
    _crontab_extras(host, rng, ctx, have_go)
    if rng.random() < 0.35:
        _ansible_cron_d(host, rng, ctx)
    if rng.random() < 0.25:
        _secrets(host, rng, ctx)
    if debian and rng.random() < 0.3:
        f = CronFile("/etc/cron.d/e2scrub_all", "cron.d", "root", "root", 0o644, system=True)
        # Debian writes `test -e /run/systemd/system || …`; whether `test -e X ||` is a guard to
        # look through is a matter of taste, so the lab uses the `[ -x P ] &&` guard instead.
        # The target is the machine's own file when e2fsprogs is installed (shell by shebang).
        f.job("10 3 * * *", "root", "[ -x /sbin/e2scrub_all ] && /sbin/e2scrub_all -A -r", "binary",
              "/sbin/e2scrub_all")
        host["files"].append(f)
        _register(host, "e2fsprogs", f.path)
    anacron = rng.random() < (0.7 if not debian else 0.3)
    if anacron:
        _anacrontab(host, rng)
    if rng.random() < 0.6:
        _run_parts(host, rng, ctx, anacron)
    if rng.random() < 0.45:
        _timers(host, rng, ctx, have_go)
    if debian and rng.random() < 0.3:
        _vendor_timer(host)


def _register_distribution_files(host):
    if host["package_db"] != "dpkg":
        return
    os_version = host["os"]["version"]
    for f in host["files"]:
        if f.path == "/etc/crontab" or f.path == "/etc/cron.d/.placeholder":
            _register(host, "cron", f.path)
        elif f.path == "/etc/cron.d/sysstat":
            _register(host, "sysstat", f.path)
        elif f.path == "/etc/cron.d/php":
            _register(host, PHP_PACKAGE[os_version], f.path)


# ---------------------------------------------------------------- crontab lines and their targets


def _crontab_extras(host, rng, ctx, have_go):
    app = ctx["app"]
    if have_go and rng.random() < 0.35:
        f = _crontab_for(host, "app")
        if f:
            f.job("30 1 * * *", "app", "/opt/%s/bin/settle --daily" % app, "binary", "/opt/%s/bin/settle" % app)
            host["must_exist"].add("/opt/%s/bin/settle" % app)
    if rng.random() < 0.3:
        f = _crontab_for(host, "root")
        if f:
            f.job("*/30 * * * *", "root", "/opt/tools/purge-cache --older-than 7d", "binary", "/opt/tools/purge-cache")
            host["must_exist"].add("/opt/tools/purge-cache")
    if rng.random() < 0.3:
        f = _crontab_for(host, "www-data")
        if f:
            f.job("*/10 * * * *", "www-data", "/srv/%s/bin/console-cron queue:work" % app, "binary",
                  "/srv/%s/bin/console-cron" % app)
            f.job("0 4 * * *", "www-data", "php /srv/%s/cron/send_digest.php" % app, "php",
                  "/srv/%s/cron/send_digest.php" % app)
            f.job("15 * * * *", "www-data", "/srv/%s/jobs/import_feed.py" % app, "python",
                  "/srv/%s/jobs/import_feed.py" % app)
            host["must_exist"].update("/srv/%s/%s" % (app, p) for p in ("bin/console-cron", "cron/send_digest.php",
                                                                         "jobs/import_feed.py"))
    if rng.random() < 0.3:
        f = CronFile("/etc/cron.d/%s-native" % app, "cron.d", "root", "root", 0o644, system=True)
        f.env("MAILTO=ops@example.com")
        f.job("45 2 * * *", "root", "/opt/%s/bin/compact-ledger --since 24h" % app, "binary",
              "/opt/%s/bin/compact-ledger" % app)
        host["files"].append(f)
        host["must_exist"].add("/opt/%s/bin/compact-ledger" % app)
    if rng.random() < 0.25:
        f = _crontab_for(host, "root")
        if f:
            f.job("0 5 * * *", "root", "/opt/%s/bin/old-importer --all" % app, "binary", "/opt/%s/bin/old-importer" % app)
            host["must_miss"].add("/opt/%s/bin/old-importer" % app)
    if rng.random() < 0.2:
        f = _crontab_for(host, "root")
        if f:
            f.job("*/20 * * * *", "root", "/opt/scripts/cleanup-tmp.sh", "shell", "/opt/scripts/cleanup-tmp.sh")
            host["must_exist"].add("/opt/scripts/cleanup-tmp.sh")
    if rng.random() < 0.3:
        f = _crontab_for(host, "app")
        if f:
            f.comment("#Ansible: purge %s sessions" % app)
            f.job("*/30 * * * *", "app", "/usr/bin/python3 /opt/%s/manage.py clearsessions" % app, "python",
                  "/opt/%s/manage.py" % app)
    if rng.random() < 0.2:
        _puppet(host)


def _puppet(host):
    f = _crontab_for(host, "root")
    if f is None:
        return
    if not f.lines:
        f.comment("# HEADER: This file was autogenerated at 2024-03-04 10:12:01 +0000 by puppet.")
        f.comment("# HEADER: While it can still be managed manually, it is definitely not recommended.")
        f.comment("# HEADER: Note particularly that the comments starting with 'Puppet Name' should")
        f.comment("# HEADER: not be deleted, as doing so could cause duplicate cron jobs.")
    f.comment("# Puppet Name: rotate-app-logs")
    f.job("15 4 * * *", "root", "/opt/scripts/rotate-app-logs.sh", "shell", "/opt/scripts/rotate-app-logs.sh")
    host["must_exist"].add("/opt/scripts/rotate-app-logs.sh")


def _ansible_cron_d(host, rng, ctx):
    app = ctx["app"]
    f = CronFile("/etc/cron.d/ansible_%s" % app, "cron.d", "root", "root", 0o644, system=True)
    f.comment("#Ansible: %s nightly report" % app)
    f.job("0 2 * * *", "app", "/usr/bin/env python3 /opt/scripts/report.py --daily", "python",
          "/opt/scripts/report.py")
    f.comment("#Ansible: %s cache warm" % app)
    f.blank()
    f.job("*/15 * * * *", "root", "/opt/ops/check_disk.sh 90", "shell", "/opt/ops/check_disk.sh")
    f.job("5 * * * *", "root", "/opt/scripts/backup.sh", "shell", "/opt/scripts/backup.sh")  # no marker of its own
    host["files"].append(f)


def _secrets(host, rng, ctx):
    """A root-only cron.d file whose commands hold passwords: the catalog must only keep them
    redacted. The secrets are unique per host, so a test can grep the whole catalog for them."""
    tag = "%06x" % rng.getrandbits(24)
    f = CronFile("/etc/cron.d/db-backup", "cron.d", "root", "root", 0o600, system=True)
    db = ctx["db"]
    kind = rng.choice(["mysql", "pg", "dsn"])
    if kind == "mysql":
        secret = "S3cretPass-" + tag
        f.job("15 1 * * *", "backup", "mysqldump --single-transaction -u backup -p%s %s > /var/backups/%s.sql"
              % (secret, db, db), "shell", "mysqldump")
        redact = ("-p" + secret, "-p***")
    elif kind == "pg":
        secret = "Pg-" + tag
        f.job("20 1 * * *", "backup", "PGPASSWORD=%s pg_dump -h db01 -U report %s > /var/backups/%s.dump"
              % (secret, db, db), "shell", "pg_dump")
        redact = ("PGPASSWORD=" + secret, "PGPASSWORD=***")
    else:
        secret = "Etl-" + tag
        f.job("40 1 * * *", "app", "python3 /opt/etl/run.py --dsn postgresql://etl:%s@db01:5432/%s" % (secret, db),
              "python", "/opt/etl/run.py")
        redact = ("etl:%s@" % secret, "etl:***@")
        host["must_exist"].add("/opt/etl/run.py")
    line = f.lines[-1]
    line.update(secrets=[secret], command_redacted=line["command"].replace(*redact),
                text_redacted=line["text"].replace(*redact))
    host["secrets"].append(secret)
    if rng.random() < 0.5:  # an environment line whose name says it holds a secret
        env_secret = "My-" + tag + "-pwd"
        f.env("MYSQL_PWD=" + env_secret)
        f.lines[-1].update(secrets=[env_secret], value_redacted="***", text_redacted="MYSQL_PWD=***")
        f.job("25 1 * * *", "backup", "mysqldump --all-databases > /var/backups/all.sql", "shell", "mysqldump")
        host["secrets"].append(env_secret)
    host["files"].append(f)


# ---------------------------------------------------------------- anacrontab and run-parts


def _anacrontab(host, rng):
    a = AnacronFile("/etc/anacrontab")
    a.comment("# /etc/anacrontab: configuration file for anacron")
    a.blank()
    a.comment("# See anacron(8) and anacrontab(5) for details.")
    a.blank()
    if host["layout"] == "rhel":
        a.env("SHELL=/bin/sh")
        a.env("PATH=/sbin:/bin:/usr/sbin:/usr/bin")
        a.env("MAILTO=root")
        a.comment("# the maximal random delay added to the base delay of the jobs")
        a.env("RANDOM_DELAY=45")
        a.comment("# the jobs will be started during the following hours only")
        a.env("START_HOURS_RANGE=3-22")
        a.blank()
        a.comment("#period in days   delay in minutes   job-identifier   command")
        a.job("1", "5", "cron.daily", "nice run-parts /etc/cron.daily", "shell", "run-parts")
        a.job("7", "25", "cron.weekly", "nice run-parts /etc/cron.weekly", "shell", "run-parts")
        a.job("@monthly", "45", "cron.monthly", "nice run-parts /etc/cron.monthly", "shell", "run-parts")
    else:
        a.env("SHELL=/bin/sh")
        a.env("HOME=/root")
        a.env("LOGNAME=root")
        a.blank()
        a.comment("# These replace cron's entries")
        a.job("1", "5", "cron.daily", "run-parts --report /etc/cron.daily", "shell", "run-parts")
        a.job("7", "10", "cron.weekly", "run-parts --report /etc/cron.weekly", "shell", "run-parts")
        a.job("@monthly", "15", "cron.monthly", "run-parts --report /etc/cron.monthly", "shell", "run-parts")
    if rng.random() < 0.4:
        a.job("7", "30", "weekly.cleanup", "/opt/scripts/cleanup-weekly.sh", "shell", "/opt/scripts/cleanup-weekly.sh",
              sep=" ")
        host["must_exist"].add("/opt/scripts/cleanup-weekly.sh")
    _file(host, a.path, a.content(), "anacrontab", lines=a.lines)
    _register(host, "anacron", a.path)


def _run_parts(host, rng, ctx, anacron):
    """Scripts in /etc/cron.{hourly,daily,weekly}: some run, some are skipped by run-parts.
    On RHEL only anacron runs daily/weekly/monthly, so without an anacrontab only cron.hourly
    gets scripts there."""
    app = ctx["app"]
    debian = host["layout"] == "debian"
    sh = "#!/bin/sh\n"
    scripts = [("/etc/cron.hourly/%s-heartbeat" % app, sh + "# Ansible managed: do not edit by hand\n"
                "touch /var/tmp/%s-heartbeat\n" % app, 0o755, None)]
    if not debian and anacron:
        scripts.append(("/etc/cron.hourly/0anacron", sh + "# Check whether 0anacron was run today already\n"
                        "/usr/sbin/anacron -s\n", 0o755, None))
    if debian or anacron:
        scripts += [
            ("/etc/cron.daily/%s-cleanup" % app, "#!/bin/bash\nfind /var/tmp/%s -mtime +3 -delete\n" % app, 0o755, None),
            ("/etc/cron.daily/old-backup", sh + "# retired in OPS-1999, left behind\nexit 0\n", 0o644, None),
            ("/etc/cron.weekly/%s-vacuum" % app, "#!/usr/bin/env python3\nprint('vacuum')\n", 0o755, None),
        ]
        if debian:
            scripts += [
                ("/etc/cron.daily/%s-report.sh" % app, sh + "exit 0\n", 0o755, None),
                ("/etc/cron.daily/logrotate", sh + "# skip in favour of systemd timer\n"
                 "if [ -d /run/systemd/system ]; then\n    exit 0\nfi\n/usr/sbin/logrotate /etc/logrotate.conf\n",
                 0o755, "logrotate"),
                ("/etc/cron.daily/dpkg", sh + "if [ -d /run/systemd/system ]; then\n    exit 0\nfi\n"
                 "/usr/libexec/dpkg/dpkg-db-backup\n", 0o755, "dpkg"),
                ("/etc/cron.weekly/man-db", sh + "set -e\nif [ -d /run/systemd/system ]; then\n    exit 0\nfi\n",
                 0o755, "man-db"),
            ]
    for path, text, mode, package in scripts:
        if rng.random() < 0.25 and package is None and not path.endswith("-heartbeat"):
            continue
        name = os.path.basename(path)
        reasons = []
        if debian and not all(c.isalnum() or c in "_-" for c in name):
            reasons.append("name has a dot: run-parts skips it")
        if not mode & 0o100:
            reasons.append("not executable")
        _file(host, path, text, "run-parts", mode=mode, loaded=not reasons, load_note="; ".join(reasons))
        if package:
            _register(host, package, path)


# ---------------------------------------------------------------- systemd timers


def _unit_text(lines):
    return "".join(line + "\n" for line in lines)


def _timer(host, name, description, triggers, service_lines, enabled, unit_dir=UNIT_DIR, marker=None,
           persistent=False):
    timer_path = "%s/%s.timer" % (unit_dir, name)
    service_path = "%s/%s.service" % (unit_dir, name)
    lines = ([marker] if marker else []) + ["[Unit]", "Description=%s" % description, "", "[Timer]"]
    trigger_lines = []
    for key, value, normalized in triggers:
        lines.append("%s=%s" % (key, value))
        trigger_lines.append(dict(n=len(lines), key=key, value=value, normalized=normalized))
    if persistent:
        lines.append("Persistent=true")
    lines += ["", "[Install]", "WantedBy=timers.target"]
    service = ([marker] if marker else []) + ["[Unit]", "Description=%s" % description, "", "[Service]",
                                              "Type=oneshot"] + service_lines
    exec_start = next(line.split("=", 1)[1] for line in service_lines if line.startswith("ExecStart="))
    user = next((line.split("=", 1)[1] for line in service_lines if line.startswith("User=")), "")
    timer = _file(host, timer_path, _unit_text(lines), "timer", triggers=trigger_lines, service=service_path,
                  exec_start=exec_start, command=exec_start.lstrip("-@:+!"), user=user, enabled=enabled)
    _file(host, service_path, _unit_text(service), "service")
    host["timers"].append(timer)
    if enabled:
        link = "%s/timers.target.wants/%s.timer" % (UNIT_DIR, name)
        host["enabled_units"].append({"link": link, "target": timer_path})
        _file(host, link, None, symlink=timer_path)
    return timer


def _timers(host, rng, ctx, have_go):
    app = ctx["app"]
    if rng.random() < 0.7:
        _timer(host, "%s-backup" % app, "%s nightly backup" % app, [("OnCalendar", "daily", "*-*-* 00:00:00")],
               ["ExecStart=/opt/scripts/backup.sh"], enabled=True, persistent=True)
        host["must_exist"].add("/opt/scripts/backup.sh")
    if rng.random() < 0.6:
        _timer(host, "%s-report" % app, "%s business reports" % app,
               [("OnCalendar", "Mon..Fri 08:00", "Mon..Fri *-*-* 08:00:00"),
                ("OnCalendar", "Sat 10:00", "Sat *-*-* 10:00:00")],
               ["User=app", "ExecStart=/usr/bin/python3 /opt/scripts/report.py --daily"], enabled=False)
        host["must_exist"].add("/opt/scripts/report.py")
    if rng.random() < 0.6:
        program = "/opt/%s/bin/%s" % (app, "settle" if have_go else "compact-ledger")
        _timer(host, "%s-sync" % app, "%s ledger sync" % app,
               [("OnBootSec", "5min", None), ("OnUnitActiveSec", "15min", None)],
               ["User=app", "ExecStart=-%s --sync" % program], enabled=True,
               marker="# Ansible managed: %s ledger sync" % app)
        host["must_exist"].add(program)


def _vendor_timer(host):
    """sysstat's own timer, as Debian ships it: package-owned, enabled through sysstat.service."""
    timer_path = VENDOR_UNIT_DIR + "/sysstat-collect.timer"
    lines = ["# /lib/systemd/system/sysstat-collect.timer", "# (C) 2014 Tomasz Torcz <tomek@pipebreaker.pl>",
             "#", "# sysstat-12.6.1 systemd unit file:", "#        Activates activity collector every 10 minutes",
             "", "[Unit]", "Description=Run system activity accounting tool every 10 minutes", "", "[Timer]",
             "OnCalendar=*:00/10", "", "[Install]", "WantedBy=sysstat.service"]
    service = ["[Unit]", "Description=system activity accounting tool", "Documentation=man:sa1(8)", "",
               "[Service]", "Type=oneshot", "User=root", "ExecStart=/usr/lib/sysstat/debian-sa1 1 1"]
    timer = _file(host, timer_path, _unit_text(lines), "timer",
                  triggers=[dict(n=11, key="OnCalendar", value="*:00/10", normalized="*-*-* *:00/10:00")],
                  service=VENDOR_UNIT_DIR + "/sysstat-collect.service", exec_start="/usr/lib/sysstat/debian-sa1 1 1",
                  command="/usr/lib/sysstat/debian-sa1 1 1", user="root", enabled=True)
    _file(host, VENDOR_UNIT_DIR + "/sysstat-collect.service", _unit_text(service), "service")
    host["timers"].append(timer)
    link = UNIT_DIR + "/sysstat.service.wants/sysstat-collect.timer"
    host["enabled_units"].append({"link": link, "target": timer_path})
    _file(host, link, None, symlink=timer_path)
    for path in (timer_path, VENDOR_UNIT_DIR + "/sysstat-collect.service"):
        _register(host, "sysstat", path)


# ---------------------------------------------------------------- the programs behind the jobs


def plan_programs(host, rng, targets, have_go):
    """Files for the absolute targets under /opt and /srv: most exist, some are missing (dead
    jobs). `targets`: {path: run directly (first word of the command)}. Adds them to extra_files."""
    ctx = host["ctx"]
    app = ctx["app"]
    for path in sorted(targets):
        if not path.startswith(("/opt/", "/srv/")) or path in host["must_miss"]:
            continue
        if path not in host["must_exist"] and rng.random() < 0.1:
            continue  # a dead job: the program was removed, the crontab line stayed
        name = os.path.basename(path)
        if name in ("settle", "%s-worker" % app):
            _file(host, path, None, mode=0o755, binary="go" if have_go else "c")
        elif name == "compact-ledger":
            _file(host, path, None, mode=0o755, binary="c")
        elif name == "purge-cache":
            _file(host, path, "#!/usr/bin/env python3\n# purge-cache for %s (digger lab)\nimport sys\n" % app, mode=0o755)
        elif name == "console-cron":
            # owned by the deploy account, run by www-data: someone else can change what runs
            _file(host, path, "#!/usr/bin/php\n<?php\n// console-cron for %s (digger lab)\n" % app, mode=0o755,
                  owner="deploy", group="deploy")
        elif name == "cleanup-tmp.sh":
            _file(host, path, "#!/bin/sh\n# anyone may edit this; root runs it\nexit 0\n", mode=0o777)
        else:  # a script run directly has a shebang and the x bit; one run by an interpreter may not
            direct = targets[path]
            _file(host, path, script(path, ctx, rng.randrange(2 if direct else 3)), mode=0o755 if direct else 0o644)
