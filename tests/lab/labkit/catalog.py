"""What a company's cron jobs look like: the job templates the generator draws from.

Every template carries the language and target program that Digger's classifier must deduce
from the command line alone (docs/lab.md, "Language rules"). They are written by hand, not
computed, so the lab's own tests can check them against an independent reading of the rules.
Placeholders ({app}, {db}, ...) are filled per host; they never change the language.
"""

from collections import namedtuple

# roles: host roles that run it; owners: candidate run-as users (user crontab file name or
# system crontab user column); cmd: command text as written in the crontab (so "\%" stays
# escaped); lang/prog: what the classifier must say.
Job = namedtuple("Job", "roles owners cmd lang prog")

ALL = ("web", "api", "worker", "db", "batch", "cache", "search", "ci")

JOBS = [
    # Go and other compiled programs.
    Job(("batch", "worker"), ("app", "root"), "/usr/local/bin/settle --region {region}", "binary",
        "/usr/local/bin/settle"),
    Job(("api", "worker"), ("app",), "/opt/{app}/bin/{app}-worker -once -queue {queue}", "binary",
        "/opt/{app}/bin/{app}-worker"),
    Job(("batch",), ("app", "deploy"), "cd /opt/{app} && go run /opt/{app}/tools/reindex.go -full",
        "go", "/opt/{app}/tools/reindex.go"),
    Job(("batch", "api"), ("app",), "/usr/bin/env GOMAXPROCS=2 /usr/local/bin/ledger-export --since 24h",
        "binary", "/usr/local/bin/ledger-export"),
    Job(("ci",), ("deploy",), "nice -n 10 /usr/local/bin/gc-artifacts -older-than 720h", "binary",
        "/usr/local/bin/gc-artifacts"),
    # Python.
    Job(("web", "api"), ("app", "www-data"), "/usr/bin/python3 /opt/{app}/manage.py clearsessions",
        "python", "/opt/{app}/manage.py"),
    Job(("worker", "api"), ("app",), "cd /srv/{app} && ./venv/bin/python -m {app}.jobs.sync", "python",
        "{app}.jobs.sync"),
    Job(("batch", "worker"), ("app", "deploy"), "/usr/bin/env python3 /opt/scripts/report.py --daily",
        "python", "/opt/scripts/report.py"),
    Job(ALL, ("root",), "/opt/scripts/rotate_tokens.py", "python", "/opt/scripts/rotate_tokens.py"),
    Job(("batch",), ("app",), "flock -n /var/lock/etl-{app}.lock python3 /opt/etl/run.py --job {task}",
        "python", "/opt/etl/run.py"),
    Job(("db",), ("postgres",), "python3 /var/lib/postgresql/bin/vacuum_report.py", "python",
        "/var/lib/postgresql/bin/vacuum_report.py"),
    # PHP.
    Job(("web",), ("www-data", "deploy"), "cd /var/www/{app} && php artisan schedule:run >> /dev/null 2>&1",
        "php", "/var/www/{app}/artisan"),
    Job(("web",), ("www-data",), "/usr/bin/php8.2 -q /var/www/html/wp-cron.php", "php",
        "/var/www/html/wp-cron.php"),
    Job(("web",), ("www-data", "root"), "sudo -u www-data php /var/www/shop/bin/magento cron:run", "php",
        "/var/www/shop/bin/magento"),
    Job(("web", "batch"), ("www-data",), "php /var/www/{app}/cron/send_newsletter.php", "php",
        "/var/www/{app}/cron/send_newsletter.php"),
    # Shell and system utilities.
    Job(ALL, ("root", "backup"), "/opt/scripts/backup.sh", "shell", "/opt/scripts/backup.sh"),
    Job(ALL, ("root",), "bash /usr/local/sbin/cleanup.sh", "shell", "/usr/local/sbin/cleanup.sh"),
    Job(ALL, ("root",), "find /tmp -type f -mtime +7 -delete", "shell", "find"),
    Job(("web", "db"), ("backup", "root"), "rsync -a --delete /var/www/ backup01:/srv/backup/{app}/",
        "shell", "rsync"),
    Job(ALL, ("root",), "tar czf /var/backups/etc-$(date +\\%F).tgz /etc 2>/dev/null", "shell", "tar"),
    Job(ALL, ("root", "app"), "curl -fsS -m 10 https://hc.example.com/ping/{uuid} > /dev/null", "shell",
        "curl"),
    Job(("db",), ("root", "backup"),
        "/usr/bin/mysqldump --single-transaction {db} | gzip > /var/backups/{db}-$(date +\\%a).sql.gz",
        "shell", "/usr/bin/mysqldump"),
    Job(("db",), ("postgres",), "pg_dump -Fc {db} > /var/backups/{db}.dump", "shell", "pg_dump"),
    Job(("cache", "search"), ("root",), "/bin/sh /opt/ops/check_disk.sh 90", "shell",
        "/opt/ops/check_disk.sh"),
    # The classic bug: an unescaped % ends the command; the rest becomes stdin.
    Job(ALL, ("root", "app"), "echo heartbeat > /var/tmp/hb-$(date +%H)", "shell", "echo"),
    Job(("batch",), ("app",), "mail -s 'nightly batch' ops@example.com%Batch finished.%See the logs.",
        "shell", "mail"),
    # Perl, Ruby, Node, Java.
    Job(("batch", "db"), ("app", "root"), "perl /opt/legacy/bin/nightly_invoice.pl --mail", "perl",
        "/opt/legacy/bin/nightly_invoice.pl"),
    Job(("cache", "search", "web"), ("root",), "/usr/local/bin/logwatch.pl --range yesterday", "perl",
        "/usr/local/bin/logwatch.pl"),
    Job(("worker", "web"), ("deploy", "app"), "cd /srv/{app} && RAILS_ENV=production bundle exec rake {task}",
        "ruby", "rake"),
    Job(("worker",), ("app",), "ruby /opt/{app}/script/expire_carts.rb", "ruby",
        "/opt/{app}/script/expire_carts.rb"),
    Job(("api", "web"), ("app",), "node /srv/{app}/dist/jobs/digest.js", "javascript",
        "/srv/{app}/dist/jobs/digest.js"),
    Job(("api",), ("app", "deploy"), "cd /srv/{app} && /usr/bin/env node scripts/sync-search.js", "javascript",
        "/srv/{app}/scripts/sync-search.js"),
    Job(("batch", "search"), ("app",), "java -Xmx512m -jar /opt/{app}/{app}-batch.jar --job=reconcile",
        "java", "/opt/{app}/{app}-batch.jar"),
    Job(("batch",), ("app", "root"), "/usr/bin/java -cp /opt/{app}/lib/app.jar com.acme.billing.MonthEnd",
        "java", "com.acme.billing.MonthEnd"),
    # Cannot be told from the command line: the program name hides behind a variable.
    Job(("ci", "batch"), ("deploy",), "$HOME/bin/nightly-sync", "unknown", "$HOME/bin/nightly-sync"),
]

