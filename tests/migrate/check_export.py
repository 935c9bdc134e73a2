#!/usr/bin/env python3
"""check_export.py DIGGER_SCAN FIXTURE SCHEMA WORK_DIR

Runs the real `digger-scan export` on the catalog export_fixture.cpp writes, for every target,
and checks what it wrote with the real tools: systemd-analyze verify / calendar for units,
PyYAML for Kubernetes manifests, jsonschema for migration-report.json, CloudFormation structure
rules for the AWS templates; plus concrete content (schedules, names, lost items, the cut-over
plan read back by `digger-scan parse`), the output directory rules and the selection.
Exits 77 (skipped) when PyYAML or jsonschema is missing."""
import base64
import copy
import json
import os
import re
import shutil
import subprocess
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:
    print(f"SKIPPED: {error} (install python3-yaml and python3-jsonschema)")
    sys.exit(77)

SCAN, FIXTURE, SCHEMA_PATH, WORK = sys.argv[1:5]
TARGETS = ["eventbridge", "eventbridge-rule", "batch", "jenkins", "k8s", "systemd"]
SECRET = "hunter2"  # DB_PASSWORD's value in the fixture: must never be written out
JOBS = 13  # the hidden jobs export_fixture.cpp writes, less not-loaded and runs-run-parts
failures = []
checks_run = [0]


def check(condition, message):
    checks_run[0] += 1
    if not condition:
        failures.append(message)
    return condition


def run(args, expect, what, stdin=None):
    result = subprocess.run([SCAN] + args, capture_output=True, text=True, input=stdin)
    check(result.returncode == expect,
          f"{what}: exit {result.returncode}, expected {expect}: {result.stderr.strip()}")
    return result


def files_under(root):
    out = set()
    for directory, _, names in os.walk(root):
        for name in names:
            out.add(os.path.relpath(os.path.join(directory, name), root))
    return out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def job_by(report, host, schedule):
    found = [j for j in report["jobs"] if j["host"] == host and j["schedule"] == schedule]
    check(len(found) == 1, f"{report['target']}: one job {host} '{schedule}', got {len(found)}")
    return found[0] if found else None


# --- the report, common to every target -------------------------------------------------------

def check_report(target, out, report, validator):
    errors = sorted(validator.iter_errors(report), key=str)
    check(not errors, f"{target}: report does not match the schema: {errors[:3]}")
    listed = set(report["files"])
    check(listed == files_under(out), f"{target}: files listed {sorted(listed)} != on disk "
          f"{sorted(files_under(out))}")
    check(report["target"] == target, f"{target}: report target {report['target']}")
    check(len(report["jobs"]) == JOBS, f"{target}: {len(report['jobs'])} jobs, expected {JOBS}")
    check(report["selection"] == {"filter": "", "jobs": "hidden",
                                  "skipped": {"not-loaded": 1, "runs-run-parts": 1}},
          f"{target}: selection {report['selection']}")
    check(report["notes"] == [], f"{target}: notes {report['notes']}")
    grouped = sorted(i for g in report["groups"] for o in g["owners"] for i in o["jobs"])
    check(grouped == list(range(JOBS)), f"{target}: groups hold jobs {grouped}")
    for name in files_under(out):
        check(SECRET not in read(os.path.join(out, name)), f"{target}: {name} holds the secret")
        check("secret123" not in read(os.path.join(out, name)), f"{target}: {name} holds a password")
        if not name.startswith("migration-report"):
            check("***" not in read(os.path.join(out, name)), f"{target}: {name} holds ***")
    summary = report["summary"]
    check(summary["converted"] + summary["needs_secret"] + summary["not_converted"] == JOBS,
          f"{target}: summary counts do not add up: {summary}")
    dump = job_by(report, "db-01", "0 1 * * *")
    check(dump["status"] == "needs-secret" and not dump["converted"] and dump["marker"] is None
          and dump["definitions"] and any(l["feature"] == "needs-secret" for l in dump["lost"]),
          f"{target}: a redacted password is needs-secret, not converted: {dump['status']}")
    markdown = read(os.path.join(out, "migration-report.md"))
    converted = [j for j in report["jobs"] if j["converted"]]
    check(len(report["cutover"]) == len(converted), f"{target}: one cut-over step per converted job")
    for job in report["jobs"]:
        if job["converted"]:
            first = job["definitions"][0]["name"]
            check(job["marker"] == f"# digger: migrated to {target} {first}",
                  f"{target}: marker {job['marker']}")
            check(job["marker"] in markdown, f"{target}: marker missing from the Markdown")
        else:
            check(job["command"] in markdown or "`" in job["command"],
                  f"{target}: a job that is not converted is missing from the Markdown")
    for step in report["cutover"]:
        check(step["enable"], f"{target}: a cut-over step enables the definitions")
        if step["disable"]:
            continue
        check(step["replacement"][1] == "#" + step["current_line"],
              f"{target}: cut-over line {step['replacement'][1]!r}")
        if step["file"] != "/etc/anacrontab":
            check_cutover_reads_back(target, out, step)
    tabbed = [s for s in report["cutover"] if "tabbed" in s["current_line"]]
    if check(len(tabbed) == 1, f"{target}: the tabbed line has a cut-over step"):
        check(tabbed[0]["current_line"] == "5\t4 * * *\troot\t/opt/tabbed.sh",
              f"{target}: cut-over line {tabbed[0]['current_line']!r}")
        check("   5\t4 * * *\troot\t/opt/tabbed.sh\n" in markdown
              and "   #5\t4 * * *\troot\t/opt/tabbed.sh\n" in markdown,
              f"{target}: the Markdown plan shows the tabs as tabs")


