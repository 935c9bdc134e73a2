#!/bin/sh
# cli.sh DIGGER_SCAN MAKE_FIXTURE WORK_DIR: --version names the program and its libraries;
# DIGGER_DB is the default catalog of every command, and --db wins over it; the config file
# (--config, $DIGGER_CONFIG, $XDG_CONFIG_HOME/digger/config.toml) gives defaults; `scan` is the
# explicit name of the default action.
set -u
scan=$1 make_fixture=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 1
"$make_fixture" "$work/fixture.db" || exit 1

"$scan" --version >"$work/version" || fail "--version exited $?"
head -n1 "$work/version" | grep -Eqx 'digger-scan [0-9]+\.[0-9]+\.[0-9]+' ||
  fail "--version: $(cat "$work/version")"
sed -n 2p "$work/version" | grep -Eq '^libssh2 [0-9.]+, SQLite [0-9.]+$' ||
  fail "--version second line: $(cat "$work/version")"

cd "$work" || exit 1 # no ./digger.db here
DIGGER_DB="$work/fixture.db" "$scan" scans >"$work/scans" || fail "scans with DIGGER_DB"
[ "$(grep -c complete "$work/scans")" -eq 2 ] || fail "scans with DIGGER_DB: $(cat "$work/scans")"
DIGGER_DB="$work/fixture.db" "$scan" report --format prometheus >/dev/null ||
  fail "report with DIGGER_DB"
DIGGER_DB="$work/fixture.db" "$scan" diff >/dev/null
[ $? -eq 1 ] || fail "diff with DIGGER_DB: not exit 1 (changes)"
# --db wins: a catalog that does not exist is exit 3, whatever DIGGER_DB says.
DIGGER_DB="$work/fixture.db" "$scan" report --db "$work/none.db" 2>/dev/null
[ $? -eq 3 ] || fail "--db did not win over DIGGER_DB"
# An empty DIGGER_DB is ./digger.db (absent here: exit 3).
DIGGER_DB= "$scan" scans 2>"$work/err"
[ $? -eq 3 ] && grep -q 'digger.db' "$work/err" || fail "empty DIGGER_DB: $(cat "$work/err")"
[ -e "$work/digger.db" ] && fail "report created ./digger.db"

# The config file: top-level keys are the app's (a subcommand with the same option takes
# them), [report] is the report's; the command line wins; unknown keys name file and line.
export XDG_CONFIG_HOME="$work/xdg"
mkdir -p "$XDG_CONFIG_HOME/digger"
printf 'db = "%s"\nconcurrency = 8\n[report]\nformat = "json"\n' "$work/fixture.db" \
  >"$XDG_CONFIG_HOME/digger/config.toml"
"$scan" report >"$work/report.json" 2>"$work/err" || fail "report with a config file: $(cat "$work/err")"
grep -q '"format": "digger-report"' "$work/report.json" || fail "[report] format = json not applied"
"$scan" report --format csv | head -n1 | grep -q ',' || fail "--format did not win over the config"
"$scan" --db "$work/none.db" report 2>/dev/null
[ $? -eq 3 ] || fail "a global --db typed on the command line did not win over the config"
printf 'db = "x"\n\n[report]\nformatt = "json"\n' >"$work/bad.toml"
"$scan" --config "$work/bad.toml" report 2>"$work/err"
[ $? -eq 2 ] && grep -qx "digger-scan report: $work/bad.toml:4: unknown option 'formatt'" "$work/err" ||
  fail "unknown config key: $(cat "$work/err")"
"$scan" --config "$work/missing.toml" report 2>"$work/err"
[ $? -eq 2 ] && grep -q 'missing.toml' "$work/err" || fail "missing --config: $(cat "$work/err")"
DIGGER_CONFIG="$work/bad.toml" "$scan" scans 2>/dev/null
[ $? -eq 2 ] || fail "DIGGER_CONFIG not read"
unset XDG_CONFIG_HOME

# `digger-scan scan` is the default action: same options, same errors.
"$scan" scan 2>"$work/err"
[ $? -eq 2 ] && grep -qx 'digger-scan scan: --inventory is required' "$work/err" ||
  fail "scan without --inventory: $(cat "$work/err")"
"$scan" scan --inventory "$work/none.txt" 2>"$work/err"
[ $? -eq 2 ] && grep -q 'none.txt' "$work/err" || fail "scan --inventory missing file: $(cat "$work/err")"
"$scan" --inventory "$work/none.txt" 2>"$work/err2"
[ "$(sed 's/^digger-scan scan:/digger-scan:/' "$work/err")" = "$(cat "$work/err2")" ] ||
  fail "scan alias and default action differ: $(cat "$work/err") / $(cat "$work/err2")"
echo "ok"
