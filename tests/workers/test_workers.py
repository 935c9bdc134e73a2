#!/usr/bin/python3
"""Workers on a real sshd host (issue 18, docs/workers.md): Supervisor files of the Debian and
EPEL layouts and a systemd worker service written at their real paths on one lab host, a
supervisord.log with a crash loop and two running `supervisord -c` lookalikes
(supervisor_runtime.py), then one scan. Asserts the workers the catalog holds (names, owners, instances, restart policy, the
refused EPEL configuration), the files each configuration read in supervisord's order, and that
an environment secret never reaches the catalog's bytes or a report.

Usage: test_workers.py DIGGER_SCAN LAB_DIR
"""

import os
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "..", "lab")
sys.path.insert(0, LAB)
sys.path.insert(0, os.path.join(HERE, "..", "scan"))
sys.path.insert(0, HERE)

import scanlab  # noqa: E402
import supervisor_runtime  # noqa: E402
import own_lab  # noqa: E402
from labkit.materialize import plant_etc_files  # noqa: E402

CANARY = "canary-worker-secret"

FILES = {
    # Debian: the main file includes conf.d/*.conf; x.conf.disabled is not included.
    "/etc/supervisor/supervisord.conf":
        "[supervisord]\nlogfile=/var/log/supervisor/supervisord.log ; main log\n"
        "[include]\nfiles = /etc/supervisor/conf.d/*.conf\n",
    "/etc/supervisor/conf.d/laravel.conf":
        "[program:laravel-worker]\nprocess_name=%(program_name)s_%(process_num)02d\n"
        "command=php /home/forge/app.com/artisan queue:work --sleep=3 --tries=3\n"
        "autostart=true\nautorestart=true\nuser=forge\nnumprocs=8\n"
        f"environment=APP_ENV=\"production\",DB_PASSWORD=\"{CANARY}\"\n",
    "/etc/supervisor/conf.d/shell.conf":
        "[program:loop]\ncommand = bash -c 'while : ; do sleep 1; done'\n",  # issue 857
    "/etc/supervisor/conf.d/x.conf.disabled": "[program:old]\ncommand=/bin/old\n",
    # EPEL: supervisord.d/*.ini relative to the main file; a duplicate section (the later wins)
    # and a stray % (issue 980) that makes supervisord refuse the whole configuration.
    "/etc/supervisord.conf": "[supervisord]\n[include]\nfiles = supervisord.d/*.ini\n",
    "/etc/supervisord.d/a.ini": "[program:celery]\ncommand=celery -A proj worker\nuser=nobody\n",
    "/etc/supervisord.d/b.ini": "[program:celery]\nuser=celery\n"
                                "[program:gc]\ncommand=java -Xloggc:/var/log/gc_%t.log -jar a.jar\n",
    # systemd: a worker service, and a service that is no worker.
    "/etc/systemd/system/sidekiq.service":
        "[Service]\nType=notify\nUser=deploy\nExecStart=/usr/bin/bundle exec sidekiq -e production\n"
        "Restart=always\n",
    "/etc/systemd/system/web.service": "[Service]\nExecStart=/usr/bin/node server.js\n",
}


def plant(lab_dir, host):
    plant_etc_files(lab_dir, host, FILES)


def norm(value):
    """Text columns may come back as str or bytes (BLOB): compare them as text."""
    return scanlab.as_text(value) if isinstance(value, (str, bytes)) else value


