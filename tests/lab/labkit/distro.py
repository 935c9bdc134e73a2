"""What each distribution ships: /etc/crontab, packaged cron.d files, spool directories,
/etc/os-release and the account database of a fake host."""

from .cronfile import CronFile

SPOOL = {"rhel": "/var/spool/cron", "debian": "/var/spool/cron/crontabs"}

HEADER_BOX = [
    "# Example of job definition:",
    "# .---------------- minute (0 - 59)",
    "# |  .------------- hour (0 - 23)",
    "# |  |  .---------- day of month (1 - 31)",
    "# |  |  |  .------- month (1 - 12) OR jan,feb,mar,apr ...",
    "# |  |  |  |  .---- day of week (0 - 6) (Sunday=0 or 7) OR sun,mon,tue,wed,thu,fri,sat",
    "# |  |  |  |  |",
    # The distributions end the box with "# *  *  *  *  * user-name  command to be executed",
    # which reads as a valid job once the '#' is gone; the older header line below keeps the
    # truth free of judgement calls.
    "# m h dom mon dow user  command",
]


def spool_dirs(layout):
    """Directories of the spool as the distribution creates them: (path, owner, group, mode)."""
    if layout == "rhel":
        return [("/var/spool/cron", "root", "root", 0o700)]
    return [("/var/spool/cron", "root", "root", 0o755),
            ("/var/spool/cron/crontabs", "root", "crontab", 0o1730)]


def etc_crontab(rng, host):
    f = CronFile("/etc/crontab", "system", "root", "root", 0o644, system=True)
    if host["layout"] == "rhel":
        f.env("SHELL=/bin/bash")
        f.env("PATH=/sbin:/bin:/usr/sbin:/usr/bin")
        f.env("MAILTO=root")
        f.blank()
        f.comment("# For details see man 4 crontabs")
        f.blank()
        for line in HEADER_BOX:
            f.comment(line)
        f.blank()
    else:
        f.comment("# /etc/crontab: system-wide crontab")
        f.comment("# Unlike any other crontab you don't have to run the `crontab'")
        f.comment("# command to install the new version when you edit this file")
        f.comment("# and files in /etc/cron.d. These files also have username fields,")
        f.comment("# that none of the other crontabs do.")
        f.blank()
        f.env("SHELL=/bin/sh")
        f.comment("#PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin")
        f.blank()
        for line in HEADER_BOX:
            f.comment(line)
        f.job("17 *\t* * *", "root", "cd / && run-parts --report /etc/cron.hourly", "shell", "run-parts",
              sep="\t")
        for sched, period in (("25 6\t* * *", "daily"), ("47 6\t* * 7", "weekly"), ("52 6\t1 * *", "monthly")):
            f.job(sched, "root", "test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.%s; }"
                  % period, "shell", "run-parts", sep="\t")
        f.comment("#")
    if rng.random() < 0.25:  # an admin added a line to the system file
        from .generate import add_jobs
        add_jobs(rng, f, host, "root", 1)
    return f


def cron_d_files(rng, host):
    files = []
    if host["layout"] == "rhel":
        f = CronFile("/etc/cron.d/0hourly", "cron.d", "root", "root", 0o644, system=True)
        f.comment("# Run the hourly jobs")
        f.env("SHELL=/bin/bash")
        f.env("PATH=/sbin:/bin:/usr/sbin:/usr/bin")
        f.env("MAILTO=root")
        f.job("01 * * * *", "root", "run-parts /etc/cron.hourly", "shell", "run-parts")
        files.append(f)
        if rng.random() < 0.6:
            f = CronFile("/etc/cron.d/sysstat", "cron.d", "root", "root", 0o644, system=True)
            f.comment("# Run system activity accounting tool every 10 minutes")
            f.job("*/10 * * * *", "root", "/usr/lib64/sa/sa1 1 1", "shell", "/usr/lib64/sa/sa1")
            f.comment("# Generate a daily summary of process accounting at 23:53")
            f.job("53 23 * * *", "root", "/usr/lib64/sa/sa2 -A", "shell", "/usr/lib64/sa/sa2")
            files.append(f)
        if rng.random() < 0.3:
            f = CronFile("/etc/cron.d/raid-check", "cron.d", "root", "root", 0o644, system=True)
            f.comment("# Run system wide raid-check once a week on Sunday at 1am by default")
            f.job("0 1 * * Sun", "root", "/usr/sbin/raid-check", "shell", "/usr/sbin/raid-check")
            files.append(f)
        return files
    f = CronFile("/etc/cron.d/.placeholder", "cron.d", "root", "root", 0o644, system=True)
    f.comment("# DO NOT EDIT OR REMOVE")
    f.comment("# This file is a simple placeholder to keep dpkg from removing this directory")
    files.append(f)
    if rng.random() < 0.6:
        f = CronFile("/etc/cron.d/sysstat", "cron.d", "root", "root", 0o644, system=True)
        f.comment("# The first element of the path is a directory where the debian-sa1")
        f.comment("# script is located")
        f.env("PATH=/usr/lib/sysstat:/usr/sbin:/usr/sbin:/usr/bin:/sbin:/bin")
        f.blank()
        f.comment("# Activity reports every 10 minutes everyday")
        f.job("5-55/10 * * * *", "root", "command -v debian-sa1 > /dev/null && debian-sa1 1 1", "shell",
              "debian-sa1")
        f.blank()
        f.comment("# Additional run at 23:59 to rotate the statistics file")
        f.job("59 23 * * *", "root", "command -v debian-sa1 > /dev/null && debian-sa1 60 2", "shell",
              "debian-sa1")
        files.append(f)
    if host["role"] == "web":
        f = CronFile("/etc/cron.d/php", "cron.d", "root", "root", 0o644, system=True)
        f.comment("# /etc/cron.d/php@PHP_VERSION@: crontab fragment for PHP")
        f.comment("#  This purges session files in session.save_path older than X,")
        f.comment("#  where X is defined in seconds as the largest value of")
        f.comment("#  session.gc_maxlifetime from all your SAPI php.ini files")
        f.comment("#  or 24 minutes if not defined.  The script triggers only")
        f.comment("#  when session.save_handler=files.")
        f.blank()
        f.comment("#  Look for and purge old sessions every 30 minutes")
        f.job("09,39 *     * * *", "root", "[ -x /usr/lib/php/sessionclean ] && /usr/lib/php/sessionclean",
              "shell", "/usr/lib/php/sessionclean", sep="     ")
        files.append(f)
    if rng.random() < 0.4:
        f = CronFile("/etc/cron.d/logrotate-app", "cron.d", "root", "root", 0o644, system=True)
        f.comment("# rotate application logs hourly; the daily run comes from cron.daily")
        f.job("0 * * * *", "root", "/usr/sbin/logrotate /etc/logrotate.d/app.conf", "shell",
              "/usr/sbin/logrotate")
        files.append(f)
    return files


