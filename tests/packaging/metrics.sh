#!/bin/sh
# metrics.sh DIGGER_SCAN MAKE_FIXTURE WORK_DIR: `report --format prometheus` on the report
# fixture passes `promtool check metrics` (Debian's prometheus package); --textfile-dir writes
# the same bytes to DIR/digger.prom, mode 0644, leaving no temporary file; bad uses exit 2; and
# a scan with --textfile-dir writes the metrics of the scan it just ran.
set -u
scan=$1 make_fixture=$2 work=$3
command -v promtool >/dev/null || { echo "SKIP: promtool (package prometheus) not installed"; exit 77; }
command -v ssh-keygen >/dev/null || { echo "SKIP: ssh-keygen not installed"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work/textfile" || exit 1
"$make_fixture" "$work/fixture.db" || exit 1

"$scan" report --db "$work/fixture.db" --format prometheus >"$work/metrics.prom" ||
  fail "report --format prometheus exited $?"
promtool check metrics <"$work/metrics.prom" || fail "promtool check metrics (latest scan)"
grep -qx 'digger_job_changes{change="added",verdict="hidden"} 1' "$work/metrics.prom" ||
  fail "no added hidden batch since scan 1"
grep -qx 'digger_jobs{verdict="hidden",language="python",owner="root"} 2' "$work/metrics.prom" ||
  fail "root's hidden python jobs"
grep -qx 'digger_scan_duration_seconds 165' "$work/metrics.prom" || fail "scan duration"
# The first scan has no previous one (no change families) and no verdicts.
"$scan" report --db "$work/fixture.db" --format prometheus --scan 1 >"$work/first.prom" ||
  fail "report --scan 1"
promtool check metrics <"$work/first.prom" || fail "promtool check metrics (scan 1)"
grep -q '^digger_job_changes' "$work/first.prom" && fail "changes reported for the first scan"
grep -q 'verdict="unknown"' "$work/first.prom" || fail "scan 1 jobs are not verdict=unknown"

# --textfile-dir: same bytes, 0644, nothing else left in the directory.
"$scan" report --db "$work/fixture.db" --textfile-dir "$work/textfile" >"$work/stdout" ||
  fail "report --textfile-dir exited $?"
[ -s "$work/stdout" ] && fail "report --textfile-dir printed on stdout"
cmp "$work/metrics.prom" "$work/textfile/digger.prom" || fail "textfile differs from stdout"
[ "$(stat -c %a "$work/textfile/digger.prom")" = 644 ] || fail "digger.prom is not mode 0644"
[ "$(ls -A "$work/textfile")" = digger.prom ] || fail "left behind: $(ls -A "$work/textfile")"
# Replaced as a whole, not appended to.
"$scan" report --db "$work/fixture.db" --scan 1 --textfile-dir "$work/textfile" ||
  fail "second --textfile-dir run"
cmp "$work/first.prom" "$work/textfile/digger.prom" || fail "textfile not replaced"

"$scan" report --db "$work/fixture.db" --textfile-dir "$work/missing" 2>"$work/err"
[ $? -eq 2 ] || fail "--textfile-dir to a missing directory: not exit 2"
"$scan" report --db "$work/fixture.db" --format json --textfile-dir "$work/textfile" 2>"$work/err"
[ $? -eq 2 ] || fail "--format json --textfile-dir: not exit 2"
grep -q 'digger-scan report: --textfile-dir writes Prometheus metrics' "$work/err" ||
  fail "--format json --textfile-dir: $(cat "$work/err")"

# A scan's hook: one host nothing listens on (this suite's 127.0.80.x range, port 9).
ssh-keygen -q -t ed25519 -N '' -f "$work/key" || exit 1
echo "127.0.80.1:9 team=metrics" >"$work/hosts.txt"
mkdir -p "$work/scan-textfile"
"$scan" --inventory "$work/hosts.txt" --db "$work/scan.db" -i "$work/key" --retries 0 \
  --connect-timeout 2 --timeout 5 -q --textfile-dir "$work/scan-textfile"
[ $? -eq 1 ] || fail "scan of an unreachable host: not exit 1"
promtool check metrics <"$work/scan-textfile/digger.prom" || fail "promtool on the scan's textfile"
grep -qx 'digger_hosts{status="unreachable"} 1' "$work/scan-textfile/digger.prom" ||
  fail "scan textfile: $(cat "$work/scan-textfile/digger.prom")"
grep -qx 'digger_scan_id 1' "$work/scan-textfile/digger.prom" || fail "scan textfile: scan id"
echo "ok"