def check(binary, lab_dir):
    checks = scanlab.Checks()
    host = scanlab.truth(lab_dir)["hosts"][0]
    plant(lab_dir, host)
    db = os.path.join(lab_dir, "workers.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    runtime = supervisor_runtime.Runtime(lab_dir, host)
    runtime.plant()
    runtime.start()
    try:
        scanlab.scan(binary, lab_dir, db, check=(0, 1, 2))
    finally:
        runtime.stop()
    con = sqlite3.connect(db)
    runtime.check(checks, con, norm)
    workers = {scanlab.as_text(r[0]): tuple(norm(v) for v in r[1:]) for r in con.execute(
        "select name, manager, owner, instances, restart, rejected, environment, file from workers")}
    sources = {scanlab.as_text(r[0]): tuple(norm(v) for v in r[1:]) for r in con.execute(
        "select path, kind, loaded_by_daemon, not_loaded_reason, load_notes from cron_sources")}
    con.close()
    laravel = workers.get("laravel-worker")
    checks.expect(laravel is not None, f"no laravel-worker: {sorted(workers)}")
    if laravel:
        checks.expect(laravel[:4] == ("supervisor", "forge", 8, "true"), f"laravel: {laravel}")
        checks.expect(laravel[5] == "APP_ENV=production\nDB_PASSWORD=***",
                      f"laravel environment: {laravel[5]!r}")
    loop = workers.get("loop")
    checks.expect(loop is not None and loop[4] is None, f"loop: {loop}")
    for name in ("celery", "gc"):
        w = workers.get(name)
        checks.expect(w is not None and w[4] is not None and "unsupported format character" in w[4],
                      f"{name} not marked rejected: {w}")
    celery = workers.get("celery")
    checks.expect(celery is not None and celery[1] == "celery", f"celery's later user: {celery}")
    sidekiq = workers.get("sidekiq.service")
    checks.expect(sidekiq is not None and sidekiq[:4] == ("systemd", "deploy", 1, "always"),
                  f"sidekiq: {sidekiq}")
    checks.expect("web.service" not in workers and "old" not in workers, f"workers: {sorted(workers)}")
    debian = sources.get("/etc/supervisor/supervisord.conf")
    checks.expect(debian is not None and (debian[3] or "").startswith(
                  "reads /etc/supervisor/supervisord.conf\nreads /etc/supervisor/conf.d/laravel.conf\n"
                  "reads /etc/supervisor/conf.d/shell.conf\n"), f"Debian files read: {debian}")
    checks.expect(debian is not None and "/var/log/supervisor/supervisord.log: read its last "
                  in (debian[3] or ""), f"Debian: the log read not said: {debian}")
    epel = sources.get("/etc/supervisord.conf")
    checks.expect(epel is not None and (epel[3] or "").startswith(
        "reads /etc/supervisord.conf\nreads /etc/supervisord.d/a.ini\nreads /etc/supervisord.d/b.ini"),
        f"EPEL files read: {epel}")
    checks.expect(epel is not None and epel[1] == 0 and
                  (epel[2] or "").startswith("rejected: would not run"), f"EPEL: {epel}")
    disabled = sources.get("/etc/supervisor/conf.d/x.conf.disabled")
    checks.expect(disabled is not None and disabled[1] == 0, f"x.conf.disabled: {disabled}")
    data = b""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            with open(db + suffix, "rb") as f:
                data += f.read()
    checks.expect(CANARY.encode() not in data, "the catalog holds the environment secret")
    checks.expect(supervisor_runtime.SECRET_CANARY.encode() not in data,
                  "the catalog holds the root-only -c file's bytes")
    for fmt in ("table", "json", "ndjson", "prometheus"):
        out = scanlab.run(binary, "report", "--db", db, "--full", "--format", fmt)
        checks.expect(out.returncode == 0, f"report --format {fmt} exited {out.returncode}")
        checks.expect(b"laravel-worker" in out.stdout or fmt == "prometheus",
                      f"report --format {fmt} lacks the worker")
        checks.expect(CANARY.encode() not in out.stdout, f"report --format {fmt} holds the secret")
        checks.expect(supervisor_runtime.SECRET_CANARY.encode() not in out.stdout,
                      f"report --format {fmt} holds the root-only -c file's bytes")
        if fmt == "table":
            checks.expect(b"crash loop: 15 unexpected exits, last 2024-01-01 10:00:21, gave up "
                          b"2024-01-01 10:00:20" in out.stdout, "the table lacks the crash loop")
        if fmt == "prometheus":
            checks.expect(b"digger_worker_crash_loops 2" in out.stdout,
                          "prometheus lacks digger_worker_crash_loops 2")
    checks.finish()


def main(binary, lab_dir):
    return own_lab.run(lab_dir, lambda d: check(binary, d), "--hosts", "1", "--seed", "18",
                       "--faults", "none")



if __name__ == "__main__":
    sys.exit(main(os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])))
