#!/bin/sh
# deb.sh BUILD_DIR WORK_DIR: `cpack -G DEB` builds digger_X.Y.Z_ARCH.deb holding the program,
# the man page and the completion under /usr, with the shared libraries it links as Depends;
# the unpacked program runs and man finds its page. As root, apt accepts the package
# (--simulate); in CI (CI=true, root) it is really installed, run from /usr/bin, found by
# `man -w digger-scan`, and removed again.
set -u
build=$1 work=$2
fail() { echo "FAIL: $*"; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps man; do
  command -v $tool >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
rm -rf "$work" && mkdir -p "$work" || exit 1
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >"$work/cpack.log" 2>&1 ||
  fail "cpack: $(tail -5 "$work/cpack.log")"
version=$("$build/digger-scan" --version | head -n1 | cut -d' ' -f2)
deb=$(ls "$work"/digger_"$version"_*.deb 2>/dev/null)
[ -f "$deb" ] || fail "no digger_${version}_*.deb in $work: $(ls "$work")"

[ "$(dpkg-deb -f "$deb" Package)" = digger ] || fail "Package field"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version field"
depends=$(dpkg-deb -f "$deb" Depends)
for library in libssh2-1 libsqlite3-0 libssl3 libyaml-0-2; do
  echo "$depends" | grep -q "$library" || fail "Depends lacks $library: $depends"
done
dpkg-deb -c "$deb" >"$work/contents" || fail "dpkg-deb -c"
for file in ./usr/bin/digger-scan ./usr/share/man/man1/digger-scan.1 \
            ./usr/share/bash-completion/completions/digger-scan; do
  grep -q " $file\$" "$work/contents" || fail "the package lacks $file"
done

dpkg-deb -x "$deb" "$work/root" || fail "dpkg-deb -x"
"$work/root/usr/bin/digger-scan" --version | head -n1 | grep -qx "digger-scan $version" ||
  fail "unpacked --version"
[ "$(MANPATH="$work/root/usr/share/man" man -w digger-scan)" = \
  "$work/root/usr/share/man/man1/digger-scan.1" ] || fail "man -w in the unpacked tree"

[ "$(id -u)" -eq 0 ] || { echo "ok (not root: apt not asked)"; exit 0; }
apt-get install --simulate --no-install-recommends "$deb" >"$work/apt.log" 2>&1 ||
  fail "apt-get --simulate: $(tail -3 "$work/apt.log")"
[ "${CI:-}" = true ] || { echo "ok (apt accepts it; installed only in CI)"; exit 0; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" \
  >"$work/install.log" 2>&1 || fail "apt-get install: $(tail -3 "$work/install.log")"
status=0
/usr/bin/digger-scan --version | head -n1 | grep -qx "digger-scan $version" || status=1
[ "$(man -w digger-scan)" = /usr/share/man/man1/digger-scan.1 ] || status=2
dpkg -r digger >/dev/null 2>&1 || fail "dpkg -r digger"
[ $status -eq 0 ] || fail "installed package: check $status failed"
echo "ok (installed, ran, removed)"