# The plan applied to a copy of the line: cron's parser must read a disabled job under the
# marker (what makes the next scan call it migrated).
def check_cutover_reads_back(target, out, step):
    path = os.path.join(WORK, f"cutover-{target}-{step['job']}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(step["replacement"]) + "\n")
    system = ["--system"] if step["file"].startswith("/etc/") else []
    result = run(["parse", "--format", "json"] + system + [path], 0, f"{target}: parse cut-over")
    entries = json.loads(result.stdout)["entries"] if result.returncode == 0 else []
    kinds = [e["kind"] for e in entries]
    check(kinds == ["comment", "disabled-job"], f"{target}: cut-over reads as {kinds}")


# --- systemd ---------------------------------------------------------------------------------

def check_systemd(out, report):
    units = os.path.join(out, "systemd")
    names = sorted(os.listdir(units))
    timers = [n for n in names if n.endswith(".timer")]
    written = [j for j in report["jobs"] if j["definitions"]]
    check(len(timers) == len(written) and len(names) == 2 * len(written), f"systemd: units {names}")
    for timer in timers:
        check(timer[:-6] + ".service" in names, f"systemd: {timer} has no service")
    # verify loads every unit and checks ExecStart's binary exists: the fixture's shells
    # (/bin/sh, /bin/bash) are present here, so no stand-in is needed.
    result = subprocess.run(["systemd-analyze", "verify"] + [os.path.join(units, n) for n in names],
                            capture_output=True, text=True)
    check(result.returncode == 0 and result.stderr.strip() == "",
          f"systemd: verify: {result.returncode} {result.stderr.strip()[:500]}")
    for timer in timers:
        for line in read(os.path.join(units, timer)).splitlines():
            if line.startswith("OnCalendar="):
                value = line[len("OnCalendar="):]
                r = subprocess.run(["systemd-analyze", "calendar", value], capture_output=True)
                check(r.returncode == 0, f"systemd: calendar rejects {value!r}")
    backup = job_by(report, "web-01", "0 3 * * 1-5")
    timer = read(os.path.join(out, backup["definitions"][0]["file"]))
    service = read(os.path.join(out, backup["definitions"][1]["file"]))
    check("OnCalendar=Mon..Fri *-*-* 3:0:00 Europe/Paris\n" in timer, f"systemd: timer {timer}")
    check("User=alice\n" in service, "systemd: User=alice")
    # The hidden value is a systemd credential the command's shell exports; no placeholder.
    check("LoadCredential=DB_PASSWORD:/etc/credstore/digger.web-01-alice-backup.sh.DB_PASSWORD\n"
          in service and "<SECRET:" not in service and "DB_PASSWORD=" not in service.split("ExecStart")[0],
          f"systemd: the secret is a credential: {service}")
    check('ExecStart=/bin/sh -c "DB_PASSWORD=$$(cat \\"$$CREDENTIALS_DIRECTORY/DB_PASSWORD\\") || exit 1; '
          'export DB_PASSWORD; /home/alice/backup.sh --full"\n' in service, f"systemd: ExecStart {service}")
    check(backup["status"] == "needs-secret", "systemd: a hidden env value is needs-secret")
    check({"feature": "secret", "level": "workaround"} in
          [{k: l[k] for k in ("feature", "level")} for l in backup["lost"]], "systemd: secret item")
    either = job_by(report, "web-01", "0 12 15 * 1")
    calendars = [l for l in read(os.path.join(out, either["definitions"][0]["file"])).splitlines()
                 if l.startswith("OnCalendar=")]
    check(calendars == ["OnCalendar=*-*-15 12:0:00 Europe/Paris",
                        "OnCalendar=Mon *-*-* 12:0:00 Europe/Paris"],
          f"systemd: cron's day OR is two lines: {calendars}")
    mail = job_by(report, "web-01", "30 2 * * *")
    service = read(os.path.join(out, mail["definitions"][1]["file"]))
    data = re.search(r"^StandardInputData=(.*)$", service, re.M)
    check(data and base64.b64decode(data.group(1)) == b"first line\nsecond line\n",
          "systemd: % stdin as StandardInputData")
    check("stdin" in mail["carried_over"], "systemd: stdin carried over")
    reboot = job_by(report, "db-01", "@reboot")
    check("OnBootSec=1min\n" in read(os.path.join(out, reboot["definitions"][0]["file"])),
          "systemd: @reboot as OnBootSec")
    vacuum = job_by(report, "db-01", "*/10 * * * *")
    check(not any(l["feature"] == "overlapping-runs" for l in vacuum["lost"]),
          "systemd: flock -n forbids overlap: no overlapping-runs item")
    check_other_kinds_systemd(out, report)


def check_other_kinds_systemd(out, report):
    """anacron, run-parts and timer jobs are exported, with their own cut-over."""
    weekly = [j for j in report["jobs"] if j["command"] == "/opt/app/weekly.sh"][0]
    timer = read(os.path.join(out, weekly["definitions"][0]["file"]))
    check("OnCalendar=Sun *-*-* 7:40:00 Europe/Paris\n" in timer and "Persistent=true\n" in timer,
          f"systemd: anacron weekly as a persistent Sunday timer: {timer}")
    check(any(l["feature"] == "anacron-start" for l in weekly["lost"])
          and not any(l["feature"] == "catch-up" for l in weekly["lost"]), "systemd: anacron items")
    every3 = [j for j in report["jobs"] if j["command"] == "/opt/app/every3.sh"][0]
    check(every3["status"] == "not-convertible" and every3["lost"][0]["feature"] == "anacron-period",
          "systemd: a 3-day anacron period is not exportable")
    rotate = [j for j in report["jobs"] if j["source"]["kind"] == "run-parts"][0]
    service = read(os.path.join(out, rotate["definitions"][1]["file"]))
    check("ExecStart=/bin/sh -c \"'/etc/cron.daily/rotate-app'\"\n" in service, f"systemd: {service}")
    check("OnCalendar=*-*-* 7:35:00 Europe/Paris\n" in read(os.path.join(out, rotate["definitions"][0]["file"])),
          "systemd: run-parts script on its anacron line's schedule")
    step = [s for s in report["cutover"] if s["job"] == rotate["id"]]
    check(step and step[0]["disable"] == "chmod a-x -- '/etc/cron.daily/rotate-app'",
          f"systemd: run-parts cut-over {step}")
    timers = [j for j in report["jobs"] if j["source"]["kind"] == "timer"]
    check(len(timers) == 2 and all(j["status"] == "converted" for j in timers), "systemd: timers")
    units = [read(os.path.join(out, j["definitions"][0]["file"])) for j in timers]
    check(any("OnCalendar=*-*-* *:00:30\n" in u for u in units), "systemd: a timer's line kept verbatim")
    for job in timers:
        step = [s for s in report["cutover"] if s["job"] == job["id"]]
        check(step and step[0]["disable"] == "systemctl disable --now -- 'app-sync.timer'",
              f"systemd: timer cut-over {step}")
    for step in report["cutover"]:
        check(step["enable"] == [f"systemctl enable --now {step['after']}"],
              f"systemd: enable {step['enable']}")


# --- CloudFormation ---------------------------------------------------------------------------

REQUIRED = {
    "AWS::Scheduler::Schedule": ["FlexibleTimeWindow", "ScheduleExpression", "Target"],
    "AWS::Events::Rule": ["ScheduleExpression", "Targets", "State"],
    "AWS::Batch::JobDefinition": ["Type", "ContainerProperties", "JobDefinitionName"],
}
AWS_NAME = re.compile(r"^[0-9A-Za-z._-]{1,64}$")
CRON6 = re.compile(r"^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$")


def refs(value):
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            yield value["Ref"]
        for child in value.values():
            yield from refs(child)
    elif isinstance(value, list):
        for child in value:
            yield from refs(child)


def check_cloudformation(target, out, report):
    template = json.loads(read(os.path.join(out, "cloudformation.json")))
    check(template.get("AWSTemplateFormatVersion") == "2010-09-09", f"{target}: template version")
    resources = template["Resources"]
    parameters = template.get("Parameters", {})
    check(re.fullmatch(r"[A-Za-z0-9]+", "".join(resources)) is not None,
          f"{target}: logical ids must be alphanumeric")
    for ref in refs(resources):
        check(ref in parameters or ref in resources or ref.startswith("AWS::"),
              f"{target}: Ref {ref} is undefined")
    for rid, resource in resources.items():
        props = resource["Properties"]
        for key in REQUIRED.get(resource["Type"], ["?"]):
            check(key in props, f"{target}: {rid} ({resource['Type']}) lacks {key}")
        if resource["Type"] != "AWS::Batch::JobDefinition":
            check(CRON6.match(props["ScheduleExpression"]) is not None,
                  f"{target}: {props['ScheduleExpression']}")
            check(AWS_NAME.match(props["Name"]) is not None, f"{target}: name {props['Name']}")
    defined = {d["file"].split("#")[1] for j in report["jobs"] for d in j["definitions"]}
    check(defined == set(resources), f"{target}: report definitions {defined} != {set(resources)}")
    reboot = job_by(report, "db-01", "@reboot")
    check(not reboot["converted"] and reboot["lost"][0]["feature"] == "reboot"
          and reboot["lost"][0]["level"] == "impossible", f"{target}: @reboot refused")
    return resources


def check_eventbridge(out, report):
    resources = check_cloudformation("eventbridge", out, report)
    by_name = {r["Properties"]["Name"]: r["Properties"] for r in resources.values()}
    backup = by_name.get("web-01-alice-backup.sh", {})
    check(backup.get("ScheduleExpression") == "cron(0 3 ? * 2-6 *)", f"eventbridge: {backup}")
    check(backup.get("ScheduleExpressionTimezone") == "Europe/Paris", "eventbridge: zone")
    check(backup.get("Target", {}).get("RoleArn") == {"Ref": "SchedulerRoleArn"}, "eventbridge: role")
    ssm = json.loads(backup["Target"]["Input"]) if backup else {}
    check(ssm.get("DocumentName") == "AWS-RunShellScript"
          and ssm["Targets"] == [{"Key": "tag:Name", "Values": ["web-01"]}], f"eventbridge: {ssm}")
    command = ssm["Parameters"]["commands"][0] if ssm else ""
    check(command.startswith("DB_PASSWORD=$(aws ssm get-parameter --with-decryption --name "
                             "/digger/web-01-alice-backup.sh/DB_PASSWORD ")
          and "sudo -H --preserve-env=DB_PASSWORD -u 'alice' -- " in command and "<SECRET:" not in command,
          f"eventbridge: the secret comes from SSM on the host: {command}")
    check(by_name.get("web-01-alice-python3-dom", {}).get("ScheduleExpression") == "cron(0 12 15 * ? *)"
          and by_name.get("web-01-alice-python3-dow", {}).get("ScheduleExpression")
          == "cron(0 12 ? * 2 *)", "eventbridge: cron's day OR as two schedules")
    check(by_name.get("db-01-postgres-vacuumdb", {}).get("ScheduleExpression") == "cron(0/10 * * * ? *)",
          "eventbridge: */10")
    check(all(r["Properties"]["State"] == "DISABLED" for r in resources.values()),
          "eventbridge: schedules are created DISABLED")
    weekly = by_name.get("web-01-root-weekly.sh", {})
    check(weekly.get("ScheduleExpression") == "cron(40 7 ? * 1 *)", f"eventbridge: anacron weekly {weekly}")
    weekly_job = [j for j in report["jobs"] if j["command"] == "/opt/app/weekly.sh"][0]
    check(any(l["feature"] == "catch-up" and l["level"] == "impossible" for l in weekly_job["lost"]),
          "eventbridge: anacron's catch-up is lost")
    timers = [j for j in report["jobs"] if j["source"]["kind"] == "timer"]
    check(sorted(j["lost"][0]["feature"] for j in timers) == ["timer-partial", "timer-trigger"],
          "eventbridge: a timer with a trigger cron cannot write stays whole on its host")


def check_rule(out, report):
    resources = check_cloudformation("eventbridge-rule", out, report)
    written = sum(len(j["definitions"]) for j in report["jobs"])
    check(len(resources) == written == 4
          and all(r["Type"] == "AWS::Events::Rule" for r in resources.values()),
          f"eventbridge-rule: resources {list(resources)}")
    check(all(r["Properties"]["State"] == "DISABLED" for r in resources.values()),
          "eventbridge-rule: rules are created DISABLED")
    check(all(s["enable"][0].startswith("aws events enable-rule --name ") for s in report["cutover"]),
          "eventbridge-rule: the cut-over enables the rule")
    for resource in resources.values():
        target = resource["Properties"]["Targets"][0]
        check(target["RoleArn"] == {"Ref": "EventsRoleArn"}, "eventbridge-rule: role")
        check({"Ref": "AWS::Region"} in target["Arn"]["Fn::Join"][1], "eventbridge-rule: region")
    for schedule in ("0 3 * * 1-5", "30 2 * * *", "0 12 15 * 1"):
        job = job_by(report, "web-01", schedule)
        check(not job["converted"] and job["lost"][0]["feature"] == "utc-only",
              "eventbridge-rule: Europe/Paris has DST: refused")


def check_batch(out, report):
    resources = check_cloudformation("batch", out, report)
    definitions = {r["Properties"]["JobDefinitionName"]: (rid, r["Properties"])
                   for rid, r in resources.items() if r["Type"] == "AWS::Batch::JobDefinition"}
    check(len(definitions) == len([j for j in report["jobs"] if j["definitions"]]),
          f"batch: job definitions {list(definitions)}")
    rid, vacuum = definitions.get("db-01-postgres-vacuumdb", (None, {}))
    container = vacuum.get("ContainerProperties", {})
    check(container.get("Command") == ["/bin/bash", "-c", "/usr/bin/flock -n /tmp/vacuum.lock vacuumdb -a"],
          f"batch: command {container.get('Command')}")
    check(container.get("User") == "postgres" and container.get("Image") == {"Ref": "Image"},
          "batch: user and image")
    check(vacuum.get("Timeout", {}).get("AttemptDurationSeconds", 0) >= 60, "batch: timeout")
    schedules = [r for r in resources.values() if r.get("DependsOn") == rid]
    check(len(schedules) == 1, "batch: the schedule depends on its job definition")
    _, backup = definitions.get("web-01-alice-backup-sh", definitions.get("web-01-alice-backup.sh", (None, {})))
    env = backup.get("ContainerProperties", {}).get("Environment", [])
    secrets = backup.get("ContainerProperties", {}).get("Secrets", [])
    check(not any(e["Name"] == "DB_PASSWORD" for e in env), f"batch: env {env}")
    check([s["Name"] for s in secrets] == ["DB_PASSWORD"]
          and secrets[0]["ValueFrom"] == {"Fn::Join": ["", ["arn:aws:ssm:", {"Ref": "AWS::Region"}, ":",
                                                            {"Ref": "AWS::AccountId"},
                                                            ":parameter/digger/web-01-alice-backup.sh/DB_PASSWORD"]]},
          f"batch: the secret is an SSM parameter: {secrets}")


# --- Jenkins and Kubernetes ------------------------------------------------------------------

def check_jenkins(out, report):
    backup = job_by(report, "web-01", "0 3 * * 1-5")
    path = backup["definitions"][0]["file"]
    check(re.fullmatch(r"jenkins/[^/]+/Jenkinsfile", path) is not None, f"jenkins: path {path}")
    text = read(os.path.join(out, path))
    check("cron('TZ=Europe/Paris\\n0 3 * * 1-5')" in text, f"jenkins: trigger in {text}")
    check("agent { label 'web-01' }" in text, "jenkins: agent label")
    either = read(os.path.join(out, job_by(report, "web-01", "0 12 15 * 1")["definitions"][0]["file"]))
    check("cron('TZ=Europe/Paris\\n0 12 15 * *\\n0 12 * * 1')" in either, "jenkins: two spec lines")
    check(" H " not in either and "@" not in either.split("triggers")[1].split("}")[0],
          "jenkins: no hashed macros")
    check("    DIGGER_ENABLED = 'false'\n" in text
          and "when { environment name: 'DIGGER_ENABLED', value: 'true' }" in text,
          "jenkins: the pipeline is created disabled")
    check("withCredentials([string(credentialsId: 'digger-web-01-alice-backup.sh-DB_PASSWORD', "
          "variable: 'DB_PASSWORD')]) {\n          sh " in text and "<SECRET:" not in text,
          f"jenkins: the secret is a credential bound around the step: {text}")


def check_k8s(out, report):
    for job in report["jobs"]:
        for definition in job["definitions"]:
            docs = list(yaml.safe_load_all(read(os.path.join(out, definition["file"]))))
            check(len(docs) == 1, f"k8s: {definition['file']} holds {len(docs)} documents")
            manifest = docs[0]
            check(manifest["apiVersion"] == "batch/v1" and manifest["kind"] == "CronJob",
                  "k8s: a batch/v1 CronJob")
            name = manifest["metadata"]["name"]
            check(re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?", name) is not None,
                  f"k8s: name {name}")
            check(manifest["spec"]["schedule"] == job["schedules"][0], "k8s: schedule")
            container = manifest["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
            if (job["schedule"] != "30 2 * * *" and job["status"] == "converted"
                    and job["source"]["kind"] in ("user", "cron.d")):
                # The YAML round trip keeps host text byte for byte.
                check(container["command"][2] == job["command"],
                      f"k8s: command {container['command'][2]!r} != {job['command']!r}")
    backup = yaml.safe_load(read(os.path.join(out, job_by(report, "web-01", "0 3 * * 1-5")["definitions"][0]["file"])))
    env = backup["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"]
    check({"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": backup["metadata"]["name"] + "-secrets",
                                                                 "key": "DB_PASSWORD"}}} in env
          and not any(e.get("value", "").startswith("<SECRET:") for e in env),
          f"k8s: the secret comes from a Secret: {env}")
    check(backup["spec"]["schedule"] == "0 3 * * 1-5" and backup["spec"]["timeZone"] == "Europe/Paris"
          and backup["spec"]["concurrencyPolicy"] == "Allow", f"k8s: {backup['spec']}")
    vacuum = yaml.safe_load(read(os.path.join(out, job_by(report, "db-01", "*/10 * * * *")["definitions"][0]["file"])))
    check(vacuum["spec"]["concurrencyPolicy"] == "Forbid", "k8s: flock -n is Forbid")
    for job in report["jobs"]:
        for definition in job["definitions"]:
            manifest = yaml.safe_load(read(os.path.join(out, definition["file"])))
            check(manifest["spec"]["suspend"] is True, f"k8s: {definition['name']} is suspended")
    for step in report["cutover"]:
        check(step["enable"] == [f"kubectl patch cronjob {step['after']} -p "
                                 "'{\"spec\":{\"suspend\":false}}'"], f"k8s: enable {step['enable']}")


