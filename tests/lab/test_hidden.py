#!/usr/bin/python3
"""The running lab holds the hidden-batch extras its truth.json promises (docs/lab.md, "Hidden
batches"): every program, anacrontab, run-parts script and unit with the stated owner, mode and
hash; the Go binary's build info as `go version -m` prints it; the dpkg database answering
`dpkg-query -S` with the stated package; `run-parts --test` running exactly the scripts the truth
calls jobs; and none of the machine's own run-parts scripts, units or packages showing through.
Needs a lab brought up with --faults all; its directory comes from DIGGER_LAB_DIR.
"""

import concurrent.futures
import json
import os
import shutil
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from labkit import probe  # noqa: E402
from labkit.extras import OPAQUE_DIRS, RUN_PARTS_DIRS, VENDOR_UNIT_DIR  # noqa: E402

LAB = os.environ.get("DIGGER_LAB_DIR", "")
SKIP = 77
READABLE_FAULTS = {None, "garbage", "hostile", "shadowlink", "clock", "bigfile", "unreadable"}


def load_truth():
    with open(os.path.join(LAB, "truth.json")) as f:
        return json.load(f)


def _commands(host):
    cmds = {}
    if host["package_db"] == "dpkg":
        for pkg, info in host["packages"].items():
            cmds["dpkg:" + pkg] = ["dpkg-query", "-S"] + info["files"]
    else:
        cmds["dpkg-list"] = ["ls", "-A", "/var/lib/dpkg"]
    if host["layout"] == "debian":
        for d in RUN_PARTS_DIRS:
            cmds["run-parts:" + d] = ["run-parts", "--test", d]
    go = shutil.which("go")
    for p in host["programs"]:
        if p["exists"] and p.get("go_version") and go:
            cmds["go:" + p["path"]] = [go, "version", "-m", p["path"]]
    return cmds


def _paths(host):
    paths = [s["path"] for s in host["sources"]] + [p["path"] for p in host["program_files"]]
    paths += [u["link"] for u in host["enabled_units"]] + [p["path"] for p in host["programs"]]
    paths += [os.path.dirname(p["path"]) for p in host["programs"] if _planted(p)]
    return sorted(set(paths))


def _planted(program):
    return program["exists"] and program["path"].startswith(("/opt/", "/srv/", "/etc/"))


class HiddenBatchesOnTheHosts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.truth = load_truth()
        hosts = [h for h in cls.truth["hosts"] if h["fault"] in READABLE_FAULTS]
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            cls.seen = list(pool.map(lambda h: (h, probe.inspect_host(LAB, h, _paths(h), _commands(h),
                                                                        OPAQUE_DIRS + [VENDOR_UNIT_DIR])), hosts))

    def test_sources_and_programs_exist_as_stated(self):
        problems = []
        for host, seen in self.seen:
            got = seen["paths"]
            for item in host["sources"] + host["program_files"]:
                e = got[item["path"]]
                if not e["exists"]:
                    problems.append((host["name"], item["path"], "missing"))
                    continue
                for key in ("owner", "group", "mode"):
                    if e[key] != item[key]:
                        problems.append((host["name"], item["path"], key, e[key], item[key]))
                want_sha = item.get("sha256") or (self.truth["binaries"][item["binary"]]["sha256"]
                                                  if item.get("binary") else None)
                if e.get("sha256") != want_sha:
                    problems.append((host["name"], item["path"], "sha256"))
            for p in host["programs"]:
                e = got[p["path"]]
                if e["exists"] != p["exists"]:
                    problems.append((host["name"], p["path"], "exists", e["exists"]))
                elif p["exists"] and (e.get("sha256"), e["mode"], e["owner"]) != (p["sha256"], p["mode"], p["owner"]):
                    problems.append((host["name"], p["path"], "facts differ", e, p))
                if _planted(p):  # the directory counts for target-writable
                    d = got[os.path.dirname(p["path"])]
                    if (d["mode"], d["owner"], d["group"]) != (p["dir_mode"], "root", "root") or p["dir_uid"] != 0:
                        problems.append((host["name"], p["path"], "directory", d))
            for unit in host["enabled_units"]:
                if got[unit["link"]].get("symlink") != unit["target"]:
                    problems.append((host["name"], unit["link"], got[unit["link"]]))
        self.assertEqual(problems[:10], [])

    def test_only_the_truth_shows_in_the_run_parts_and_unit_directories(self):
        problems = []
        for host, seen in self.seen:
            want = {}
            for s in host["sources"]:
                d, name = s["path"].rsplit("/", 1)
                want.setdefault(d, set()).add(name)
            for unit in host["enabled_units"]:
                wants_dir, name = unit["link"].rsplit("/", 1)
                d, sub = wants_dir.rsplit("/", 1)
                want.setdefault(d, set()).add(sub)
                want.setdefault(wants_dir, set()).add(name)
            for d, names in seen["listings"].items():
                if isinstance(names, str) or set(names) != want.get(d, set()):
                    problems.append((host["name"], d, names, sorted(want.get(d, ()))))
        self.assertEqual(problems[:10], [])

    def test_go_binaries_carry_the_stated_build_info(self):
        if not shutil.which("go"):
            self.skipTest("go is not installed")
        checked = 0
        for host, seen in self.seen:
            for p in host["programs"]:
                if not (p["exists"] and p.get("go_version")):
                    continue
                rc, out, err = seen["commands"]["go:" + p["path"]]
                self.assertEqual(rc, 0, err)
                lines = out.splitlines()
                self.assertEqual(lines[0], "%s: %s" % (p["path"], p["go_version"]))
                self.assertIn("\tpath\t%s" % p["go_module"], lines)
                checked += 1
        self.assertGreater(checked, 0)
        self.assertTrue(self.truth["binaries"]["go"]["available"])

    def test_dpkg_knows_the_package_of_each_registered_file(self):
        checked = 0
        for host, seen in self.seen:
            if host["package_db"] != "dpkg":
                rc, out, _ = seen["commands"]["dpkg-list"]
                self.assertEqual((rc, out), (0, ""), host["name"])  # an empty database: no owner anywhere
                continue
            for pkg, info in host["packages"].items():
                rc, out, err = seen["commands"]["dpkg:" + pkg]
                self.assertEqual(rc, 0, (host["name"], err))
                self.assertEqual(sorted(out.splitlines()), sorted("%s: %s" % (pkg, f) for f in info["files"]))
                checked += 1
        self.assertGreater(checked, 0)

    def test_run_parts_runs_exactly_the_scripts_the_truth_calls_jobs(self):
        checked = 0
        for host, seen in self.seen:
            if host["layout"] != "debian":
                continue
            jobs = {j["source_path"] for j in host["jobs"] if j["source_kind"] == "run-parts"}
            for d in RUN_PARTS_DIRS:
                rc, out, err = seen["commands"]["run-parts:" + d]
                self.assertEqual(rc, 0, err)
                self.assertEqual(sorted(out.splitlines()), sorted(p for p in jobs if p.startswith(d + "/")),
                                 (host["name"], d))
                checked += 1
        self.assertGreater(checked, 0)


if __name__ == "__main__":
    if os.geteuid() != 0 or not LAB or not os.path.exists(os.path.join(LAB, "truth.json")):
        print("lab tests need root and a running lab (DIGGER_LAB_DIR); skipping")
        sys.exit(SKIP)
    start = time.monotonic()
    result = unittest.main(exit=False, verbosity=2).result
    print("lab hidden-batch tests: %.1fs" % (time.monotonic() - start))
    sys.exit(0 if result.wasSuccessful() else 1)
