"""Run evidence fixtures on a lab host (issue 18, docs/evidence.md): a user crontab whose
commands exercise the daemons' log transform, and a cron log at the host's real path
(/var/log is bound per host: schedulers.PER_HOST_MOUNTS). Written into a running host's tree
by the test that scans it. The log lines are generated with the cited transforms: cut at the
first unescaped %, \\% -> %, a tab as ^I, UTF-8 bytes as \\ooo octal.
"""

import calendar
import os
import time

from . import distro
from .hostile import spool_dir
from .materialize import host_dir

USER = "app"
# (name, crontab line, the command as cronie logs it); two entries share /opt/sync.sh.
ENTRIES = [
    ("date", "5 * * * * date +\\%F >> /tmp/d.log", "date +%F >> /tmp/d.log"),
    ("tab", "10 * * * * printf 'a\tb'", "printf 'a^Ib'"),
    ("utf8", "0 3 * * * /opt/caf\u00e9.sh", "/opt/caf\\303\\251.sh"),
    ("stdin", "0 4 * * * mail -s hi root%body%more", "mail -s hi root"),
    ("sync-hourly", "0 * * * * /opt/sync.sh", "/opt/sync.sh"),
    ("sync-night", "0,30 2 * * * /opt/sync.sh", "/opt/sync.sh"),
    ("never", "0 5 * * * /opt/never.sh", "/opt/never.sh"),
    # Output redirected to a file (its mtime is a freshness hint) and mailed (spool headers).
    ("report", "15 * * * * /opt/report.sh >> /var/log/app/report.log 2>&1",
     "/opt/report.sh >> /var/log/app/report.log 2>&1"),
    # Output to a file in a root-only directory: app cannot reach it, so no hint.
    ("private-out", "20 * * * * /opt/p.sh > /var/log/private/p.log", "/opt/p.sh > /var/log/private/p.log"),
]
# A year the lab clock is past, so the file's mtime (set to it) gives the lines their year.
MTIME = time.mktime((2025, 11, 26, 0, 0, 0, 0, 0, -1))


def log_path(lab_dir, host):
    return os.path.join(host_dir(lab_dir, host), "var-log", "cron")


def line(stamp, pid, command):
    return "%s web1 CROND[%d]: (%s) CMD (%s)\n" % (stamp, pid, USER, command)


def runs():
    """The log lines of the first window: which entry each one belongs to."""
    logged = dict((name, cmd) for name, _, cmd in ENTRIES)
    return [
        line("Nov 25 10:05:01", 10, logged["date"]),
        line("Nov 25 10:10:01", 11, logged["tab"]),
        line("Nov 25 03:00:01", 12, logged["utf8"]),
        line("Nov 25 04:00:01", 13, logged["stdin"]),
        line("Nov 25 05:00:01", 14, logged["sync-hourly"]),  # only the hourly one fires at 05:00
        line("Nov 25 02:30:00", 15, logged["sync-night"]),   # only the night one fires at 02:30
        line("Nov 25 02:00:01", 16, logged["sync-hourly"]),  # both fire at 02:00: ambiguous
    ]


