#!/usr/bin/python3
"""Run evidence on a lab host of its own (issue 18, docs/evidence.md): a 50 MiB /var/log/cron
at the host's real path. The first scan reads at most 4 MiB (the last ones) and attributes the
runs at the end of it (\\%, tab, UTF-8, % stdin, one command on two schedules); a second scan
after appending lines reads only those bytes; a third after a rotation reads the new file.

Besides the log: /var/mail/app holds two cron mails of one entry (X-Cron-Env and bodies with
a canary): the catalog keeps count 2 and the last date, and the canary is nowhere in the
catalog or any report; an output file with a known mtime gives its job the freshness hint,
one in a directory the job's user cannot search gives none.

Usage: test_evidence_lab.py DIGGER_SCAN LAB_DIR
"""

import os
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "..", "lab")
sys.path.insert(0, LAB)
sys.path.insert(0, os.path.join(HERE, "..", "scan"))

import scanlab  # noqa: E402
import own_lab  # noqa: E402
from labkit import evidence  # noqa: E402

MIB = 1 << 20


def verdicts(db, scan_id):
    """{command as stored: (verdict, runs, ambiguous_runs)} for the app crontab's jobs."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "select e.schedule_text, x.verdict, x.runs, x.ambiguous_runs, x.reason from entries e "
        "join cron_sources s on s.id = e.source_id join host_results r on r.id = s.host_result_id "
        "join entry_runs x on x.entry_id = e.id where r.scan_id = ? and s.path like '%/app'",
        (scan_id,)).fetchall()
    con.close()
    by_schedule = {scanlab.as_text(r[0]): r[1:] for r in rows}
    out = {}
    for name, entry, _ in evidence.ENTRIES:
        schedule = " ".join(entry.split(" ")[:5])
        out[name] = by_schedule.get(schedule)
    return out


def spool_evidence(db, scan_id):
    """{entry name: (mails, last_mail, output_mtime)} for the app crontab's jobs."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "select e.schedule_text, x.mails, x.last_mail, x.output_mtime from entries e "
        "join cron_sources s on s.id = e.source_id join host_results r on r.id = s.host_result_id "
        "join entry_runs x on x.entry_id = e.id where r.scan_id = ? and s.path like '%/app'",
        (scan_id,)).fetchall()
    con.close()
    by_schedule = {scanlab.as_text(r[0]): r[1:] for r in rows}
    return {name: by_schedule.get(" ".join(entry.split(" ")[:5]))
            for name, entry, _ in evidence.ENTRIES}


def check_spool(binary, db, checks):
    got = spool_evidence(db, last_scan(db))
    checks.expect(got["report"] == (2, evidence.MAIL_DATES[1], evidence.OUTPUT_MTIME),
                  f"report: {got['report']}, expected 2 mails, last {evidence.MAIL_DATES[1]}, "
                  f"output {evidence.OUTPUT_MTIME}")
    checks.expect(got["private-out"] == (0, None, None), f"private-out: {got['private-out']}")
    checks.expect(got["never"] == (0, None, None), f"never: {got['never']}")
    table = scanlab.run(binary, "report", "--db", db, "--all", "--full", "--format", "table").stdout
    runs = [l for l in table.split(b"\n") if b"runs:" in l and b"cron mail" in l]
    checks.expect(b"2 cron mail(s) in the spool, last 2026-12-01T08:15:02Z" in table and
                  b"output file last written 2026-11-30T08:15:00Z" in table,
                  f"the table does not show the mail count and the output hint: {runs!r}")
    csv = scanlab.run(binary, "report", "--db", db, "--all", "--format", "csv").stdout
    header = csv.split(b"\n")[0].rstrip(b"\r")
    checks.expect(header.endswith(b"cron_mails,last_mail,output_mtime"), f"csv header {header!r}")


def no_canary(binary, db, checks):
    """The canary of the mail bodies and X-Cron-Env: nowhere in the catalog or a report."""
    canary = evidence.CANARY.encode()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            with open(db + suffix, "rb") as f:
                checks.expect(canary not in f.read(), f"{evidence.CANARY} in {db + suffix}")
    for fmt in ("table", "json", "ndjson", "csv", "html"):
        out = scanlab.run(binary, "report", "--db", db, "--all", "--full", "--format", fmt)
        checks.expect(out.returncode == 0 and canary not in out.stdout + out.stderr,
                      f"report --format {fmt}: exit {out.returncode} or {evidence.CANARY} shown")


