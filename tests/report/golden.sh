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
expect_exit 0 report.by-host.table -- "$scan" report --db "$db" --group-by host \
  --filter "label:env=prod language!=php" --scan 1
golden report.by-host.table
# Managed jobs listed (--all), and the issue 8 filter keys.
expect_exit 0 report.all.table -- "$scan" report --db "$db" --all
golden report.all.table
expect_exit 0 report.flags.csv -- "$scan" report --db "$db" --format csv \
  --filter "flag~target kind!=anacrontab"
golden report.flags.csv
expect_exit 0 report.to-file -- "$scan" report --db "$db" --format csv -o "$work/out.csv"
cmp -s "$work/out.csv" "$work/report.csv.out" || fail "-o FILE differs from stdout"

for format in table json csv; do
  expect_exit 1 "diff.$format" -- "$scan" diff --db "$db" --format "$format"
  golden "diff.$format"
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
# One scan: nothing to compare yet, which is not a broken catalog (exit 3).
expect_exit 2 one-scan-diff -- "$scan" diff --db "$db" --to 1
# Options before the subcommand: --db is handed over, a scan-only option is refused.
expect_exit 0 global-db -- "$scan" --db "$db" report --format csv
cmp -s "$work/global-db.out" "$work/report.csv.out" || fail "--db before report: another catalog read"
expect_exit 2 global-scan-option -- "$scan" --no-inspect report --db "$db"
grep -q 'option of the scan' "$work/global-scan-option.err" || fail "scan option before report"
expect_exit 2 cli11-error -- "$scan" report --db "$db" --bogus
for name in bad-scan bad-scan-word bad-filter bad-group bad-from missing-db empty-report \
  empty-diff empty-scans one-scan-diff diff-same global-scan-option; do
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
