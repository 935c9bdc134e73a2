"""What the digger-scan tests of tests/ssh share: named checks that never stop the test, commands
that must succeed, and the statuses a scan recorded."""

import sqlite3
import subprocess

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)


def run(*argv, **kwargs):
    return subprocess.run(list(argv), check=True, **kwargs)


def hosts(db):
    """{host name: (status, reason)} of every host result in the catalog."""
    with sqlite3.connect(db) as c:
        return {row[0]: (row[1], row[2] or "") for row in c.execute(
            "SELECT h.name, r.status, r.reason FROM host_results r JOIN hosts h ON h.id = r.host_id")}


def verdict():
    """The closing line ctest reads, and the exit code."""
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0
