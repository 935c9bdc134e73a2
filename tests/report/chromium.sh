#!/bin/sh
# chromium.sh DIGGER_SCAN MAKE_FIXTURE WORK_DIR: opens the HTML report in headless Chromium,
# lets its JS run, and checks the DOM: figures, JS-filled counters, escaped host text, no
# console errors. Exit 77 (skipped) when chromium is not installed.
set -u
scan=$1 make_fixture=$2 work=$3
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "SKIP: chromium is not installed (apt-get install chromium)"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work" || exit 1
"$make_fixture" "$work/fixture.db" || exit 1
"$scan" report --db "$work/fixture.db" --format html -o "$work/report.html" || exit 1
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --enable-logging=stderr --v=0 --virtual-time-budget=5000 \
  --dump-dom "file://$work/report.html" >"$work/dom.html" 2>"$work/chromium.log"
status=$?
[ "$status" -eq 0 ] || { echo "chromium exited $status"; tail -20 "$work/chromium.log"; exit 1; }

failures=0
expect() { # expect DESCRIPTION FIXED-STRING: the dumped DOM must contain it
  grep -qF -- "$2" "$work/dom.html" || { echo "FAIL: $1: '$2' not in the DOM"; failures=$((failures + 1)); }
}
refuse() { # refuse DESCRIPTION FIXED-STRING: the dumped DOM must not contain it
  ! grep -qF -- "$2" "$work/dom.html" || { echo "FAIL: $1: '$2' in the DOM"; failures=$((failures + 1)); }
}
expect "the script ran to its end" 'data-ready="1"'
expect "the JS-filled job counter" '<span id="jobs-shown" class="muted">11 of 11 shown</span>'
expect "total jobs" '<b id="total-jobs">11</b>'
expect "total hosts" '<b id="total-hosts">6</b>'
expect "failed hosts" '<b id="total-failed">1</b>'
expect "the failed host and its reason" 'no answer within 5 s'
expect "the duplicated job's hosts" 'web-01, web-02'
expect "hidden batches" '<b id="total-hidden">11</b>'
expect "managed jobs counted apart" '4 jobs managed (3 by packages, 1 by Ansible) not shown'
expect "a job's flags" 'timer-disabled'
expect "the heat map" '<table class="heat">'
expect "jobs left out of the heat map" '<b id="hourly-jobs">4</b>'
expect "hostile HTML stays text" '&lt;script&gt;alert(1)&lt;/script&gt;'
refuse "hostile HTML never becomes markup" '<script>alert(1)</script>'
# Console errors (uncaught exceptions, CSP violations) are logged as CONSOLE lines.
if grep -E 'CONSOLE|Uncaught|Content Security Policy' "$work/chromium.log" >"$work/console.txt"; then
  echo "FAIL: console messages:"; cat "$work/console.txt"; failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] || { echo "$failures failure(s); DOM in $work/dom.html"; exit 1; }
echo "the HTML report renders in Chromium and its JS ran"
