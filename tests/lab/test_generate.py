#!/usr/bin/python3
"""The fleet generator, without bringing anything up (no root needed): determinism, stable
prefixes, a truth that rebuilds every file byte for byte, and hand-written classifications
that agree with an independent reading of the rules (labkit/reference.py)."""

import collections
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from labkit import outputs, reference  # noqa: E402
from labkit.faults import FAULTS  # noqa: E402
from labkit.fleet import _assign_fronts  # noqa: E402
from labkit.generate import generate  # noqa: E402

KINDS = {"job", "env", "disabled-job", "comment", "blank", "invalid"}


def truth_of(seed, hosts, faults=(), slot=0, delay=None):
    fleet = generate(seed, hosts, list(faults), slot)
    _assign_fronts(fleet, slot, seed, delay)
    return [outputs.host_truth(h) for h in fleet]


class Generator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hosts = truth_of("42", 300, FAULTS)

    def lines(self):
        for host in self.hosts:
            for f in host["files"]:
                for line in f["lines"] or []:
                    yield host, f, line

    def test_same_seed_same_fleet_other_seed_other_fleet(self):
        self.assertEqual(json.dumps(truth_of("42", 300, FAULTS)), json.dumps(self.hosts))
        other = truth_of("43", 300, FAULTS)
        self.assertNotEqual([h["files"] for h in other], [h["files"] for h in self.hosts])

    def test_more_hosts_keep_the_first_ones_identical(self):
        self.assertEqual(json.dumps(truth_of("42", 120)), json.dumps(self.hosts[:120]))

    def test_addresses_names_and_ports_are_unique_and_loopback(self):
        self.assertEqual(len({h["name"] for h in self.hosts}), len(self.hosts))
        self.assertEqual(len({(h["address"], h["port"]) for h in self.hosts}), len(self.hosts))
        for h in self.hosts:
            octets = [int(x) for x in h["address"].split(".")]
            self.assertEqual(octets[0], 127)
            self.assertNotIn(h["address"], ("127.0.0.1", "127.0.1.1"))
            self.assertTrue(all(0 <= o <= 255 for o in octets) and octets[3] not in (0, 255))

    def test_two_thousand_hosts_fit_the_address_plan(self):
        fleet = truth_of("1", 2000, FAULTS, slot=99, delay=[10, 80])
        pairs = {(h["address"], h["port"]) for h in fleet} | {(h["backend_address"], h["port"]) for h in fleet}
        self.assertEqual(len(pairs), 2 * len(fleet) - 1)  # "refused" has no proxy front
        self.assertTrue(all(h["port"] < 32768 for h in fleet))  # below the ephemeral range

    def test_every_fault_host_expects_a_known_status(self):
        faults = {h["fault"]: h for h in self.hosts if h["fault"]}
        self.assertEqual(set(faults), set(FAULTS))
        for name, host in faults.items():
            self.assertIn(host["expected_status"], outputs.STATUSES)
            self.assertTrue(host["status_note"])
        self.assertTrue(all(h["expected_status"] == "ok" for h in self.hosts if not h["fault"]))

    def test_the_truth_rebuilds_each_file(self):
        for host in self.hosts:
            for f in host["files"]:
                if f["lines"] is None:
                    continue
                data = b"".join((line["text"].encode() if line["text"] is not None
                                 else bytes.fromhex(line["text_hex"])) + b"\n" for line in f["lines"])
                self.assertEqual(len(data), f["size"], f["path"])
                self.assertEqual([line["n"] for line in f["lines"]], list(range(1, len(f["lines"]) + 1)))

    def test_line_kinds_agree_with_the_reference_reading(self):
        wrong = []
        for host, f, line in self.lines():
            self.assertIn(line["kind"], KINDS)
            if line["text"] is None:
                continue  # binary garbage; its kind is checked below
            got = reference.classify(line["text"], f["kind"] != "user")
            if got != line["kind"]:
                wrong.append((host["name"], f["path"], line["text"], line["kind"], got))
        self.assertEqual(wrong[:5], [])

    def test_languages_and_programs_agree_with_the_reference_reading(self):
        wrong, seen = [], collections.Counter()
        for host, f, line in self.lines():
            if line["kind"] not in ("job", "disabled-job"):
                continue
            self.assertIn(line["language"], outputs.LANGUAGES)
            seen[line["language"]] += 1
            got = reference.language(line["command"])
            if got != (line["language"], line["program"]):
                wrong.append((line["command"], line["language"], line["program"], got))
        self.assertEqual(wrong[:5], [])
        self.assertEqual(set(seen), set(outputs.LANGUAGES))  # the fleet shows every language

    def test_owner_is_the_file_name_or_the_user_column(self):
        for host, f, line in self.lines():
            if line["kind"] not in ("job", "disabled-job"):
                continue
            if f["kind"] == "user":
                self.assertEqual(line["owner"], f["path"].rsplit("/", 1)[1])
            else:
                self.assertEqual(line["text"].lstrip("# ").split()[1 if line["text"].lstrip("# ").startswith("@")
                                                                     else 5], line["owner"])

    def test_user_crontabs_are_owned_by_their_account_when_it_exists(self):
        for host in self.hosts:
            for f in host["files"]:
                if f["kind"] != "user" or f.get("symlink_to"):
                    continue
                name = f["path"].rsplit("/", 1)[1]
                self.assertEqual(f["owner"], name if name in host["accounts"] else "root", f["path"])
                self.assertEqual(f["mode"], "0600")

    def test_garbage_is_all_invalid_and_bigfile_is_big(self):
        by_fault = {h["fault"]: h for h in self.hosts if h["fault"]}
        garbage = [f for f in by_fault["garbage"]["files"] if f["lines"] and f["lines"][0]["text"] is None]
        self.assertEqual(len(garbage), 1)
        self.assertTrue(all(line["kind"] == "invalid" for line in garbage[0]["lines"]))
        self.assertIn(50 * 1024 * 1024, [f["size"] for f in by_fault["bigfile"]["files"]])

    def test_debian_cron_drops_files_with_errors_cronie_keeps_them(self):
        for host in self.hosts:
            for f in host["files"]:
                broken = any(line["kind"] == "invalid" for line in f["lines"] or [])
                if broken and host["cron_daemon"] == "vixie":
                    self.assertFalse(f["loaded"], f["path"])
                if broken and host["cron_daemon"] == "cronie" and f["kind"] != "user":
                    self.assertTrue(f["loaded"] or f["load_note"], f["path"])


if __name__ == "__main__":
    unittest.main(verbosity=1)
