#!/usr/bin/python3
"""A Laravel application tree on a lab host (labkit/laravel.py): the scan expands www-data's
`php artisan schedule:run` line into the application's tasks, read from its Kernel.php and
routes/console.php and Laravel 11's bootstrap/app.php (never executed), and does not read the Kernel.php of an application that
www-data cannot read (its canary never reaches the catalog). Brings its own 1-host lab up in
DIR and takes it down. Usage: test_laravel.py DIGGER_SCAN DIR
"""

import json
import os
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import own_lab  # noqa: E402
from labkit import laravel  # noqa: E402


def scan(digger, lab_dir, db):
    subprocess.run([digger, "--inventory", os.path.join(lab_dir, "hosts.txt"), "-i",
                    os.path.join(lab_dir, "id_ed25519"), "--known-hosts", os.path.join(lab_dir, "known_hosts"),
                    "--sudo", "--db", db, "--timeout", "20"], check=False, env=dict(os.environ, HOME=lab_dir))


def check(digger, lab_dir):
    with open(os.path.join(lab_dir, "truth.json")) as f:
        host = json.load(f)["hosts"][0]["name"]
    laravel.plant(lab_dir, host)
    db = os.path.join(lab_dir, "laravel.db")
    scan(digger, lab_dir, db)
    problems = []
    con = sqlite3.connect(db)
    rows = con.execute("select s.path, e.line_number, e.schedule_text, e.command, e.run_as, e.flags, "
                       "e.schedule_origin from entries e join cron_sources s on s.id = e.source_id "
                       "where s.kind = 'laravel-task'").fetchall()
    tasks = {(r[0], r[3]): r for r in rows}
    kernel = "/srv/shop/app/Console/Kernel.php"
    want = {(kernel, "php /srv/shop/artisan m:five"): ("*/5 * * * *", 21),
            (kernel, "php /srv/shop/artisan w:on"): ("0 8 * * 1", 41),
            ("/srv/shop/routes/console.php", "php /srv/shop/artisan backup:run"): ("30 1 * * *", 15),
            ("/srv/shop/bootstrap/app.php", "php /srv/shop/artisan invoices:send"): ("15 6 * * *", 21),
            ("/srv/shop/bootstrap/app.php", "laravel job PruneSessions"): ("*/30 * * * *", 22)}
    for key, (schedule, line) in want.items():
        row = tasks.get(key)
        if not row or row[2] != schedule or row[1] != line or row[4] != "www-data":
            problems.append("task %s: %r" % (key, row))
    if sum(1 for r in rows if r[0] == kernel) != 53:
        problems.append("%d tasks from Kernel.php, not 53" % sum(1 for r in rows if r[0] == kernel))
    if any(r[0].startswith("/srv/private/") for r in rows):
        problems.append("the private Kernel.php was read")
    dump = "\n".join(con.iterdump())
    if laravel.CANARY in dump:
        problems.append("the canary of the unreadable Kernel.php reached the catalog")
    flags = dict(con.execute("select e.command, e.flags from entries e join cron_sources s on s.id = e.source_id "
                             "where e.command like '%schedule:run%'").fetchall())
    for command, flag in (("cd /srv/shop", "app-scheduler-expanded"), ("cd /srv/private", "app-scheduler-not-expanded")):
        if not any(c.startswith(command) and flag in (f or "") for c, f in flags.items()):
            problems.append("no %s flag on %s: %r" % (flag, command, flags))
    report = subprocess.run([digger, "report", "--db", db], capture_output=True, text=True).stdout
    if "Application tasks, inferred from source" not in report:
        problems.append("the report has no application tasks section")
    print(report[report.find("Application schedulers"):])
    json_path = os.path.join(lab_dir, "report.json")
    with open(json_path, "w") as out:
        subprocess.run([digger, "report", "--db", db, "--format", "json"], stdout=out, check=False)
    with open(json_path) as f:
        doc = json.load(f)
    if len(doc.get("app_schedulers", {}).get("tasks", [])) != 58:
        problems.append("the JSON report's app_schedulers has not the 58 tasks")
    schema = os.path.join(HERE, "..", "..", "docs", "report.schema.json")
    if subprocess.run([sys.executable, os.path.join(HERE, "..", "report", "check_schema.py"), schema,
                       json_path]).returncode != 0:
        problems.append("the JSON report does not match docs/report.schema.json")
    return problems


def main(digger, lab_dir):
    return own_lab.run(lab_dir, lambda d: check(digger, d), "--hosts", "1", "--seed", "18")



if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