# Jobs every host of a role carries verbatim: "the same job copied on many hosts".
FLEET_JOBS = [
    ("*/5 * * * *", "root", "/usr/local/bin/node-exporter-textfile --collect cron", "binary",
     "/usr/local/bin/node-exporter-textfile"),
    ("17 3 * * *", "root", "/opt/scripts/backup.sh", "shell", "/opt/scripts/backup.sh"),
]

SCHEDULES = [
    "*/5 * * * *", "*/15 * * * *", "0 * * * *", "0 */4 * * *", "0 9 * * mon-fri",
    "30 6 * * 1-5", "0 0 1 * *", "45 23 * * sun", "0 0 1 jan,jul *", "*/10 8-18 * * *",
    "0,30 * * * *", "1-59/2 * * * *", "@daily", "@hourly", "@reboot", "@weekly", "@monthly",
    "@midnight", "@yearly", "@annually",
]

# Lines cron rejects in both cronie and Debian cron, with cron's reason.
INVALID = [
    ("61 * * * * /usr/local/bin/settle", "bad minute"),
    ("0 25 * * * /opt/scripts/backup.sh", "bad hour"),
    ("0 0 * * monday /opt/scripts/report.py", "bad day-of-week"),
    ("5/10 * * * * /usr/bin/php /var/www/html/cron.php", "bad minute"),
    ("run the invoice job every night", "bad minute"),
]

COMMENTS = [
    "# DO NOT EDIT THIS FILE - edit the master and reinstall.",
    "# Edit this file to introduce tasks to be run by cron.",
    "# m h  dom mon dow   command",
    "# nightly jobs, ask #billing before changing",
    "# TODO: move to the scheduler service (OPS-1432)",
    "## disabled during the migration, see ticket OPS-2210",
    "# keep in sync with the staging box",
]

ENV_LINES = [
    "SHELL=/bin/bash",
    "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin",
    "MAILTO=ops@example.com",
    'MAILTO=""',
    "HOME=/srv/app",
    "RAILS_ENV=production",
    "LANG=en_US.UTF-8",
]

APPS = ["billing", "shop", "ledger", "search", "notify", "accounts", "media", "crm"]
REGIONS = ["eu-west-1", "us-east-1", "ap-south-1"]
DBS = ["orders", "billing", "users", "inventory"]
QUEUES = ["default", "mail", "reports", "webhooks"]
TASKS = ["reports:nightly", "cache:warm", "invoices:send", "sessions:purge"]

ROLES = {  # role: (weight, team)
    "web": (22, "web"), "api": (18, "platform"), "worker": (14, "billing"), "db": (10, "data"),
    "batch": (12, "billing"), "cache": (8, "platform"), "search": (8, "search"), "ci": (8, "devex"),
}

OSES = {  # layout: [(os id, version, pretty name)]
    "rhel": [("rocky", "9.3", "Rocky Linux 9.3 (Blue Onyx)"), ("rhel", "8.9", "Red Hat Enterprise Linux 8.9 (Ootpa)"),
             ("amzn", "2023", "Amazon Linux 2023"), ("centos", "7", "CentOS Linux 7 (Core)")],
    "debian": [("debian", "12", "Debian GNU/Linux 12 (bookworm)"), ("debian", "11", "Debian GNU/Linux 11 (bullseye)"),
               ("ubuntu", "22.04", "Ubuntu 22.04.4 LTS"), ("ubuntu", "20.04", "Ubuntu 20.04.6 LTS")],
}
