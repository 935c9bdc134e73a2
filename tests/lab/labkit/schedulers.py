"""The schedulers beyond the crontabs on a lab host: /etc/anacrontab, run-parts scripts and
systemd timers, with the helpers every extra uses to add a file or register it with dpkg.
Pure: no I/O (see extras.py for the whole picture)."""

import os

# Debian package versions per OS version; the lab's dpkg database holds only what it registers.
PHP_PACKAGE = {"12": "php8.2-common", "11": "php7.4-common", "22.04": "php8.1-common", "20.04": "php7.4-common"}
VERSIONS = {"cron": "3.0pl1-162", "sysstat": "12.6.1-1", "e2fsprogs": "1.47.0-2", "logrotate": "3.21.0-1",
            "man-db": "2.11.2-2", "dpkg": "1.21.22", "anacron": "2.3-36", "php8.2-common": "2:8.2.7-1",
            "php7.4-common": "7.4.33-1", "php8.1-common": "8.1.2-1ubuntu2"}
RUN_PARTS_DIRS = ["/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly"]
OPAQUE_DIRS = RUN_PARTS_DIRS + ["/etc/systemd/system", "/etc/systemd/user"]
# /var/log: run evidence reads the cron log (docs/evidence.md); each host has its own, empty
# unless a test writes one, never the machine's.
PER_HOST_MOUNTS = {"/opt": "opt", "/srv": "srv", "/usr/lib/systemd/system": "lib-systemd", "/var/lib/dpkg": "dpkg",
                   "/var/log": "var-log", "/var/mail": "var-mail"}
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


def add_file(host, path, content, kind=None, mode=0o644, owner="root", group="root", **more):
    f = dict(path=path, content=content.encode() if isinstance(content, str) else content, source_kind=kind,
             mode=mode, owner=owner, group=group, binary=None, symlink=None, loaded=True, load_note="", lines=None)
    f.update(more)
    host["extra_files"].append(f)
    return f


def register(host, package, path):
    if host["package_db"] == "dpkg":
        host["packages"].setdefault(package, [])
        host["packages"][package].append(path)


# ---------------------------------------------------------------- anacrontab and run-parts


def anacrontab(host, rng):
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
    add_file(host, a.path, a.content(), "anacrontab", lines=a.lines)
    register(host, "anacron", a.path)


def run_parts(host, rng, ctx, anacron):
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
        add_file(host, path, text, "run-parts", mode=mode, loaded=not reasons, load_note="; ".join(reasons))
        if package:
            register(host, package, path)


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
    timer = add_file(host, timer_path, _unit_text(lines), "timer", triggers=trigger_lines, service=service_path,
                  exec_start=exec_start, command=exec_start.lstrip("-@:+!"), user=user, enabled=enabled)
    add_file(host, service_path, _unit_text(service), "service")
    host["timers"].append(timer)
    if enabled:
        link = "%s/timers.target.wants/%s.timer" % (UNIT_DIR, name)
        host["enabled_units"].append({"link": link, "target": timer_path})
        add_file(host, link, None, symlink=timer_path)
    return timer


def timers(host, rng, ctx, have_go):
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


def vendor_timer(host):
    """sysstat's own timer, as Debian ships it: package-owned, enabled through sysstat.service."""
    timer_path = VENDOR_UNIT_DIR + "/sysstat-collect.timer"
    lines = ["# /lib/systemd/system/sysstat-collect.timer", "# (C) 2014 Tomasz Torcz <tomek@pipebreaker.pl>",
             "#", "# sysstat-12.6.1 systemd unit file:", "#        Activates activity collector every 10 minutes",
             "", "[Unit]", "Description=Run system activity accounting tool every 10 minutes", "", "[Timer]",
             "OnCalendar=*:00/10", "", "[Install]", "WantedBy=sysstat.service"]
    service = ["[Unit]", "Description=system activity accounting tool", "Documentation=man:sa1(8)", "",
               "[Service]", "Type=oneshot", "User=root", "ExecStart=/usr/lib/sysstat/debian-sa1 1 1"]
    timer = add_file(host, timer_path, _unit_text(lines), "timer",
                  triggers=[dict(n=11, key="OnCalendar", value="*:00/10", normalized="*-*-* *:00/10:00")],
                  service=VENDOR_UNIT_DIR + "/sysstat-collect.service", exec_start="/usr/lib/sysstat/debian-sa1 1 1",
                  command="/usr/lib/sysstat/debian-sa1 1 1", user="root", enabled=True)
    add_file(host, VENDOR_UNIT_DIR + "/sysstat-collect.service", _unit_text(service), "service")
    host["timers"].append(timer)
    link = UNIT_DIR + "/sysstat.service.wants/sysstat-collect.timer"
    host["enabled_units"].append({"link": link, "target": timer_path})
    add_file(host, link, None, symlink=timer_path)
    for path in (timer_path, VENDOR_UNIT_DIR + "/sysstat-collect.service"):
        register(host, "sysstat", path)
