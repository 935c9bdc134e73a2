#!/usr/bin/python3
"""check_dashboard.py DIGGER_SCAN MAKE_FIXTURE DASHBOARD SCHEMA WORK_DIR: the Grafana
dashboard is valid dashboard JSON (the schema beside this script: what Grafana needs to import
it), its panels do not overlap and have unique ids, and every panel query names only metrics
that `report --format prometheus` really exports, with only labels those metrics carry (plus
the `instance` and `job` labels Prometheus adds when it scrapes)."""
import json
import os
import re
import shutil
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema not installed")
    sys.exit(77)

SCAN, MAKE_FIXTURE, DASHBOARD, SCHEMA, WORK = sys.argv[1:6]
SCRAPE_LABELS = {"instance", "job"}
# PromQL words that are not metric names: aggregations, functions and keywords the dashboard
# may use. A name followed by "(" is a function call whatever it is.
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
            "unless", "bool", "offset"}
failures = []


def exported():
    """{metric: set of label names} from a real --format prometheus output of the fixture
    catalog (its latest scan has a previous one, so every family is present)."""
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    db = os.path.join(WORK, "fixture.db")
    subprocess.run([MAKE_FIXTURE, db], check=True)
    text = subprocess.run([SCAN, "report", "--db", db, "--format", "prometheus"],
                          capture_output=True, text=True, check=True).stdout
    metrics = {}
    for line in text.splitlines():
        if m := re.match(r"# TYPE (\S+) ", line):
            metrics[m.group(1)] = set()
        elif not line.startswith("#"):
            name, _, labels = line.partition("{")
            name = name.split(" ")[0]
            metrics[name] |= set(re.findall(r'([a-zA-Z_]\w*)="', labels.rsplit("}", 1)[0]))
    return metrics


def check_expr(where, expr, metrics):
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # string literals say nothing
    text = re.sub(r"\$\w+|\$\{\w+\}", "1", text)      # dashboard variables
    used = []
    # Label names inside selectors and by/without lists are checked against the metrics.
    selector_labels = set()
    for m in re.finditer(r"\{([^}]*)\}", text):
        selector_labels |= set(re.findall(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)", m.group(1)))
    grouping_labels = set()
    for m in re.finditer(r"\b(?:by|without)\s*\(([^)]*)\)", text):
        grouping_labels |= {w.strip() for w in m.group(1).split(",") if w.strip()}
    bare = re.sub(r"\{[^}]*\}", " ", text)
    bare = re.sub(r"\b(?:by|without)\s*\([^)]*\)", " ", bare)
    for m in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", bare):
        word = m.group(0)
        after = bare[m.end():].lstrip()
        if word in KEYWORDS or after.startswith("("):
            continue
        if re.fullmatch(r"\d+[smhdwy]?", word):
            continue
        used.append(word)
        if word not in metrics:
            failures.append(f"{where}: '{word}' is not a metric digger-scan exports ({expr})")
    if not used:
        failures.append(f"{where}: the query names no metric ({expr})")
    labels = set(SCRAPE_LABELS)
    for word in used:
        labels |= metrics.get(word, set())
    for label in sorted((selector_labels | grouping_labels) - labels):
        failures.append(f"{where}: label '{label}' is not on {used} ({expr})")


def check_layout(panels):
    ids = [p["id"] for p in panels]
    if len(ids) != len(set(ids)):
        failures.append(f"panel ids repeat: {ids}")
    cells = {}
    for p in panels:
        g = p["gridPos"]
        if g["x"] + g["w"] > 24:
            failures.append(f"panel {p['id']} is wider than the 24-column grid")
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                if (x, y) in cells:
                    failures.append(f"panels {cells[(x, y)]} and {p['id']} overlap at {x},{y}")
                    return
                cells[(x, y)] = p["id"]


def main():
    with open(DASHBOARD, encoding="utf-8") as f:
        dashboard = json.load(f)
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    for error in validator.iter_errors(dashboard):
        failures.append(f"schema: {'/'.join(map(str, error.path))}: {error.message}")
    metrics = exported()
    for required in ("digger_jobs", "digger_hosts", "digger_job_changes",
                     "digger_scan_duration_seconds"):
        if required not in metrics:
            failures.append(f"--format prometheus does not export {required}")
    panels = dashboard.get("panels", [])
    check_layout(panels)
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    for name, variable in variables.items():
        if variable["type"] == "query":
            query = variable.get("definition", "")
            m = re.fullmatch(r"label_values\((\w+),\s*(\w+)\)", query)
            if not m or m.group(1) not in metrics:
                failures.append(f"variable {name}: {query} is not label_values(<our metric>, l)")
    for panel in panels:
        if panel.get("datasource", {}).get("uid") != "${datasource}":
            failures.append(f"panel {panel['id']}: datasource is not the $datasource variable")
        for target in panel.get("targets", []):
            check_expr(f"panel {panel['id']} ({panel['title']})", target["expr"], metrics)
    for failure in failures:
        print("FAIL:", failure)
    print(f"{len(panels)} panels, {len(metrics)} exported metrics checked")
    return 1 if failures else 0


sys.exit(main())
