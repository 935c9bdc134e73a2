#!/bin/sh
# lint_remote.sh shellcheck|dash|busybox TOOL DIR (tests/collect/CMakeLists.txt, label lint)
# TOOL: digger_remote_script; DIR: src/collect/remote. Fails on any finding.
set -u
check=$1; tool=$2; dir=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
case $check in
  shellcheck)
    command -v shellcheck >/dev/null 2>&1 || { echo "SKIPPED: no shellcheck"; exit 77; }
    # What the script gets before its own text: the path preamble (collector) and rd, the
    # child reader (inspect). Findings name lines of the combined text; the offset is printed.
    "$tool" preamble > "$tmp/collector.pre" || exit 1
    # supervisor_runtime.sh: functions the collector calls, using its variables.
    { grep -E "^supervisor_(paths|logs)=" "$tmp/collector.pre"
      printf "%s\n" "nl=x oifs=x small=1 to=" "export nl oifs small to"; } > "$tmp/supervisor_runtime.pre"
    # The collector, as sent: behind the preamble and those functions (may.sh first).
    cat "$dir/may.sh" "$dir/supervisor_runtime.sh" >> "$tmp/collector.pre"
    { echo 'rd="exec sh"'; cat "$dir/may.sh"; } > "$tmp/inspect.pre"
    : > "$tmp/may.pre"
    : > "$tmp/inspect_read.pre"
    for f in "$dir"/*.sh; do
      name=${f##*/}; name=${name%.sh}
      pre=$tmp/$name.pre
      [ -f "$pre" ] || { echo "$f: no preamble known for it (tests/collect/lint_remote.sh)"; status=1; continue; }
      echo "== $f (its line N is line N + $(wc -l < "$pre") below)"
      cat "$pre" "$f" > "$tmp/$name.sh"
      shellcheck --shell=sh --severity=style "$tmp/$name.sh" || status=1
    done ;;
  dash|busybox)
    if [ "$check" = dash ]; then run="dash"; else run="busybox sh"; fi
    command -v "$check" >/dev/null 2>&1 || { echo "SKIPPED: no $check"; exit 77; }
    for what in collector inspect; do
      "$tool" "$what" > "$tmp/$what.sh" || exit 1
      if $run -n "$tmp/$what.sh"; then echo "$what: $run -n ok"; else status=1; fi
    done
    # The reader runs as its own sh -c: check it alone too.
    if $run -n "$dir/inspect_read.sh"; then echo "inspect_read: $run -n ok"; else status=1; fi ;;
  *) echo "usage: $0 shellcheck|dash|busybox TOOL DIR"; exit 2 ;;
esac
exit $status