# --- the output directory and the selection -------------------------------------------------

def check_directory_rules():
    out = os.path.join(WORK, "systemd")
    before = read(os.path.join(out, "migration-report.json"))
    run(["export", "--db", DB, "--target", "systemd", "-o", out], 2, "a non-empty DIR without --force")
    check(read(os.path.join(out, "migration-report.json")) == before, "refused export left DIR as is")
    run(["export", "--db", DB, "--target", "k8s", "-o", out, "--force"], 0, "--force over an export")
    check(os.path.isdir(os.path.join(out, "k8s")) and not os.path.exists(os.path.join(out, "systemd")),
          "--force replaced the previous export as a whole")
    foreign = os.path.join(WORK, "foreign")
    os.makedirs(foreign)
    with open(os.path.join(foreign, "keep.txt"), "w") as f:
        f.write("mine")
    run(["export", "--db", DB, "--target", "k8s", "-o", foreign, "--force"], 2, "--force over a foreign DIR")
    check(read(os.path.join(foreign, "keep.txt")) == "mine", "a foreign DIR is never replaced")
    run(["export", "--db", DB, "--target", "k8s", "-o", os.path.join(foreign, "keep.txt")], 2, "-o FILE")
    run(["export", "--db", DB, "--target", "nope", "-o", os.path.join(WORK, "x")], 2, "unknown target")
    run(["export", "--db", DB, "--target", "k8s", "--filter", "bogus", "-o", os.path.join(WORK, "x")],
        2, "bad filter")
    slash = os.path.join(WORK, "slash") + "/"
    run(["export", "--db", DB, "--target", "jenkins", "-o", slash], 0, "-o DIR/")
    check(os.path.isfile(os.path.join(slash, "migration-report.json")), "-o DIR/ writes DIR")
    leftovers = [n for n in os.listdir(WORK) if n.startswith(".")]
    check(not leftovers, f"temporary directories left behind: {leftovers}")
    check(not os.path.exists(os.path.join(WORK, "x")), "a refused export created its DIR")


