#!/bin/sh
# cli.sh DIGGER_SCAN MAKE_FIXTURE WORK_DIR: --version names the program and its libraries;
# DIGGER_DB is the default catalog of every command, and --db wins over it.
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
echo "ok"
