"""Shared helpers for the scan integration tests: run digger-scan on the lab, read the catalog."""
import json
import os
import sqlite3
import subprocess
import sys

SKIP = 77


def need_root():
    if os.geteuid() != 0:
        print("scan tests need root (the lab runs sshd in mount namespaces): skipped")
        sys.exit(SKIP)


def lab_dir():
    d = os.environ.get("DIGGER_LAB_DIR")
    if not d or not os.path.exists(os.path.join(d, "truth.json")):
        print(f"no running lab at {d!r} (the lab_fleet fixture brings it up)")
        sys.exit(1)
    return d


def truth(lab):
    with open(os.path.join(lab, "truth.json")) as f:
        return json.load(f)


def scan(binary, lab, db, *extra, check=None, timeout=600, **popen):
    args = [binary, "--inventory", os.path.join(lab, "hosts.txt"),
            "-i", os.path.join(lab, "id_ed25519"), "--known-hosts", os.path.join(lab, "known_hosts"),
            "--sudo", "--db", db, "--timeout", "20", "--connect-timeout", "5", "--concurrency", "48",
            "--summary-format", "json", *extra]
    env = dict(os.environ, HOME=os.path.dirname(db))  # never the user's ~/.ssh
    env.pop("SSH_AUTH_SOCK", None)
    proc = subprocess.run(args, capture_output=True, env=env, timeout=timeout, **popen)
    if check is not None and proc.returncode not in check:
        print(proc.stderr.decode(errors="replace")[-4000:])
        raise AssertionError(f"digger-scan exited {proc.returncode}, expected {check}")
    return proc


def as_bytes(value):
    if value is None:
        return b""
    return value if isinstance(value, bytes) else value.encode()


def as_text(value):
    return as_bytes(value).decode("utf-8", errors="surrogateescape")


def host_results(db, scan_id=None):
    """{(address, port): {status, reason, sources: {path_bytes: {..., entries: {line: row}}}}}"""
    con = sqlite3.connect(db)
    if scan_id is None:
        scan_id = con.execute("select max(id) from scans").fetchone()[0]
    out = {}
    rows = con.execute(
        "select r.id, h.name, h.port, r.status, r.reason from host_results r "
        "join hosts h on h.id = r.host_id where r.scan_id = ?", (scan_id,))
    for rid, name, port, status, reason in rows.fetchall():
        sources = {}
        for sid, path, kind, owner, truncated, read_error in con.execute(
                "select id, path, kind, owner, truncated, read_error from cron_sources "
                "where host_result_id = ?", (rid,)).fetchall():
            entries = {}
            for line, ekind, run_as, language, target, command, error in con.execute(
                    "select line_number, kind, run_as, language, target, command, error "
                    "from entries where source_id = ?", (sid,)).fetchall():
                entries[line] = dict(kind=ekind, owner=as_text(run_as), language=language,
                                     target=as_text(target), command=as_text(command),
                                     error=error)
            sources[as_bytes(path)] = dict(kind=kind, owner=as_text(owner), truncated=truncated,
                                           read_error=read_error, entries=entries)
        out[(as_text(name), port)] = dict(status=status, reason=reason, sources=sources)
    con.close()
    return out


def compare_host(t, got, problems):
    """Every file and line of a healthy truth host must be in the catalog as expected."""
    where = f"{t['name']} ({t['address']}:{t['port']})"
    # Jobs' languages are refined by the inspected target (test_hidden checks how).
    refined = {(j["source_path"], j["line"]): j["language"] for j in t.get("jobs", [])}
    if got["status"] != t["expected_status"]:
        problems.append(f"{where}: status {got['status']} ({got['reason']}), "
                        f"expected {t['expected_status']}")
    for f in t["files"]:
        path = f["path"].encode("utf-8", errors="surrogateescape")
        src = got["sources"].get(path)
        if src is None:
            if f.get("readable", True) and t["expected_status"] == "ok":
                problems.append(f"{where}: file {f['path']!r} missing")
            continue
        if src["kind"] != f["kind"]:
            problems.append(f"{where}: {f['path']!r} kind {src['kind']} != {f['kind']}")
        if src["truncated"]:
            continue
        for line in f.get("lines") or []:
            e = src["entries"].get(line["n"])
            if e is None:
                problems.append(f"{where}: {f['path']!r}:{line['n']} missing")
                continue
            expect = {"kind": line["kind"]}
            if line["kind"] in ("job", "disabled-job"):
                # The catalog keeps the redacted form of a command that held a secret.
                expect.update(owner=line.get("owner"),
                              language=refined.get((f["path"], line["n"]), line.get("language")),
                              command=line.get("command_redacted", line.get("command")))
                if line.get("program"):
                    expect["target"] = line["program"]
            for key, value in expect.items():
                if value is not None and e[key] != value:
                    problems.append(f"{where}: {f['path']!r}:{line['n']} {key} {e[key]!r} "
                                    f"!= {value!r}  [{line['text'][:80]!r}]")
        extra = set(src["entries"]) - {line["n"] for line in f.get("lines") or []}
        if extra and f.get("lines"):
            problems.append(f"{where}: {f['path']!r} has unexpected lines {sorted(extra)[:5]}")


def sub_inventory(lab, path, predicate):
    """A hosts.txt with the lab hosts whose truth entry satisfies `predicate`."""
    hosts = {(h["address"], h["port"]): h for h in truth(lab)["hosts"]}
    kept = []
    with open(os.path.join(lab, "hosts.txt")) as f:
        for line in f:
            word = line.split()[0] if line.strip() and not line.startswith("#") else None
            if not word:
                continue
            addr, port = word.split("@")[-1].rsplit(":", 1)
            if predicate(hosts[(addr, int(port))]):
                kept.append(line)
    with open(path, "w") as f:
        f.writelines(kept)
    return len(kept)


def run(binary, *args, **kw):
    env = dict(os.environ)
    env.pop("SSH_AUTH_SOCK", None)
    return subprocess.run([binary, *args], capture_output=True, env=env, timeout=600, **kw)


def statuses(db, scan_id=None):
    return {k: v["status"] for k, v in host_results(db, scan_id).items()}


class Checks:
    """Collects every failed expectation so one run reports them all, then exits."""

    def __init__(self):
        self.problems = []

    def expect(self, cond, message):
        if not cond:
            self.problems.append(message)

    def finish(self):
        for p in self.problems[:int(os.environ.get("DIGGER_SHOW", "60"))]:
            print(p)
        print(f"{len(self.problems)} problems")
        sys.exit(1 if self.problems else 0)
