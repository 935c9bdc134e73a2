#!/usr/bin/python3
"""`lab down` leaves nothing behind: no process, no listener, no mount (in any namespace), no
address slot, no host tree; only the key cache stays in D. Runs as the lab fixture's cleanup.

Usage: test_down.py DIR [--crash-at N] [lab up arguments to bring a lab up first]
With --crash-at, `lab up` is killed (SIGKILL) as soon as N of its processes run, and its state
file is deleted, so down must find what is left by the markers alone.
"""

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from labkit import fleet, launch, paths, procs  # noqa: E402

SKIP = 77


def mounts_mentioning(needles):
    hits = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/mountinfo" % pid, "rb") as f:
                info = f.read()
        except OSError:
            continue
        hits.update(pid for n in needles if n in info)
    return sorted(hits)


def main(lab_dir, up_args):
    if os.geteuid() != 0:
        print("lab tests need root; skipping")
        return SKIP
    lab_dir = os.path.realpath(lab_dir)
    tool = os.path.join(HERE, "lab")
    if up_args[:1] == ["--crash-at"]:
        crash_at, up_args = int(up_args[1]), up_args[2:]
        up = subprocess.Popen([tool, "up", "--dir", lab_dir] + up_args)
        deadline = time.monotonic() + 120
        while up.poll() is None and len(procs.lab_processes(lab_dir)) < crash_at and time.monotonic() < deadline:
            time.sleep(0.02)
        up.kill()
        up.wait()
        started = len(procs.lab_processes(lab_dir))
        print("killed lab up with %d lab processes running" % started)
        for name in ("state.json", "truth.json"):
            if os.path.exists(os.path.join(lab_dir, name)):
                os.unlink(os.path.join(lab_dir, name))
        if started == 0:
            print("nothing was running yet: the crash test proves nothing")
            return 1
    elif up_args:
        subprocess.run([tool, "up", "--dir", lab_dir] + up_args, check=True)
    addresses = set()
    try:
        with open(os.path.join(lab_dir, "truth.json")) as f:
            for h in json.load(f)["hosts"]:
                addresses |= {(h["address"], h["port"]), (h["backend_address"], h["backend_port"])}
    except OSError:
        pass
    rc = subprocess.run([tool, "down", "--dir", lab_dir]).returncode
    problems = []
    if rc != 0:
        problems.append("lab down exited %d" % rc)
    if procs.lab_processes(lab_dir):
        problems.append("processes left: %s" % procs.lab_processes(lab_dir))
    if launch.listening(addresses):
        problems.append("still listening: %s" % sorted(launch.listening(addresses))[:5])
    volatile = paths.volatile_root(lab_dir)
    hits = mounts_mentioning([lab_dir.encode() + b"/", volatile.encode()])
    if hits:
        problems.append("mounts still mention the lab in processes %s" % hits[:10])
    if os.path.exists(volatile):
        problems.append("%s still exists" % volatile)
    kept = {"cache", fleet.MARK}
    if os.path.isdir(lab_dir) and set(os.listdir(lab_dir)) - kept:
        problems.append("files left in %s: %s" % (lab_dir, sorted(set(os.listdir(lab_dir)) - kept)))
    if os.path.isdir(fleet.SLOTS):
        for name in os.listdir(fleet.SLOTS):
            with open(os.path.join(fleet.SLOTS, name)) as f:
                if f.read().strip() == lab_dir:
                    problems.append("address slot %s still held" % name)
    for p in problems:
        print("LEFT BEHIND: " + p)
    print("down: %s" % ("clean" if not problems else "NOT clean"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
