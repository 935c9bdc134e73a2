#!/bin/sh
# install.sh BUILD_DIR WORK_DIR: `cmake --install BUILD_DIR --prefix WORK_DIR/prefix` gives the
# usual tree: the program in bin (it runs), its man page in share/man/man1 (found by man -w,
# rendered by man -l, no groff warning), the bash completion in
# share/bash-completion/completions (it completes against the installed program).
set -u
build=$1 work=$2
fail() { echo "FAIL: $*"; exit 1; }
command -v groff >/dev/null && command -v man >/dev/null ||
  { echo "SKIP: groff or man not installed"; exit 77; }
[ -f "$build/digger-scan.1" ] || fail "$build/digger-scan.1 not built (target digger-man)"
rm -rf "$work" && mkdir -p "$work" || exit 1
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || fail "cmake --install"

[ -x "$prefix/bin/digger-scan" ] || fail "no bin/digger-scan"
"$prefix/bin/digger-scan" --version | head -n1 | grep -Eqx 'digger-scan [0-9.]+' ||
  fail "installed --version"

page=$prefix/share/man/man1/digger-scan.1
[ -f "$page" ] || fail "no share/man/man1/digger-scan.1"
[ "$(MANPATH="$prefix/share/man" man -w digger-scan)" = "$page" ] || fail "man -w digger-scan"
groff -man -ww -z "$page" 2>"$work/groff.err" || fail "groff exited $?"
[ -s "$work/groff.err" ] && fail "groff warnings: $(cat "$work/groff.err")"
if command -v mandoc >/dev/null; then
  mandoc -Tlint -Wwarning "$page" || fail "mandoc -Tlint"
fi
MANWIDTH=80 man --warnings=all -l "$page" 2>"$work/man.err" >"$work/man.txt" || fail "man -l exited $?"
[ -s "$work/man.err" ] && fail "man -l: $(cat "$work/man.err")"
grep -q '^SYNOPSIS' "$work/man.txt" || fail "rendered page has no SYNOPSIS"
# No Markdown left over: code spans, bold, links.
grep -n -e '`' -e '\*\*' -e '](' "$work/man.txt" && fail "Markdown left in the rendered page"
grep -q -- '--textfile-dir' "$work/man.txt" || fail "rendered page lacks --textfile-dir"
grep -q 'DIGGER_DB' "$work/man.txt" || fail "rendered page lacks DIGGER_DB"

completion=$prefix/share/bash-completion/completions/digger-scan
[ -f "$completion" ] || fail "no share/bash-completion/completions/digger-scan"
got=$(bash -c '. "$1"; COMP_WORDS=("$2" report --for); COMP_CWORD=2; _digger_scan
               echo "${COMPREPLY[*]}"' complete "$completion" "$prefix/bin/digger-scan")
[ "$got" = "--format" ] || fail "installed completion of 'report --for': '$got'"
zsh_completion=$prefix/share/zsh/vendor-completions/_digger-scan
[ -f "$zsh_completion" ] || fail "no share/zsh/vendor-completions/_digger-scan"
if command -v zsh >/dev/null; then
  got=$(zsh -f -c '. "$1"; words=("$2" report --f); CURRENT=3; _digger_scan_candidates
                   print -r -- ${(o)${(M)reply:#--f*}}' complete "$zsh_completion" "$prefix/bin/digger-scan")
  [ "$got" = "--filter --format --full" ] || fail "installed zsh completion of 'report --f': '$got'"
fi
echo "ok"