def check_selection(validator):
    out = os.path.join(WORK, "all")
    run(["export", "--db", DB, "--target", "systemd", "--all", "-o", out], 0, "--all")
    report = json.loads(read(os.path.join(out, "migration-report.json")))
    check(not list(validator.iter_errors(report)), "--all: schema")
    check(len(report["jobs"]) == JOBS + 2 and report["selection"]["skipped"] == {}
          and report["selection"]["jobs"] == "all", f"--all: {report['selection']}")
    out = os.path.join(WORK, "alice")
    run(["export", "--db", DB, "--target", "systemd", "--filter", "owner=alice", "-o", out], 0,
        "--filter owner=alice")
    report = json.loads(read(os.path.join(out, "migration-report.json")))
    check({j["owner"] for j in report["jobs"]} == {"alice"} and len(report["jobs"]) == 3,
          "--filter owner=alice selects alice's 3 jobs")
    out = os.path.join(WORK, "target")
    run(["export", "--db", DB, "--target", "k8s", "--filter", "target~backup", "-o", out], 0,
        "--filter target~backup")
    report = json.loads(read(os.path.join(out, "migration-report.json")))
    check([j["command"] for j in report["jobs"]] == ["/home/alice/backup.sh --full"],
          f"--filter target~backup: {[j['command'] for j in report['jobs']]}")


