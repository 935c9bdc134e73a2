#!/bin/sh
# golden.sh DIGGER_SCAN MAKE_FIXTURE DATA_DIR WORK_DIR
# Every output format against tests/data/report, reruns byte-identical, exit codes.
set -u
scan=$1 make_fixture=$2 data=$3 work=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
db=$work/fixture.db
"$make_fixture" "$db" "$work/empty.db" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_exit CODE NAME -- command...: runs it into $work/NAME.out, checks the exit code.
expect_exit() {
  code=$1 name=$2
  shift 3
  NO_COLOR= "$@" >"$work/$name.out" 2>"$work/$name.err"
  got=$?
  [ "$got" -eq "$code" ] || fail "$name: exit $got, expected $code ($(cat "$work/$name.err"))"
}

golden() {
  name=$1
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$work/$name.out" "$data/$name" && echo "updated $data/$name"
  elif ! cmp -s "$work/$name.out" "$data/$name"; then
    fail "$name differs from the golden file:"
    diff -u "$data/$name" "$work/$name.out" | head -40
  fi
}

for format in table json csv html; do
  expect_exit 0 "report.$format" -- "$scan" report --db "$db" --format "$format"
  golden "report.$format"
  # Byte-identical on a rerun.
  expect_exit 0 "rerun.$format" -- "$scan" report --db "$db" --format "$format"
  cmp -s "$work/report.$format.out" "$work/rerun.$format.out" || fail "$format rerun differs"
done
# The full listing (--full); in a pipe nothing is cut.
expect_exit 0 report.full.table -- "$scan" report --db "$db" --full
golden report.full.table
grep -q '…' "$work/report.full.table.out" && fail "a value was cut in a pipe"
expect_exit 0 report.by-host.table -- "$scan" report --db "$db" --full --group-by host \
  --filter "label:env=prod language!=php" --scan 1
golden report.by-host.table
# Managed jobs listed (--all), and the issue 8 filter keys.
expect_exit 0 report.all.table -- "$scan" report --db "$db" --full --all
golden report.all.table
# The summary on one screen, and where the full list is.
[ "$(wc -l <"$work/report.table.out")" -le 60 ] || fail "the summary is longer than a screen"
grep -q -- 'report --full' "$work/report.table.out" || fail "the summary does not say where the full list is"

# ndjson: one job per line, each a JSON object; as many as the JSON report's jobs.
expect_exit 0 report.ndjson -- "$scan" report --db "$db" --format ndjson
golden report.ndjson
expect_exit 0 report.all.ndjson -- "$scan" report --db "$db" --format ndjson --all
expect_exit 0 report.all.json -- "$scan" report --db "$db" --format json --all
if [ -x /usr/bin/python3 ]; then
  for pair in report.ndjson:report.json report.all.ndjson:report.all.json; do
    /usr/bin/python3 - "$work/${pair%%:*}.out" "$work/${pair#*:}.out" <<'PY' || fail "ndjson: $pair"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "no final newline"
jobs = [json.loads(line) for line in lines[:-1]]
report = json.load(open(sys.argv[2], encoding="utf-8"))
# The jobs, then the workers (docs/workers.md), each as in the JSON report.
assert jobs == report["jobs"] + report.get("workers", []), "ndjson jobs differ from the JSON report's"
assert len(jobs) > 0
PY
  done
fi

# On a terminal: its width (TIOCGWINSZ; script(1) gives a pty), cells cut to it, hints wrapped.
if command -v script >/dev/null; then
  for cols in 60 100; do
    script -qc "stty cols $cols rows 50; NO_COLOR=1 '$scan' report --db '$db'" /dev/null |
      tr -d '\r' >"$work/report.tty$cols.table.out"
    golden "report.tty$cols.table"
    [ "$(LC_ALL=C.UTF-8 wc -L <"$work/report.tty$cols.table.out")" -le "$cols" ] ||
      fail "a line wider than $cols columns"
    tr '\n' ' ' <"$work/report.tty$cols.table.out" | tr -s ' ' |
      grep -q 'not shown; --all shows them' || fail "the --all hint is cut at $cols columns"
  done
  # COLUMNS when the terminal does not say its width.
  script -qc "stty cols 0; COLUMNS=70 NO_COLOR=1 '$scan' report --db '$db' --full" /dev/null |
    tr -d '\r' >"$work/columns.out"
  [ "$(LC_ALL=C.UTF-8 wc -L <"$work/columns.out")" -le 70 ] || fail "COLUMNS=70 not honoured"
  grep -q '…' "$work/columns.out" || fail "nothing cut at 70 columns"
fi
expect_exit 0 report.flags.csv -- "$scan" report --db "$db" --format csv \
  --filter "flag~target kind!=anacrontab"
golden report.flags.csv
expect_exit 0 report.to-file -- "$scan" report --db "$db" --format csv -o "$work/out.csv"
cmp -s "$work/out.csv" "$work/report.csv.out" || fail "-o FILE differs from stdout"

