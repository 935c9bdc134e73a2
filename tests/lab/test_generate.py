#!/usr/bin/python3
"""The fleet generator, without bringing anything up (no root needed): determinism, stable
prefixes, a truth that rebuilds every file byte for byte, and hand-written classifications
that agree with an independent reading of the rules (labkit/reference.py)."""

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from labkit import materialize, outputs, programs, reference  # noqa: E402
from labkit.extras import OPAQUE_DIRS, PER_HOST_MOUNTS, RUN_PARTS_DIRS  # noqa: E402
from labkit.faults import FAULTS  # noqa: E402
from labkit.fleet import _assign_fronts  # noqa: E402
from labkit.generate import generate  # noqa: E402
from labkit.jobs import SYSTEM_BIN_DIRS  # noqa: E402

KINDS = {"job", "env", "disabled-job", "comment", "blank", "invalid"}


def truth_of(seed, hosts, faults=(), slot=0, delay=None):
    fleet = generate(seed, hosts, list(faults), slot)
    _assign_fronts(fleet, slot, seed, delay)
    return [outputs.host_truth(h) for h in fleet]


def _planted_by_the_lab(path):
    """Whether the lab writes this path on its hosts; anything else is the machine's own file
    (installed packages: sysstat, logrotate, certbot...), which every host sees as it is."""
    planted = list(PER_HOST_MOUNTS) + OPAQUE_DIRS + ["/etc", "/var/spool"]
    return any(path == d or path.startswith(d + "/") for d in planted)


def _machine_file_language(path):
    """The language of a machine file read from its own first bytes, independently of labkit."""
    with open(path, "rb") as f:
        head = f.read(256)
    if head.startswith(b"\x7fELF"):
        return "binary"
    words = head.split(b"\n", 1)[0][2:].split() if head.startswith(b"#!") else []
    interpreter = os.path.basename(words[1] if words and words[0].endswith(b"/env") and len(words) > 1
                                   else words[0] if words else b"").decode()
    for prefix, language in (("python", "python"), ("perl", "perl"), ("php", "php"), ("ruby", "ruby")):
        if interpreter.startswith(prefix):
            return language
    return "shell" if interpreter in ("sh", "bash", "dash") else "no rule for " + path


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


