#!/usr/bin/python3
"""`digger-scan parse`: exit 1 when cronie or Debian cron would ignore a whole file (the scan's
name and permission rules, or the content), 2 when a file cannot be read, 0 otherwise; `-`
reads stdin."""

import json
import os
import subprocess
import sys
import tempfile

BINARY = sys.argv[1]
FAILURES = []
LINE = "0 3 * * * root /opt/x.sh\n"


def parse(args, stdin=None):
    return subprocess.run([BINARY, "parse", "--format", "json"] + args, input=stdin,
                          capture_output=True, text=True, check=False)


def check(condition, what):
    if not condition:
        FAILURES.append(what)


def write(path, text, mode):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def loads(result):
    return json.loads(result.stdout.splitlines()[0])["loads"]


with tempfile.TemporaryDirectory() as work:
    cron_d = os.path.join(work, "cron.d")
    os.mkdir(cron_d)
    good = write(os.path.join(cron_d, "app"), LINE, 0o644)
    leftover = write(os.path.join(cron_d, "app.dpkg-old"), LINE, 0o644)
    writable = write(os.path.join(cron_d, "shared"), LINE, 0o666)
    dotted = write(os.path.join(cron_d, "app.conf"), LINE, 0o644)
    no_newline = write(os.path.join(work, "alice"), "0 3 * * * /opt/x.sh", 0o600)

    result = parse([good])
    check(result.returncode == 0, f"good cron.d file: exit {result.returncode}")
    check(loads(result) == {"cronie": True, "vixie": True, "notes": []}, "good file loads")

    result = parse([leftover])
    check(result.returncode == 1, f"dpkg-old: exit {result.returncode}")
    check(not loads(result)["vixie"] and not loads(result)["cronie"], "dpkg-old loads nowhere")
    check(any("leftover" in n for n in loads(result)["notes"]), "dpkg-old note")

    result = parse([writable])
    check(result.returncode == 1, f"0666 cron.d file: exit {result.returncode}")
    check(not loads(result)["vixie"], "0666 file does not load under Debian cron")
    text = subprocess.run([BINARY, "parse", writable], capture_output=True, text=True,
                          check=False)
    check("under Debian cron: no" in text.stdout, f"text says no: {text.stdout!r}")

    result = parse([dotted])
    check(result.returncode == 1, f"name with a dot in cron.d: exit {result.returncode}")
    check(loads(result)["cronie"] and not loads(result)["vixie"], "dot name: only Debian skips")

    result = parse([no_newline])
    check(result.returncode == 1, f"no final newline: exit {result.returncode}")

    result = parse(["-"], stdin=LINE.replace("root ", ""))
    check(result.returncode == 0, f"stdin: exit {result.returncode} {result.stderr!r}")
    data = json.loads(result.stdout)
    check(data["file"] == "-" and data["entries"][0]["command"] == "/opt/x.sh", "stdin parsed")

    result = parse([good, os.path.join(work, "missing"), leftover])
    check(result.returncode == 2, f"unreadable wins: exit {result.returncode}")
    check(len(result.stdout.splitlines()) == 2, "the readable files are still printed")

for failure in FAILURES:
    print("FAIL:", failure)
sys.exit(1 if FAILURES else 0)
