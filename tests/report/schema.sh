#!/bin/sh
# schema.sh DIGGER_SCAN MAKE_FIXTURE SCHEMA CHECKER WORK_DIR: the JSON report of every scan,
# grouping and a filter, validated against docs/report.schema.json.
set -u
scan=$1 make_fixture=$2 schema=$3 checker=$4 work=$5
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
"$make_fixture" "$work/fixture.db" || exit 1
"$scan" report --db "$work/fixture.db" --format json >"$work/latest.json" || exit 1
"$scan" report --db "$work/fixture.db" --format json --scan 1 --group-by label:role \
  >"$work/first.json" || exit 1
"$scan" report --db "$work/fixture.db" --format json --filter "host=nothing" \
  >"$work/empty.json" || exit 1
"$scan" report --db "$work/fixture.db" --format json --all >"$work/all.json" || exit 1
exec python3 "$checker" "$schema" "$work/latest.json" "$work/first.json" "$work/empty.json" \
  "$work/all.json"