class HiddenBatches(unittest.TestCase):
    """The hidden-batch keys of the truth (docs/lab.md, "Hidden batches")."""

    @classmethod
    def setUpClass(cls):
        cls.hosts = truth_of("42", 300, FAULTS)
        cls.jobs = [(h, j) for h in cls.hosts for j in h["jobs"]]

    def test_every_feature_occurs_somewhere_in_the_fleet(self):
        self.assertEqual({j["source_kind"] for _, j in self.jobs}, set(outputs.SOURCE_KINDS) - {"service"})
        self.assertEqual({s["kind"] for h in self.hosts for s in h["sources"]},
                         {"anacrontab", "run-parts", "timer", "service", "at"})
        self.assertTrue({"go", "python", "php", "binary", "shell", "java", "javascript", "perl", "ruby"}
                        <= {j["language"] for _, j in self.jobs})
        self.assertEqual({j["managed_by"].split(":")[0] for _, j in self.jobs}, {"", "package", "ansible", "puppet"})
        self.assertIn("ansible:file", {j["managed_by"] for _, j in self.jobs})
        self.assertEqual({f for _, j in self.jobs for f in j["flags"]}, set(outputs.JOB_FLAGS))
        evidence = {j["language_evidence"] for _, j in self.jobs}
        self.assertIn("shebang #!/usr/bin/env python3", evidence)
        self.assertIn("shebang #!/usr/bin/php", evidence)
        self.assertIn("Go build info go1.19.8 " + programs.GO_MODULE, evidence)
        self.assertIn("ELF executable", evidence)
        self.assertIn("content <?php", evidence)
        anacron = [s for h in self.hosts for s in h["sources"] if s["kind"] == "anacrontab"]
        names = [{line.get("name") for line in s["lines"]} for s in anacron]
        self.assertTrue(any("START_HOURS_RANGE" in n for n in names) and any("LOGNAME" in n for n in names))
        notes = {s["load_note"] for h in self.hosts for s in h["sources"] if s["kind"] == "run-parts"}
        self.assertEqual(notes, {"", "not executable", "name has a dot: run-parts skips it"})
        timers = [s for h in self.hosts for s in h["sources"] if s["kind"] == "timer"]
        triggers = [tuple(t["key"] for t in s["triggers"]) for s in timers]
        self.assertIn(("OnCalendar",), triggers)
        self.assertIn(("OnCalendar", "OnCalendar"), triggers)
        self.assertIn(("OnBootSec", "OnUnitActiveSec"), triggers)
        self.assertIn("daily", {t["value"] for s in timers for t in s["triggers"]})
        self.assertEqual({s["enabled"] for s in timers}, {True, False})
        self.assertTrue(any(s["user"] for s in timers) and any(not s["user"] for s in timers))
        self.assertTrue(any(s["package"] for s in timers) and any(s["package"] for h in self.hosts
                                                                  for s in h["files"]))

    def test_secrets_are_only_in_the_clear_file_text(self):
        every = set()
        for host in self.hosts:
            clear = "\n".join([line["text"] or "" for f in host["files"] for line in f["lines"] or []] +
                              [s["text"] for s in host["sources"] if s["kind"] == "at"])
            published = json.dumps([host["jobs"], host["programs"]] + [
                [line.get("command_redacted"), line.get("text_redacted")]
                for f in host["files"] for line in f["lines"] or []])
            for secret in host["secrets"]:
                self.assertIn(secret, clear)
                self.assertNotIn(secret, published)
                every.add(secret)
            for f in host["files"]:
                for line in f["lines"] or []:
                    if line.get("secrets") and line["kind"] == "job":
                        job = next(j for j in host["jobs"] if (j["source_path"], j["line"]) == (f["path"], line["n"]))
                        self.assertIn("secret-in-command", job["flags"])
                        self.assertIn("***", job["command"])
                        self.assertEqual(job["command"], line["command_redacted"])
        self.assertGreater(len(every), 10)
        self.assertEqual(len(every), sum(len(h["secrets"]) for h in self.hosts))  # unique: greppable

    def test_each_job_points_at_its_line(self):
        for host in self.hosts:
            lines = {(f["path"], line["n"]): line for f in host["files"] for line in f["lines"] or []}
            sources = {s["path"]: s for s in host["sources"]}
            for s in sources.values():
                for line in s.get("lines") or []:
                    lines[(s["path"], line["n"])] = line
            for j in host["jobs"]:
                where = (host["name"], j["source_path"], j["line"])
                if j["source_kind"] == "run-parts":
                    self.assertEqual(j["line"], 0)
                    self.assertTrue(sources[j["source_path"]]["loaded"], where)
                    path, _, n = j["schedule_origin"].rpartition(":")
                    origin = lines[(path, int(n))]
                    self.assertRegex(origin["command"], r"run-parts .*%s\b" % re.escape(os.path.dirname(j["source_path"])))
                    self.assertEqual(j["schedule"], origin["schedule"], where)
                    self.assertEqual(j["command"], j["source_path"])
                elif j["source_kind"] == "timer":
                    trig = next(t for t in sources[j["source_path"]]["triggers"] if t["n"] == j["line"])
                    self.assertEqual((trig["key"], trig["value"]), (j["trigger"], j["schedule"]))
                elif j["source_kind"] == "at":  # the command is the script's line after the cd block
                    text = sources[j["source_path"]]["text"].split("\n")
                    self.assertEqual(text[j["line"] - 1], j["command"], where)
                    self.assertEqual(text[j["line"] - 2] == "}", not j["source_path"].startswith("/var/spool/cron/"))
                else:
                    line = lines[(j["source_path"], j["line"])]
                    self.assertEqual(line["kind"], "job", where)
                    above = [lines[(j["source_path"], n)]["text"] or "" for n in range(1, j["line"])]
                    mailto = [m.group(1).strip().strip('"') for m in
                              (re.match(r"MAILTO\s*=(.*)$", t) for t in above) if m]
                    self.assertEqual(j["mailto"], mailto[-1] if mailto else None, where)
                    self.assertEqual(j["command"], line.get("command_redacted", line["command"]))
                    self.assertEqual((j["target"], j["command_language"]), (line["program"], line["language"]))
            runnable = {s["path"] for s in sources.values() if s["kind"] == "run-parts" and s["loaded"]}
            self.assertEqual(runnable, {j["source_path"] for j in host["jobs"] if j["source_kind"] == "run-parts"})

    def test_verdicts_follow_packages_and_markers(self):
        for host in self.hosts:
            owned = {p: pkg for pkg, info in host["packages"].items() for p in info["files"]}
            texts = {f["path"]: [line["text"] or "" for line in f["lines"] or []] for f in host["files"]}
            for s in host["sources"]:
                texts[s["path"]] = [line["text"] for line in s["lines"]] if s.get("lines") else None
            for j in host["jobs"]:
                where = (host["name"], j["source_path"], j["line"])
                if j["source_path"] in owned:
                    self.assertEqual(j["managed_by"], "package:" + owned[j["source_path"]], where)
                    continue
                self.assertFalse(j["managed_by"].startswith("package:"), where)
                if j["managed_by"].endswith(":file"):
                    self.assertIn(j["source_kind"], ("cron.d", "timer", "run-parts"))
                    continue
                above = ""
                if texts.get(j["source_path"]) and j["line"] > 0:
                    before = [t for t in texts[j["source_path"]][:j["line"] - 1] if t.strip()]
                    above = before[-1] if before else ""
                marker = re.match(r"(#Ansible: |# Puppet Name: )(.*)", above)
                want = "%s:%s" % ({"#Ansible: ": "ansible", "# Puppet Name: ": "puppet"}[marker.group(1)],
                                  marker.group(2)) if marker else ""
                self.assertEqual(j["managed_by"], want, where)
                self.assertEqual(j["verdict"], "managed" if want else "hidden", where)

    def test_flags_follow_the_program_facts(self):
        writable = collections.Counter()
        for host in self.hosts:
            facts = {p["path"]: p for p in host["programs"]}
            for j in host["jobs"]:
                p = facts.get(j["target"])
                self.assertEqual("target-missing" in j["flags"], p is not None and not p["exists"], j)
                if "target-writable" in j["flags"]:
                    writable[(os.path.basename(j["target"]), p["mode"], p["owner"], j["run_as"])] += 1
                self.assertEqual("timer-disabled" in j["flags"], j["source_kind"] == "timer" and not j["enabled"])
                if j["target"] and j["target"].startswith("/opt/") and p["exists"] and p["mode"] == "0777":
                    self.assertIn("target-writable", j["flags"])
        self.assertEqual({k[0] for k in writable}, {"cleanup-tmp.sh", "console-cron"})
        self.assertIn(("cleanup-tmp.sh", "0777", "root", "root"), writable)
        self.assertIn(("console-cron", "0755", "deploy", "www-data"), writable)

    def test_without_go_there_is_no_go_job(self):
        fleet = generate("42", 120, [], 0, have_go=False)
        _assign_fronts(fleet, 0, "42", None)
        binaries = programs.Binaries.planned(have_go=False)
        hosts = [outputs.host_truth(h, binaries) for h in fleet]
        self.assertFalse(binaries.truth()["go"]["available"])
        go_jobs = [j for h in hosts for j in h["jobs"] if j["language"] == "go"]
        self.assertTrue(all(j["command_language"] == "go" and "go run " in j["command"] for j in go_jobs))
        self.assertFalse(any(j["language_evidence"].startswith("Go build info") for h in hosts for j in h["jobs"]))
        self.assertNotIn("go", {p["binary"] for h in hosts for p in h["program_files"]})
        self.assertIn("c", {p["binary"] for h in hosts for p in h["program_files"]})

    def test_run_parts_itself_runs_what_the_truth_says(self):
        if not shutil.which("run-parts"):
            self.skipTest("no run-parts")
        hosts = [h for h in self.hosts if h["layout"] == "debian" and h["sources"]][:25]
        with tempfile.TemporaryDirectory() as tmp:
            for host in hosts:
                for d in RUN_PARTS_DIRS:
                    local = os.path.join(tmp, host["name"] + d.replace("/", "_"))
                    os.makedirs(local)
                    for s in host["sources"]:
                        if os.path.dirname(s["path"]) == d:
                            path = os.path.join(local, os.path.basename(s["path"]))
                            open(path, "w").close()
                            os.chmod(path, int(s["mode"], 8))
                    out = subprocess.run(["run-parts", "--test", local], capture_output=True, text=True, check=True)
                    want = {os.path.basename(j["source_path"]) for j in host["jobs"]
                            if j["source_kind"] == "run-parts" and os.path.dirname(j["source_path"]) == d}
                    self.assertEqual({os.path.basename(p) for p in out.stdout.split()}, want, (host["name"], d))

    def test_the_dpkg_database_answers_dpkg_query(self):
        if not shutil.which("dpkg-query"):
            self.skipTest("no dpkg-query")
        host = next(h for h in self.hosts if len(h["packages"]) >= 4)
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "info"))
            os.makedirs(os.path.join(tmp, "updates"))
            internal = {"packages": {p: info["files"] for p, info in host["packages"].items()}}
            with open(os.path.join(tmp, "status"), "w") as f:
                f.write(materialize.dpkg_status(internal))
            for pkg, info in host["packages"].items():
                with open(os.path.join(tmp, "info", pkg + ".list"), "w") as f:
                    f.write(materialize.dpkg_list(info["files"]))
            for pkg, info in host["packages"].items():
                out = subprocess.run(["dpkg-query", "--admindir", tmp, "-S"] + info["files"], capture_output=True,
                                     text=True)
                self.assertEqual(sorted(out.stdout.splitlines()), sorted("%s: %s" % (pkg, p) for p in info["files"]),
                                 out.stderr)

    def test_refined_languages_follow_what_was_planted(self):
        """Expectations by name, independent of the facts: what the lab plants at each path."""
        by_name = [(r"(settle|.*-worker)$", "go"), (r"compact-ledger$", "binary"), (r"purge-cache$", "python"),
                   (r"console-cron$", "php"), (r".*-vacuum$", "python"), (r".*\.py$", "python"),
                   (r".*\.php$", "php"), (r".*\.sh$", "shell"),
                   (r"(.*-heartbeat|.*-cleanup|0anacron|logrotate|dpkg|man-db)$", "shell"),
                   (r".*\.pl$", "perl"), (r".*\.rb$", "ruby"), (r".*\.js$", "javascript"), (r".*\.jar$", "java"),
                   (r".*\.go$", "go"), (r"e2scrub_all$", None)]
        seen = collections.Counter()
        for host in self.hosts:
            exists = {p["path"] for p in host["programs"] if p["exists"]}
            for j in host["jobs"]:
                if j["target"] not in exists:
                    self.assertEqual(j["language"], j["command_language"], j)
                    continue
                name = os.path.basename(j["target"])
                if (not _planted_by_the_lab(j["target"]) and j["target"].startswith(SYSTEM_BIN_DIRS)
                        and j["command_language"] == "shell"):
                    want = j["command_language"]  # a system utility by name, whatever its file
                elif not _planted_by_the_lab(j["target"]):
                    want = _machine_file_language(j["target"])  # this machine's own package
                else:
                    want = next((lang for pattern, lang in by_name if re.match(pattern, name)),
                                "no rule for " + name)
                if want:
                    self.assertEqual(j["language"], want, j)
                    seen[want] += 1
        self.assertTrue({"go", "binary", "python", "php", "shell", "perl", "java"} <= set(seen), seen)

    def test_timer_lines_hold_their_triggers(self):
        fleet = generate("42", 300, list(FAULTS), 0)
        timers = [x for h in fleet for x in h["extra_files"] if x["source_kind"] == "timer"]
        self.assertGreater(len(timers), 50)
        for x in timers:
            lines = x["content"].decode().split("\n")
            for t in x["triggers"]:
                self.assertEqual(lines[t["n"] - 1], "%s=%s" % (t["key"], t["value"]), x["path"])

    def test_normalized_calendars_are_systemds(self):
        if not shutil.which("systemd-analyze"):
            self.skipTest("no systemd-analyze")
        pairs = {(t["value"], t["normalized"]) for h in self.hosts for s in h["sources"] if s["kind"] == "timer"
                 for t in s["triggers"] if t["key"] == "OnCalendar"}
        self.assertGreater(len(pairs), 2)
        for value, normalized in pairs:
            out = subprocess.run(["systemd-analyze", "calendar", value], capture_output=True, text=True).stdout
            self.assertIn("Normalized form: " + normalized + "\n", out)


if __name__ == "__main__":
    unittest.main(verbosity=1)
