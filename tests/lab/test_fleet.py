#!/usr/bin/python3
"""The running lab matches its truth.json: every reachable host holds exactly the files the
truth lists, and every fault host fails the way the truth says (ssh and sudo stand in for the
scanner). Needs a lab brought up with --faults all; its directory comes from DIGGER_LAB_DIR.
"""

import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from labkit import probe  # noqa: E402

LAB = os.environ.get("DIGGER_LAB_DIR", "")
SKIP = 77
# Hosts whose data a plain ssh login can read in full.
READABLE_FAULTS = {None, "garbage", "hostile", "shadowlink", "clock", "bigfile"}


def load_truth():
    with open(os.path.join(LAB, "truth.json")) as f:
        return json.load(f)


def ssh(host, command, extra=(), timeout=30, stdin=b""):
    return subprocess.run(probe.ssh_argv(LAB, host, command, extra), input=stdin, capture_output=True,
                          timeout=timeout)


class FleetMatchesTruth(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.truth = load_truth()
        cls.hosts = {h["name"]: h for h in cls.truth["hosts"]}
        cls.faults = {h["fault"]: h for h in cls.truth["hosts"] if h["fault"]}

    def test_every_readable_host_holds_what_the_truth_says(self):
        hosts = [h for h in self.truth["hosts"] if h["fault"] in READABLE_FAULTS]
        self.assertGreater(len(hosts), 0)
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(lambda h: (h, probe.read_host(LAB, h)), hosts))
        failures = {}
        for host, seen in results:
            problems = probe.compare(host, seen)
            if seen["errors"]:
                problems.append("read errors: %s" % seen["errors"][:3])
            if problems:
                failures[host["name"]] = problems[:5]
        self.assertEqual(failures, {})

    def test_shadowlink_points_at_a_shadow_holding_the_canary(self):
        host = self.faults["shadowlink"]
        link = [f for f in host["files"] if f.get("symlink_to")]
        self.assertEqual([f["symlink_to"] for f in link], ["/etc/shadow"])
        grep = "grep -c %s /etc/shadow" % self.truth["shadow_canary"]
        out = ssh(host, grep if host["user"] == "root" else "sudo -n " + grep)
        self.assertEqual(out.stdout.strip(), b"1", out.stderr)

    def test_unreadable_spool_fails_even_for_root_but_etc_reads(self):
        host = self.faults["unreadable"]
        self.assertEqual(host["user"], "root")
        seen = probe.read_host(LAB, host)
        spool = host["spool_dirs"][-1]["path"]
        self.assertIn([spool, "Permission denied"], seen["errors"])
        self.assertEqual(probe.compare(host, seen, with_spool=False), [])
        self.assertTrue(any(f["path"].startswith(spool + "/") for f in host["files"]))

    def test_refused(self):
        out = ssh(self.faults["refused"], "true")
        self.assertEqual(out.returncode, 255)
        self.assertIn(b"Connection refused", out.stderr)

    def test_tarpit_accepts_and_never_speaks(self):
        host = self.faults["tarpit"]
        with socket.create_connection((host["address"], host["port"]), timeout=3) as s:
            s.settimeout(1.5)
            with self.assertRaises(socket.timeout):
                s.recv(100)
        out = ssh(host, "true", extra=("-o", "ConnectTimeout=2"))
        self.assertEqual(out.returncode, 255)
        self.assertIn(b"banner exchange", out.stderr)

    def test_stall_sends_a_banner_then_nothing(self):
        host = self.faults["stall"]
        with socket.create_connection((host["address"], host["port"]), timeout=3) as s:
            s.settimeout(3)
            self.assertTrue(s.recv(100).startswith(b"SSH-2.0-"))
            s.sendall(b"SSH-2.0-test\r\n" + b"\0" * 64)
            s.settimeout(1.5)
            with self.assertRaises(socket.timeout):
                s.recv(100)
        with self.assertRaises(subprocess.TimeoutExpired):
            ssh(host, "true", timeout=3)

    def test_hostkey_mismatch_only_because_of_known_hosts(self):
        host = self.faults["hostkey"]
        out = ssh(host, "true")
        self.assertEqual(out.returncode, 255)
        self.assertIn(b"REMOTE HOST IDENTIFICATION HAS CHANGED", out.stderr)
        anyway = ssh(host, "echo in", extra=("-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"))
        self.assertEqual(anyway.stdout, b"in\n", anyway.stderr)

    def test_badkey(self):
        out = ssh(self.faults["badkey"], "true")
        self.assertEqual(out.returncode, 255)
        self.assertIn(b"Permission denied (publickey)", out.stderr)

    def test_sudo_faults_log_in_but_cannot_sudo(self):
        for fault in ("sudopw", "nosudo"):
            with self.subTest(fault=fault):
                host = self.faults[fault]
                self.assertEqual(host["user"], "digger")
                out = ssh(host, "id -un; sudo -n true")
                self.assertEqual(out.stdout, b"digger\n")
                self.assertEqual(out.returncode, 1)
                self.assertIn(b"a password is required", out.stderr)

    def test_digger_logins_may_sudo_on_healthy_hosts(self):
        host = next(h for h in self.truth["hosts"] if h["user"] == "digger" and not h["fault"])
        out = ssh(host, "sudo -n id -un")
        self.assertEqual(out.stdout, b"root\n", out.stderr)

    def test_closeauth_drops_after_authentication(self):
        out = ssh(self.faults["closeauth"], "echo never")
        self.assertEqual(out.returncode, 255)
        self.assertEqual(out.stdout, b"")
        # Which of these the client prints depends on who notices first.
        self.assertRegex(out.stderr, rb"closed by remote host|Broken pipe|Connection reset")

    def test_clock_host_lives_in_another_zone(self):
        host = self.faults["clock"]
        self.assertNotEqual(host["timezone"], "Etc/UTC")
        out = ssh(host, "date +%z")
        self.assertNotEqual(out.stdout.strip(), b"+0000", out.stderr)

    def test_sshd_takes_a_burst_beyond_the_default_maxstartups(self):
        host = next(h for h in self.truth["hosts"] if not h["fault"])
        socks = [socket.create_connection((host["address"], host["port"]), timeout=60) for _ in range(150)]
        try:
            banners = sum(1 for s in socks if s.recv(8).startswith(b"SSH-2.0"))
        finally:
            for s in socks:
                s.close()
        self.assertEqual(banners, 150)

    def test_up_again_changes_nothing(self):
        with open(os.path.join(LAB, "state.json")) as f:
            before = json.load(f)
        settings = before["settings"]
        argv = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "lab"), "up", "--dir", LAB,
                "--hosts", str(settings["hosts"]), "--seed", settings["seed"],
                "--faults", ",".join(settings["faults"]) or "none"]
        if settings["delay"]:
            argv += ["--delay-ms", "%g-%g" % tuple(settings["delay"])]
        out = subprocess.run(argv, capture_output=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(b"already up", out.stderr)
        with open(os.path.join(LAB, "state.json")) as f:
            self.assertEqual(json.load(f)["pids"], before["pids"])

    def test_inventory_names_every_host(self):
        with open(os.path.join(LAB, "hosts.txt")) as f:
            lines = [l.split() for l in f if l.strip() and not l.startswith("#")]
        self.assertEqual(len(lines), len(self.truth["hosts"]))
        for (target, *labels), host in zip(lines, self.truth["hosts"]):
            self.assertEqual(target, "%s@%s:%d" % (host["user"], host["address"], host["port"]))
            self.assertIn("name=" + host["name"], labels)


if __name__ == "__main__":
    if os.geteuid() != 0 or not LAB or not os.path.exists(os.path.join(LAB, "truth.json")):
        print("lab tests need root and a running lab (DIGGER_LAB_DIR); skipping")
        sys.exit(SKIP)
    start = time.monotonic()
    result = unittest.main(exit=False, verbosity=2).result
    print("lab fleet tests: %.1fs" % (time.monotonic() - start))
    sys.exit(0 if result.wasSuccessful() else 1)
