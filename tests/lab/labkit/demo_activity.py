"""What a real fleet shows besides its crontabs, for the demo (scripts/demo): a cron log on
every healthy host, written with the daemons' own line formats and command transform
(docs/evidence.md), in which most jobs ran at their scheduled minutes of the last day and
some never did; and Supervisor queue workers plus a systemd worker service on a few hosts
(docs/workers.md). Written into a running lab's per-host /var/log and /etc, after `lab up`.

Fire times come from `digger-scan next`, so the lines sit exactly where cron would have
written them. Jobs whose command holds a secret are left out of the logs (the demo's logs
would otherwise hold the clear secret), so they show `no-evidence` like every seventh job.
"""

import datetime
import hashlib
import json
import os
import subprocess

from .materialize import host_dir, plant_etc_files

WINDOW_HOURS = 24
MAX_RUNS_PER_JOB = 24  # the last ones of the window: a minutely job's day would be 1,440 lines
MINUTES = WINDOW_HOURS * 60
LOGGED_KINDS = ("user", "system", "cron.d")

WORKER_FILES = {
    "/etc/supervisor/supervisord.conf":
        "[supervisord]\nlogfile=/var/log/supervisor/supervisord.log\n"
        "[include]\nfiles = /etc/supervisor/conf.d/*.conf\n",
    "/etc/supervisor/conf.d/queue.conf":
        "[program:queue-worker]\nprocess_name=%(program_name)s_%(process_num)02d\n"
        "command=php /srv/shop/artisan queue:work redis --sleep=3 --tries=3\n"
        "user=www-data\nnumprocs=4\nautorestart=true\n",
    "/etc/supervisor/conf.d/horizon.conf":
        "[program:horizon]\ncommand=php /srv/shop/artisan horizon\nuser=www-data\nautorestart=true\n",
    "/etc/supervisor/conf.d/celery.conf":
        "[program:celery]\ncommand=celery -A reports worker --loglevel=INFO\nuser=nobody\n"
        "directory=/opt/reports\nautorestart=unexpected\n",
    "/etc/systemd/system/sidekiq.service":
        "[Unit]\nDescription=sidekiq\n[Service]\nUser=nobody\n"
        "ExecStart=/usr/bin/bundle exec sidekiq -e production\nRestart=always\n",
}


def logged_command(command):
    """What cronie and Debian cron write in a CMD line: cut at the first unescaped %, \\% -> %,
    then bytes below 0x20 as ^X, 0x7f as ^?, bytes from 0x80 as \\ooo (mkprints)."""
    raw, i = bytearray(), 0
    data = command.encode("utf-8", "surrogateescape")
    while i < len(data):
        if data[i:i + 2] == b"\\%":
            raw += b"%"
            i += 2
            continue
        if data[i] == ord("%"):
            break
        raw.append(data[i])
        i += 1
    out = []
    for b in raw:
        if b < 0x20:
            out.append("^" + chr(b + 0x40))
        elif b == 0x7f:
            out.append("^?")
        elif b >= 0x80:
            out.append("\\%03o" % b)
        else:
            out.append(chr(b))
    return "".join(out)


class FireTimes:
    """`digger-scan next` per (schedule, zone), cached: the minutes cron runs a job."""

    def __init__(self, digger, since):
        self.digger, self.since, self.cache = digger, since, {}

    def __call__(self, schedule, zone):
        key = (schedule, zone)
        if key not in self.cache:
            self.cache[key] = self._ask(schedule, zone)
        return self.cache[key]

    def _ask(self, schedule, zone):
        args = [self.digger, "next", schedule, "--from", self.since.isoformat(), "--count",
                str(MINUTES), "--format", "json"]
        if zone:
            args += ["--tz", zone]
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            return []
        times = []
        for item in json.loads(done.stdout).get("next", []):
            text = item if isinstance(item, str) else item.get("time", "")
            try:
                times.append(datetime.datetime.fromisoformat(text))
            except ValueError:
                continue
        return times


def _left_out(host, job):
    """Every seventh job never ran (stable across demo runs): `no-evidence` in the report."""
    key = "%s|%s|%s|%s" % (host["name"], job["source_path"], job["line"], job["command"])
    return hashlib.sha256(key.encode()).digest()[0] % 7 == 0


def _runs(host, fire_times, now):
    runs = []
    for job in host.get("jobs", []):
        if job["source_kind"] not in LOGGED_KINDS or not job["loaded"] or not job["schedule"]:
            continue
        if "secret-in-command" in job["flags"] or _left_out(host, job):
            continue
        times = [at for at in fire_times(job["schedule"], host.get("timezone")) if at <= now]
        for at in times[-MAX_RUNS_PER_JOB:]:
            runs.append((at, job["run_as"], logged_command(job["command"])))
    return sorted(runs)


def _extra_runs(text, host, fire_times, now, user="www-data"):
    runs = []
    for line in text.splitlines():
        fields = line.split(None, 5)
        if len(fields) < 6 or line.startswith("#"):
            continue
        times = [at for at in fire_times(" ".join(fields[:5]), host.get("timezone")) if at <= now]
        for at in times[-MAX_RUNS_PER_JOB:]:
            runs.append((at, user, logged_command(fields[5])))
    return runs


def _log_line(at, pid, user, command, cronie):
    # rsyslog's RSYSLOG_FileFormat (Debian 12) and cronie's ident; both carry the offset.
    stamp = at.isoformat(timespec="microseconds")
    ident = "CROND" if cronie else "CRON"
    return "%s demo %s[%d]: (%s) CMD (%s)\n" % (stamp, ident, pid, user, command)


def plant_cron_logs(lab_dir, digger, now=None, extra=None):
    """A cron log on every healthy host; returns {host name: lines written}. `extra`: {host
    name: crontab text} of lines planted after the fleet was generated (a Laravel app's
    scheduler), logged as www-data's user crontab runs them."""
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    fire_times = FireTimes(digger, now - datetime.timedelta(hours=WINDOW_HOURS))
    with open(os.path.join(lab_dir, "truth.json")) as f:
        hosts = [h for h in json.load(f)["hosts"] if not h["fault"]]
    written = {}
    for host in hosts:
        cronie = host["cron_daemon"] == "cronie"
        path = os.path.join(host_dir(lab_dir, host), "var-log", "cron" if cronie else "syslog")
        runs = _runs(host, fire_times, now) + _extra_runs((extra or {}).get(host["name"], ""),
                                                          host, fire_times, now)
        lines = [_log_line(at, 1000 + i, user, command, cronie)
                 for i, (at, user, command) in enumerate(sorted(runs))]
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.writelines(lines)
        os.chmod(path, 0o640)  # root and adm only, as on a real host: the scan needs --sudo
        written[host["name"]] = len(lines)
    return written


def plant_workers(lab_dir, host):
    """Supervisor's Debian layout with three programs and a sidekiq service on `host`."""
    plant_etc_files(lab_dir, host, WORKER_FILES)