def check_counts(target, result, report):
    """Every selected job is exported or listed on stdout with its reason, grouped by reason;
    the counts add up."""
    m = re.search(r"^exported (\d+), skipped (\d+)(?: \(([^)]*)\))? of (\d+) job", result.stdout, re.M)
    if not check(m is not None, f"{target}: summary line {result.stdout!r}"):
        return
    exported, skipped, total = int(m.group(1)), int(m.group(2)), int(m.group(4))
    check(exported + skipped == total == len(report["jobs"]), f"{target}: {result.stdout!r}")
    check(exported == report["summary"]["converted"], f"{target}: exported {exported}")
    listed = [l for l in result.stdout.splitlines() if l.startswith("not exported: ")]
    check(len(listed) == skipped, f"{target}: {len(listed)} jobs listed on stdout, {skipped} skipped")
    listed_reasons = [l.rsplit(": ", 1)[1] for l in listed]
    check(listed_reasons == sorted(listed_reasons), f"{target}: the list is not grouped by reason")
    reasons = sum(int(part.rsplit(" ", 1)[1]) for part in (m.group(3) or "").split(", ") if part)
    check(reasons == skipped, f"{target}: reasons add up to {reasons}, skipped {skipped}")


def check_strict_and_convert():
    out = os.path.join(WORK, "strict")
    result = run(["export", "--db", DB, "--target", "k8s", "--strict", "-o", out], 5, "--strict")
    check("not exported" in result.stdout, "--strict lists the jobs")
    run(["export", "--db", DB, "--target", "systemd", "--strict", "--filter", "owner=postgres",
         "-o", os.path.join(WORK, "strict-ok")], 0, "--strict with every job exported")
    result = run(["convert", "0 3 * * * root /opt/x.sh", "--target", "systemd"], 2,
                 "convert: a user column without --system")
    check(result.stdout == "" and len(result.stderr.splitlines()) == 1 and "--system" in result.stderr,
          f"convert: one-line error naming --system: {result.stderr!r}")
    result = run(["convert", "0 3 * * * root /opt/x.sh", "--system", "--target", "systemd"], 0,
                 "convert --system")
    check('ExecStart=/bin/sh -c "/opt/x.sh"' in result.stdout, "convert --system: the command")
    piped = run(["convert", "-", "--target", "systemd"], 0, "convert - (stdin)",
                stdin="CRON_TZ=Europe/Paris\n0 3 * * * /opt/y.sh\n")
    typed = run(["convert", "CRON_TZ=Europe/Paris", "0 3 * * * /opt/y.sh", "--target", "systemd"], 0,
                "convert with the same lines as arguments")
    check(piped.stdout == typed.stdout and "/opt/y.sh" in piped.stdout,
          f"convert - reads its lines from stdin: {piped.stdout!r}")


