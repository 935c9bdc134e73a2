#!/usr/bin/python3
"""A small lab behind the delay proxy: the inventory points at the proxy, ssh works through it
with the recorded host keys, the banner arrives no sooner than the emulated latency allows,
and "refused" stays refused. Brings its own lab up in DIR and takes it down (test_down)."""

import json
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_down  # noqa: E402

ONE_WAY_MS = 30


def check(lab_dir):
    with open(os.path.join(lab_dir, "truth.json")) as f:
        truth = json.load(f)
    problems = []
    for h in truth["hosts"]:
        behind = h["address"] != h["backend_address"]
        if h["fault"] == "refused":
            if behind:
                problems.append("refused host sits behind the proxy")
            continue
        if not behind or int(h["address"].split(".")[2]) < 128:
            problems.append("%s is not behind the proxy: %s" % (h["name"], h["address"]))
        if h["fault"]:
            continue
        start = time.monotonic()
        with socket.create_connection((h["address"], h["port"]), timeout=5) as s:
            banner = s.recv(64)
        elapsed = time.monotonic() - start
        if not banner.startswith(b"SSH-2.0-") or elapsed < 3 * ONE_WAY_MS / 1000.0 * 0.95:
            problems.append("%s: banner %r after %.3fs" % (h["name"], banner[:16], elapsed))
        out = subprocess.run(["ssh", "-F", lab_dir + "/ssh_config", h["name"], "hostname"], capture_output=True)
        if out.stdout.decode().strip() != h["name"]:
            problems.append("%s: ssh said %r %r" % (h["name"], out.stdout, out.stderr[-200:]))
    return problems


def main(lab_dir):
    if os.geteuid() != 0:
        print("lab tests need root; skipping")
        return test_down.SKIP
    tool = os.path.join(HERE, "lab")
    rc = subprocess.run([tool, "up", "--dir", lab_dir, "--hosts", "4", "--seed", "9", "--faults",
                         "refused,tarpit", "--delay-ms", str(ONE_WAY_MS)]).returncode
    problems = check(lab_dir) if rc == 0 else ["lab up exited %d" % rc]
    for p in problems:
        print("FAIL: " + p)
    down_rc = test_down.main(lab_dir, [])
    return 1 if problems or down_rc else 0


if __name__ == "__main__":
    sys.exit(main(os.path.realpath(sys.argv[1])))
