"""Hidden batches on the lab: every scheduler's jobs (crontabs, anacrontab, run-parts, timers)
are in the catalog with the target, language, flags and verdict the ground truth gives; the
programs behind them are inspected (Go build info included); a registry row turns a hidden job
into a managed one; no secret of the fleet reaches the catalog or a report."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import scanlab  # noqa: E402

scanlab.need_root()
binary = sys.argv[1]
lab = scanlab.lab_dir()
truth = scanlab.truth(lab)
checks = scanlab.Checks()
HEALTHY = (None, "garbage", "hostile", "shadowlink", "clock")


def flags_of(value):
    text = scanlab.as_text(value)
    if not text:
        return set()
    if text.startswith("["):
        return set(json.loads(text))
    return set(text.split("\n"))


def catalog_jobs(con, scan_id):
    """{((address, port), path, line): row} for every active job of the scan."""
    out = {}
    rows = con.execute(
        "select h.name, h.port, s.path, s.kind, e.line_number, e.run_as, e.command, e.target, e.language,"
        " e.evidence, e.verdict, e.managed_by, e.flags, e.schedule_origin, e.normalized_schedule"
        " from host_results r join hosts h on h.id = r.host_id"
        " join cron_sources s on s.host_result_id = r.id join entries e on e.source_id = s.id"
        " where r.scan_id = ? and e.kind = 'job'", (scan_id,))
    for (host, port, path, kind, line, run_as, command, target, language, evidence, verdict, managed_by,
         flags, origin, normalized) in rows:
        out[((scanlab.as_text(host), port), scanlab.as_text(path), line)] = dict(
            source_kind=kind, run_as=scanlab.as_text(run_as), command=scanlab.as_text(command),
            target=scanlab.as_text(target), language=language, evidence=scanlab.as_text(evidence),
            verdict=verdict or "", managed_by=scanlab.as_text(managed_by), flags=flags_of(flags),
            schedule_origin=scanlab.as_text(origin), normalized=scanlab.as_text(normalized))
    return out


def catalog_programs(con, scan_id):
    out = {}
    rows = con.execute(
        "select h.name, h.port, p.path, p.file_exists, p.sha256, p.go_version, p.go_module"
        " from host_results r join hosts h on h.id = r.host_id"
        " join programs p on p.host_result_id = r.id where r.scan_id = ?", (scan_id,))
    for host, port, path, exists, sha, go_version, go_module in rows:
        out[((scanlab.as_text(host), port), scanlab.as_text(path))] = dict(
            exists=bool(exists), sha256=sha or "", go_version=go_version or "",
            go_module=scanlab.as_text(go_module))
    return out


def pick_registered_job():
    """A hidden job without a secret whose command is unique on its host: the registry owns it."""
    for host in truth["hosts"]:
        if host["fault"] is not None:
            continue
        jobs = host.get("jobs", [])
        for job in jobs:
            same = [j for j in jobs if j["command"] == job["command"]]
            if (job["verdict"] == "hidden" and job["source_kind"] == "user" and len(same) == 1
                    and "secret-in-command" not in job["flags"] and "," not in job["command"]
                    and '"' not in job["command"] and "*" not in job["command"]):
                return host, job
    return None, None


def compare_job(host, job, got, registered):
    where = f"{host['name']} {job['source_path']}:{job['line']}"
    expect = dict(source_kind=job["source_kind"], run_as=job["run_as"] or "root",
                  command=job["command"], target=job["target"], language=job["language"],
                  verdict=job["verdict"], managed_by=job["managed_by"])
    if job is registered:
        expect.update(verdict="managed", managed_by="registry:team-billing")
    if job.get("schedule_origin"):
        expect["schedule_origin"] = job["schedule_origin"]
    if job.get("normalized_schedule"):
        expect["normalized"] = f"{job['trigger']}={job['normalized_schedule']}"
    for key, value in expect.items():
        if got[key] != value:
            checks.problems.append(f"{where}: {key} {got[key]!r} != {value!r}")
    if got["flags"] != set(job["flags"]):
        checks.problems.append(f"{where}: flags {sorted(got['flags'])} != {sorted(job['flags'])}")
    # The evidence must name the inspected program when it changed the command's answer
    # (`python3 x.py` stays "interpreter python3": the shebang is never read then).
    evidence = job.get("language_evidence")
    if job["command_language"] != job["language"] and got["evidence"] != evidence:
        checks.problems.append(f"{where}: evidence {got['evidence']!r} != {evidence!r}")


with tempfile.TemporaryDirectory() as tmp:
    reg_host, registered = pick_registered_job()
    checks.expect(registered is not None, "the lab has no hidden user-crontab job to register")
    registry = os.path.join(tmp, "known.csv")
    with open(registry, "w") as f:
        f.write("fingerprint,host,owner,command,managed_by\n")
        if registered:
            f.write(f'"","{reg_host["address"]}","{registered["run_as"]}",'
                    f'"{registered["command"]}","team-billing"\n')
    db = os.path.join(tmp, "digger.db")
    scanlab.scan(binary, lab, db, "--registry", registry, check={1})
    con = sqlite3.connect(db)
    scan_id = con.execute("select max(id) from scans").fetchone()[0]
    jobs = catalog_jobs(con, scan_id)
    programs = catalog_programs(con, scan_id)
    kinds_seen = set()
    go_jobs = 0
    for host in truth["hosts"]:
        if host["fault"] not in HEALTHY or "jobs" not in host:
            continue
        expected_keys = set()
        address = (host["address"], host["port"])
        for job in host["jobs"]:
            key = (address, job["source_path"], job["line"])
            expected_keys.add(key)
            got = jobs.get(key)
            if got is None:
                checks.problems.append(f"{host['name']}: job {job['source_path']}:{job['line']} "
                                       f"({job['source_kind']}) missing")
                continue
            kinds_seen.add(job["source_kind"])
            go_jobs += job["language"] == "go"
            compare_job(host, job, got, registered)
        extra = {k for k in jobs if k[0] == address} - expected_keys
        for k in sorted(extra)[:3]:
            checks.problems.append(f"{host['name']}: unexpected job {k[1]}:{k[2]}")
        for program in host.get("programs", []):
            got = programs.get((address, program["path"]))
            if got is None:
                checks.problems.append(f"{host['name']}: program {program['path']} not inspected")
                continue
            for field in ("exists", "sha256", "go_version", "go_module"):
                want = program.get(field)
                if want is not None and got[field] != want:
                    checks.problems.append(f"{host['name']}: program {program['path']} {field} "
                                           f"{got[field]!r} != {want!r}")
    for kind in ("user", "system", "cron.d", "anacrontab", "run-parts", "timer"):
        checks.expect(kind in kinds_seen, f"no {kind} job was compared")
    checks.expect(go_jobs > 0 or not truth["binaries"]["go"]["available"], "no Go job compared")

    # Secrets: nowhere in the catalog file, its WAL, or any report format.
    blobs = [open(db, "rb").read()]
    if os.path.exists(db + "-wal"):
        blobs.append(open(db + "-wal", "rb").read())
    for fmt in ("json", "csv", "table"):
        proc = scanlab.run(binary, "report", "--db", db, "--all", "--full", "--format", fmt)
        checks.expect(proc.returncode == 0, f"report --format {fmt} exited {proc.returncode}: "
                      f"{proc.stderr.decode(errors='replace')[:300]}")
        blobs.append(proc.stdout)
    checks.expect(len(truth["secrets"]) > 0, "the lab planted no secret")
    for secret in truth["secrets"]:
        if any(secret.encode() in blob for blob in blobs):
            checks.problems.append(f"secret {secret[:3]}… reached the catalog or a report")
    print(f"{len(jobs)} jobs in the catalog, {len(programs)} programs, kinds {sorted(kinds_seen)}")

    # --no-inspect: the same jobs, no second round trip, so no program facts and no flags
    # that need them.
    few = os.path.join(tmp, "few.txt")
    picked = scanlab.sub_inventory(lab, few, lambda h: h["fault"] is None and
                                   any("target-missing" in j["flags"] for j in h.get("jobs", [])))
    checks.expect(picked > 0, "no host with a missing target to scan with --no-inspect")
    quick = os.path.join(tmp, "quick.db")
    args = [binary, "--inventory", few, "-i", os.path.join(lab, "id_ed25519"),
            "--known-hosts", os.path.join(lab, "known_hosts"), "--sudo", "--db", quick,
            "--timeout", "20", "--quiet", "--no-inspect"]
    env = dict(os.environ, HOME=tmp)  # never the user's ~/.ssh
    env.pop("SSH_AUTH_SOCK", None)
    proc = subprocess.run(args, capture_output=True, env=env, timeout=600)
    checks.expect(proc.returncode == 0, f"--no-inspect scan exited {proc.returncode}")
    con = sqlite3.connect(quick)
    checks.expect(con.execute("select count(*) from programs").fetchone()[0] == 0,
                  "--no-inspect still recorded programs")
    checks.expect(con.execute("select count(*) from entries where flags like '%target-missing%'")
                  .fetchone()[0] == 0, "--no-inspect flagged a target missing")
    checks.expect(con.execute("select count(*) from entries where kind = 'job'").fetchone()[0] > 0,
                  "--no-inspect recorded no job")
checks.finish()