def cursor(db):
    con = sqlite3.connect(db)
    rows = con.execute("select path, inode, size, offset, note from log_cursors").fetchall()
    con.close()
    return {scanlab.as_text(r[0]): r[1:] for r in rows}


def last_scan(db):
    con = sqlite3.connect(db)
    scan_id = con.execute("select max(id) from scans").fetchone()[0]
    con.close()
    return scan_id


def check(binary, lab_dir):
    checks = scanlab.Checks()
    host = scanlab.truth(lab_dir)["hosts"][0]
    log = evidence.plant(lab_dir, host, 50)
    evidence.plant_spool(lab_dir, host)
    size = os.path.getsize(log)
    db = os.path.join(lab_dir, "evidence.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)

    # 1. First scan: the last 4 MiB only, and each run on its entry.
    scanlab.scan(binary, lab_dir, db, check=(0,))
    c = cursor(db).get("/var/log/cron")
    checks.expect(c is not None, "no cursor for /var/log/cron")
    inode, csize, offset, note = c
    note = scanlab.as_text(note)
    checks.expect(csize == size and offset == size, f"cursor {c}, file of {size} bytes")
    first_byte = int(note.split("read from byte ")[1].split(" ")[0]) if "read from byte" in note else 0
    checks.expect(size - first_byte <= 4 * MIB, f"first scan read {size - first_byte} bytes: {note}")
    got = verdicts(db, last_scan(db))
    for name in ("date", "tab", "utf8", "stdin"):
        checks.expect(got[name] is not None and got[name][0] == "running" and got[name][1] == 1,
                      f"{name}: {got[name]}")
    checks.expect(got["sync-hourly"][:3] == ("running", 1, 1), f"sync-hourly: {got['sync-hourly']}")
    checks.expect(got["sync-night"][:3] == ("running", 1, 1), f"sync-night: {got['sync-night']}")
    checks.expect(got["never"][0] == "no-evidence", f"never: {got['never']}")
    checks.expect("dead" not in scanlab.as_text(got["never"][3]), f"never: {got['never']}")
    check_spool(binary, db, checks)

    # 2. Appended lines: only they are read (the cursor moves by their size), runs add up.
    appended = [evidence.line("Nov 25 05:00:02", 20, "/opt/never.sh")] + [
        "Nov 25 11:00:00 web1 sshd[2]: not a cron line %d\n" % i for i in range(9)]
    evidence.append(log, appended)
    scanlab.scan(binary, lab_dir, db, check=(0,))
    inode2, csize2, offset2, note2 = cursor(db)["/var/log/cron"]
    checks.expect(inode2 == inode and offset2 == size + len("".join(appended).encode()),
                  f"second cursor {offset2}, expected {size} + appended")
    checks.expect(not note2, f"second read was not a continuation: {note2!r}")
    got = verdicts(db, last_scan(db))
    checks.expect(got["never"][:2] == ("running", 1), f"never after append: {got['never']}")
    checks.expect(got["date"][1] == 1, f"date counted twice: {got['date']}")

    # 3. Rotation: a new inode; the old file (.1) is read on, the new one from its start.
    evidence.rotate(log, [evidence.line("Nov 25 12:05:01", 30, "date +%F >> /tmp/d.log")])
    scanlab.scan(binary, lab_dir, db, check=(0,))
    inode3, _, offset3, _ = cursor(db)["/var/log/cron"]
    checks.expect(inode3 != inode, "rotation not seen: same inode")
    checks.expect(offset3 == os.path.getsize(log), f"third cursor {offset3}")
    got = verdicts(db, last_scan(db))
    checks.expect(got["date"][1] == 2, f"date after rotation: {got['date']}")

    # The report's filter and column.
    out = scanlab.run(binary, "report", "--db", db, "--all", "--filter", "evidence=no-evidence",
                      "--format", "csv")
    checks.expect(out.returncode == 0 and b"/opt/never.sh" not in out.stdout,
                  f"evidence=no-evidence listed never.sh after it ran: {out.stdout[-300:]!r}")
    check_spool(binary, db, checks)  # a count of the spool now, not a total: same after 3 scans
    no_canary(binary, db, checks)
    checks.finish()


def main(binary, lab_dir):
    return own_lab.run(lab_dir, lambda d: check(binary, d), "--hosts", "1", "--seed", "18",
                       "--faults", "none")



if __name__ == "__main__":
    sys.exit(main(os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])))
