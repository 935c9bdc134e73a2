"""A Laravel application on a lab host (issue 18, "Application schedulers"): the golden
Kernel.php, routes/console.php and bootstrap/app.php (Laravel 11) of tests/data/laravel under /srv/shop, a second application
whose Kernel.php only root can read under /srv/private, and www-data's crontab running both
schedulers. Written into a running lab's per-host /srv and /var/spool (bind mounts), so the
generator, truth.json and the other hosts stay as they were. Used by tests/lab/test_laravel.py
and scripts/demo.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "..", "data", "laravel")
WWW = (33, 33)  # www-data on every lab host (labkit/distro.py)
CANARY = "DIGGER-LARAVEL-CANARY"
SPOOLS = ("cron/crontabs", "cron/tabs", "cron")  # Debian, SUSE, RHEL: the first that exists
LINES = ("* * * * * cd /srv/shop && php artisan schedule:run >> /dev/null 2>&1\n"
         "* * * * * cd /srv/private && php artisan schedule:run >> /dev/null 2>&1\n")


def _write(path, data, mode, uid_gid=(0, 0)):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.chown(path, *uid_gid)
    os.chmod(path, mode)


def _fixture(relative):
    with open(os.path.join(FIXTURE, relative), "rb") as f:
        return f.read()


def _app(srv, name, kernel_mode, kernel_owner):
    app = os.path.join(srv, name)
    _write(os.path.join(app, "artisan"), "#!/usr/bin/env php\n<?php\n// the lab never runs it\n", 0o755, WWW)
    _write(os.path.join(app, "app", "Console", "Kernel.php"),
           _fixture("app/Console/Kernel.php") if name == "shop" else
           "<?php // %s\n$schedule->command('private:task')->daily();\n" % CANARY, kernel_mode, kernel_owner)
    if name == "shop":
        _write(os.path.join(app, "routes", "console.php"), _fixture("routes/console.php"), 0o644, WWW)
        _write(os.path.join(app, "bootstrap", "app.php"), _fixture("bootstrap/app.php"), 0o644, WWW)
    for d in (app, os.path.join(app, "app"), os.path.join(app, "app", "Console"), os.path.join(app, "routes"),
              os.path.join(app, "bootstrap")):
        if os.path.isdir(d):
            os.chmod(d, 0o755)


def plant(lab_dir, host_name):
    """Writes both applications and www-data's crontab into the host; returns the crontab's path
    on the host."""
    root = os.path.join(lab_dir, "hosts", host_name)
    srv = os.path.join(root, "srv")
    _app(srv, "shop", 0o644, WWW)
    _app(srv, "private", 0o600, (0, 0))
    spool = os.path.join(root, "var-spool")
    for sub in SPOOLS:
        if os.path.isdir(os.path.join(spool, sub)):
            break
    path = os.path.join(spool, sub, "www-data")
    old = b""
    if os.path.exists(path):
        with open(path, "rb") as f:
            old = f.read()
    _write(path, old + LINES.encode(), 0o600, WWW)
    return "/var/spool/" + sub + "/www-data"
