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
from . import schedulers
from .schedulers import (OPAQUE_DIRS, PER_HOST_MOUNTS, PHP_PACKAGE, RUN_PARTS_DIRS, VENDOR_UNIT_DIR, VERSIONS,
                         add_file, register)

__all__ = ["add", "plan_programs", "OPAQUE_DIRS", "PER_HOST_MOUNTS", "RUN_PARTS_DIRS", "VENDOR_UNIT_DIR", "VERSIONS"]


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
        register(host, "e2fsprogs", f.path)
    anacron = rng.random() < (0.7 if not debian else 0.3)
    if anacron:
        schedulers.anacrontab(host, rng)
    if rng.random() < 0.6:
        schedulers.run_parts(host, rng, ctx, anacron)
    if rng.random() < 0.45:
        schedulers.timers(host, rng, ctx, have_go)
    if debian and rng.random() < 0.3:
        schedulers.vendor_timer(host)


def _register_distribution_files(host):
    if host["package_db"] != "dpkg":
        return
    os_version = host["os"]["version"]
    for f in host["files"]:
        if f.path == "/etc/crontab" or f.path == "/etc/cron.d/.placeholder":
            register(host, "cron", f.path)
        elif f.path == "/etc/cron.d/sysstat":
            register(host, "sysstat", f.path)
        elif f.path == "/etc/cron.d/php":
            register(host, PHP_PACKAGE[os_version], f.path)


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
            add_file(host, path, None, mode=0o755, binary="go" if have_go else "c")
        elif name == "compact-ledger":
            add_file(host, path, None, mode=0o755, binary="c")
        elif name == "purge-cache":
            add_file(host, path, "#!/usr/bin/env python3\n# purge-cache for %s (digger lab)\nimport sys\n" % app, mode=0o755)
        elif name == "console-cron":
            # owned by the deploy account, run by www-data: someone else can change what runs
            add_file(host, path, "#!/usr/bin/php\n<?php\n// console-cron for %s (digger lab)\n" % app, mode=0o755,
                  owner="deploy", group="deploy")
        elif name == "cleanup-tmp.sh":
            add_file(host, path, "#!/bin/sh\n# anyone may edit this; root runs it\nexit 0\n", mode=0o777)
        else:  # a script run directly has a shebang and the x bit; one run by an interpreter may not
            direct = targets[path]
            add_file(host, path, script(path, ctx, rng.randrange(2 if direct else 3)), mode=0o755 if direct else 0o644)