def check_schema_rejects(report, validator):
    """The schema is not vacuous: broken copies of a real report fail."""
    broken = []
    b = copy.deepcopy(report); b["jobs"][0]["marker"] = "# migrated"; broken.append(b)
    b = copy.deepcopy(report)
    j = next(j for j in b["jobs"] if j["status"] == "not-convertible")
    j["definitions"] = [{"kind": "k8s-cronjob", "name": "x", "file": "k8s/x.yaml"}]; broken.append(b)
    b = copy.deepcopy(report); b["files"].append("../etc/passwd"); broken.append(b)
    b = copy.deepcopy(report); b["jobs"][0]["lost"].append({"feature": "mail", "level": "maybe", "detail": "x"}); broken.append(b)
    for i, doc in enumerate(broken):
        check(not validator.is_valid(doc), f"schema accepts broken report #{i}")


def main():
    global DB
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    DB = os.path.join(WORK, "catalog.db")
    subprocess.run([FIXTURE, DB], check=True)
    schema = json.loads(read(SCHEMA_PATH))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    checks = {"eventbridge": check_eventbridge, "eventbridge-rule": check_rule, "batch": check_batch,
              "jenkins": check_jenkins, "k8s": check_k8s, "systemd": check_systemd}
    have_systemd = shutil.which("systemd-analyze") is not None
    for target in TARGETS:
        out = os.path.join(WORK, target)
        result = run(["export", "--db", DB, "--target", target, "-o", out], 0, f"export {target}")
        report = json.loads(read(os.path.join(out, "migration-report.json")))
        check_counts(target, result, report)
        check_report(target, out, report, validator)
        if target == "systemd" and not have_systemd:
            print("systemd-analyze not installed: unit files not verified")
            continue
        checks[target](out, report)
        if target == "k8s":
            check_schema_rejects(report, validator)
    check(not os.path.exists(os.path.join(WORK, "..", "pwned")) and not os.path.exists("pwned"),
          "nothing ran the hostile command")
    check_directory_rules()
    check_selection(validator)
    check_strict_and_convert()
    for failure in failures:
        print("FAIL", failure)
    print(f"{checks_run[0]} checks, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