for format in table json csv; do
  expect_exit 1 "diff.$format" -- "$scan" diff --db "$db" --format "$format"
  golden "diff.$format"
done
grep -q '…' "$work/diff.table.out" && fail "diff cut a value in a pipe"
# diff --filter: only the jobs it keeps; the exit code says whether they changed.
expect_exit 1 diff.hidden.table -- "$scan" diff --db "$db" --filter verdict=hidden
golden diff.hidden.table
expect_exit 1 diff.hidden.csv -- "$scan" diff --db "$db" --filter verdict=hidden --format csv
golden diff.hidden.csv
expect_exit 0 diff-nobody -- "$scan" diff --db "$db" --filter owner=nobody
grep -q '^No change' "$work/diff-nobody.out" || fail "diff --filter owner=nobody: a change"
expect_exit 2 diff-bad-filter -- "$scan" diff --db "$db" --filter "colour=red"
expect_exit 1 diff.to-file -- "$scan" diff --db "$db" --format csv -o "$work/diff-out.csv"
cmp -s "$work/diff-out.csv" "$work/diff.csv.out" || fail "diff -o FILE differs from stdout"
# -o into a missing directory: the reason, from the system.
expect_exit 2 report-bad-output -- "$scan" report --db "$db" -o "$work/missing/x"
expect_exit 2 diff-bad-output -- "$scan" diff --db "$db" -o "$work/missing/x"
for name in report-bad-output diff-bad-output; do
  grep -q 'No such file or directory' "$work/$name.err" || fail "$name: no reason: $(cat "$work/$name.err")"
done
expect_exit 2 diff-same -- "$scan" diff --db "$db" --from 1 --to 1
expect_exit 0 scans.table -- "$scan" scans --db "$db"
golden scans.table
expect_exit 0 hosts.table -- "$scan" hosts --db "$db"
golden hosts.table

# Errors: one line on stderr, no stack trace, the documented exit code.
expect_exit 2 bad-scan -- "$scan" report --db "$db" --scan 42
expect_exit 2 bad-scan-word -- "$scan" report --db "$db" --scan yesterday
expect_exit 2 bad-filter -- "$scan" report --db "$db" --filter "colour=red"
expect_exit 2 bad-group -- "$scan" report --db "$db" --group-by colour
expect_exit 2 bad-from -- "$scan" diff --db "$db" --from "not a date"
expect_exit 3 missing-db -- "$scan" report --db "$work/missing.db"
expect_exit 3 empty-report -- "$scan" report --db "$work/empty.db"
expect_exit 3 empty-diff -- "$scan" diff --db "$work/empty.db"
expect_exit 3 empty-scans -- "$scan" scans --db "$work/empty.db"
# One scan: the baseline is recorded, nothing to compare yet: exit 0, said on stderr.
expect_exit 0 one-scan-diff -- "$scan" diff --db "$db" --to 1
grep -q 'baseline' "$work/one-scan-diff.err" || fail "one scan: the baseline is not mentioned"
[ ! -s "$work/one-scan-diff.out" ] || fail "one scan: diff printed a document"
# Options before the subcommand: --db is handed over, a scan-only option is refused.
expect_exit 0 global-db -- "$scan" --db "$db" report --format csv
cmp -s "$work/global-db.out" "$work/report.csv.out" || fail "--db before report: another catalog read"
expect_exit 2 global-scan-option -- "$scan" --no-inspect report --db "$db"
grep -q 'option of the scan' "$work/global-scan-option.err" || fail "scan option before report"
expect_exit 2 cli11-error -- "$scan" report --db "$db" --bogus
for name in bad-scan bad-scan-word bad-filter bad-group bad-from missing-db empty-report \
  empty-diff empty-scans one-scan-diff diff-same global-scan-option diff-bad-filter \
  report-bad-output diff-bad-output; do
  [ "$(wc -l <"$work/$name.err")" -eq 1 ] || fail "$name: stderr is not one line"
  grep -q '^digger-scan' "$work/$name.err" || fail "$name: stderr lacks the program name"
done
grep -q '^digger-scan report: ' "$work/cli11-error.err" || fail "CLI11's error lacks the prefix"
[ ! -e "$work/missing.db" ] || fail "report created a catalog"

# Colour only on a terminal, never with NO_COLOR (script(1) gives the command a pty).
if command -v script >/dev/null; then
  esc=$(printf '\033')
  script -qc "NO_COLOR= '$scan' report --db '$db'" /dev/null >"$work/tty.out" 2>&1
  grep -q "$esc" "$work/tty.out" || fail "no colour on a terminal"
  script -qc "NO_COLOR=1 '$scan' report --db '$db'" /dev/null >"$work/nocolor.out" 2>&1
  ! grep -q "$esc" "$work/nocolor.out" || fail "colour despite NO_COLOR"
  ! grep -q "$esc" "$work/report.table.out" || fail "colour when not a terminal"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all report outputs match"