def os_release(host):
    o = host["os"]
    like = {"rocky": "rhel centos fedora", "rhel": "fedora", "amzn": "fedora", "centos": "rhel fedora",
            "ubuntu": "debian", "debian": ""}[o["id"]]
    name = {"rocky": "Rocky Linux", "rhel": "Red Hat Enterprise Linux", "amzn": "Amazon Linux",
            "centos": "CentOS Linux", "ubuntu": "Ubuntu", "debian": "Debian GNU/Linux"}[o["id"]]
    lines = ['NAME="%s"' % name, 'ID=%s' % o["id"], 'VERSION_ID="%s"' % o["version"],
             'PRETTY_NAME="%s"' % o["pretty"]]
    if like:
        lines.append('ID_LIKE="%s"' % like)
    return "\n".join(lines) + "\n"


# name: (uid, gid, gecos, home, shell). Fixed numbers make every host's files reproducible.
ACCOUNTS = {
    "root": (0, 0, "root", "/root", "/bin/bash"),
    "daemon": (1, 1, "daemon", "/usr/sbin", "/usr/sbin/nologin"),
    "bin": (2, 2, "bin", "/bin", "/usr/sbin/nologin"),
    "sys": (3, 3, "sys", "/dev", "/usr/sbin/nologin"),
    "www-data": (33, 33, "www-data", "/var/www", "/usr/sbin/nologin"),
    "backup": (34, 34, "backup", "/var/backups", "/usr/sbin/nologin"),
    "sshd": (105, 65534, "", "/run/sshd", "/usr/sbin/nologin"),
    "postgres": (106, 110, "PostgreSQL administrator", "/var/lib/postgresql", "/bin/bash"),
    "app": (1001, 1001, "application runtime", "/srv/app", "/usr/sbin/nologin"),
    "deploy": (1002, 1002, "deployments", "/home/deploy", "/bin/bash"),
    "digger": (1500, 1500, "Digger scanner", "/run/digger", "/bin/sh"),
    "nobody": (65534, 65534, "nobody", "/nonexistent", "/usr/sbin/nologin"),
}
GROUPS = {"root": 0, "daemon": 1, "bin": 2, "sys": 3, "www-data": 33, "backup": 34, "shadow": 42,
          "crontab": 107, "postgres": 110, "app": 1001, "deploy": 1002, "digger": 1500, "nogroup": 65534}
SHADOW_CANARY = "DIGGER-LAB-SHADOW-CANARY"


def account_files(host):
    """(passwd, group, shadow) text for the host: the base accounts plus the lab's."""
    names = [n for n in ACCOUNTS if n in ("root", "daemon", "bin", "sys", "sshd", "nobody")
             or n in host["accounts"]]
    names.sort(key=lambda n: ACCOUNTS[n][0])
    passwd = "".join("%s:x:%d:%d:%s:%s:%s\n" % ((n,) + ACCOUNTS[n]) for n in names)
    gids = {ACCOUNTS[n][1] for n in names} | {42, 65534} | ({107} if host["layout"] == "debian" else set())
    group = "".join("%s:x:%d:\n" % (g, gid) for g, gid in GROUPS.items() if gid in gids)
    # '*' (no password, not locked) lets sshd accept keys with UsePAM no; the canary lets tests
    # prove that nobody read this file through the shadowlink fault.
    shadow = "".join("%s:%s:19700:0:99999:7:::\n" % (n, "$6$%s$x" % SHADOW_CANARY if n == "app" else "*")
                     for n in names)
    return passwd, group, shadow


def uid_gid(user, group):
    return ACCOUNTS[user][0], GROUPS[group]


def user_crontab(host, name):
    """A spool file for `name`, owned as `crontab` would leave it."""
    exists = name in host["accounts"] or name == "root"
    owner = name if exists else "root"
    group = "crontab" if host["layout"] == "debian" else (owner if exists else "root")
    path = SPOOL[host["layout"]] + "/" + name
    f = CronFile(path, "user", owner, group, 0o600, system=False)
    f.file_name_owner = name
    return f