def plant(lab_dir, host, filler_mib):
    """The crontab, and a cron log of about `filler_mib` MiB whose last lines are runs()."""
    root = host_dir(lab_dir, host)
    spool, sub = spool_dir(root)
    uid, gid = distro.uid_gid(USER, USER)
    group = distro.GROUPS["crontab"] if sub == "cron/crontabs" else gid
    text = "".join(entry + "\n" for _, entry, _ in ENTRIES).encode()
    path = os.path.join(spool, USER)
    with open(path, "wb") as f:
        f.write(text)
    os.chown(path, uid, group)
    os.chmod(path, 0o600)
    log = log_path(lab_dir, host)
    filler = b"Nov 25 01:00:00 web1 sshd[1]: filler line that is not a cron line, padding the log\n"
    block = filler * ((1 << 20) // len(filler))  # whole lines, just under 1 MiB
    with open(log, "wb") as f:
        for _ in range(filler_mib + 1):
            f.write(block)
        f.write(b"".join(l.encode() for l in runs()))
    os.chmod(log, 0o640)
    os.utime(log, (MTIME, MTIME))
    return log


def append(log, lines):
    with open(log, "ab") as f:
        f.write("".join(lines).encode())
    os.utime(log, (MTIME, MTIME))


def rotate(log, lines):
    """logrotate's create mode: the file moves to .1, a new file (new inode) takes its place."""
    os.rename(log, log + ".1")
    with open(log, "wb") as f:
        f.write("".join(lines).encode())
    os.chmod(log, 0o640)
    os.utime(log, (MTIME, MTIME))


# The spool's cron mails (docs/evidence.md, "Mail spool"): two for "report", whose X-Cron-Env and
# bodies hold the canary, plus mails that must count for nothing.
CANARY = "CANARY-SECRET"
MAIL_DATES = (calendar.timegm((2026, 11, 30, 8, 15, 1)), calendar.timegm((2026, 12, 1, 8, 15, 2)))
# When report.log was last written (touch -d), and p.log (unreachable for app).
OUTPUT_MTIME = calendar.timegm((2026, 11, 30, 8, 15, 0))


def _mail(host, subject, epoch, body):
    stamp = time.strftime("%a %b %e %H:%M:%S %Y", time.gmtime(epoch))
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(epoch))
    return ("From root@%s  %s\n" % (host, stamp) +
            "Return-Path: <root@%s>\nFrom: root (Cron Daemon)\nTo: app\n" % host +
            "Subject: %s\n" % subject +
            "Content-Type: text/plain; charset=UTF-8\nAuto-Submitted: auto-generated\n"
            "X-Cron-Env: <SHELL=/bin/sh>\n"
            "X-Cron-Env: <DB_PASSWORD=%s-ENV>\n" % CANARY +
            "X-Cron-Env: <LOGNAME=app>\n"
            "Date: %s\n\n" % date + body + "\n\n")  # an empty line ends an mbox message


def plant_spool(lab_dir, host):
    """/var/mail/app (and /var/spool/mail -> ../mail, as Debian has it), and the output files."""
    import grp
    root = host_dir(lab_dir, host)
    name = host["name"].split(".")[0]  # cron writes the first label of the host name
    uid, _ = distro.uid_gid(USER, USER)
    mail_gid = grp.getgrnam("mail").gr_gid
    mail_dir = os.path.join(root, "var-mail")
    os.chown(mail_dir, 0, mail_gid)
    os.chmod(mail_dir, 0o2775)
    link = os.path.join(root, "var-spool", "mail")
    if not os.path.lexists(link):
        os.symlink("../mail", link)
    command = dict((n, cmd) for n, _, cmd in ENTRIES)["report"]
    text = (_mail(name, "Cron <app@%s> %s" % (name, command), MAIL_DATES[0],
                  "report failed: %s-BODY\nSubject: Cron <app@%s> %s\n\n>From the body" % (CANARY, name, command)) +
            _mail(name, "Cron <app@%s> %s" % (name, command), MAIL_DATES[1], "%s-BODY again" % CANARY) +
            _mail("elsewhere", "Cron <app@elsewhere> %s" % command, MAIL_DATES[1], "a relay's mail") +
            _mail(name, "Undelivered Mail Returned to Sender", MAIL_DATES[1], CANARY))
    mbox = os.path.join(mail_dir, USER)
    with open(mbox, "w") as f:
        f.write(text)
    os.chown(mbox, uid, mail_gid)
    os.chmod(mbox, 0o660)
    # A FIFO in the spool: reported, never opened (the scan would hang on it otherwise).
    fifo = os.path.join(mail_dir, "fifo")
    if not os.path.exists(fifo):
        os.mkfifo(fifo, 0o660)
    for sub, mode, file in (("app", 0o755, "report.log"), ("private", 0o700, "p.log")):
        d = os.path.join(root, "var-log", sub)
        os.makedirs(d, exist_ok=True)
        os.chmod(d, mode)
        path = os.path.join(d, file)
        with open(path, "w") as f:
            f.write("output\n")
        os.chown(path, uid, 0)
        os.utime(path, (OUTPUT_MTIME, OUTPUT_MTIME))
