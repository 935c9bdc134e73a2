#include "digger/collect/script.hpp"

#include <fmt/format.h>

namespace digger::collect {
namespace {

// Record framing (decoded by decode.cpp): a header line "TYPE COUNT\n" followed by COUNT
// segments, each "LENGTH\nBYTES\n". Lengths are bytes (LC_ALL=C), so any byte in a name or
// file survives. File contents are padded with NUL if the file shrank while being read, so
// a segment always has exactly the announced length and the framing cannot drift.
//
// The script never follows symlinks, reads only regular files, and never executes anything
// it found. It must not contain a single quote: it travels inside '...'.
constexpr std::string_view script = R"SH(LC_ALL=C; export LC_ALL
PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH
total=${1:-16777216}; perfile=${2:-4194304}; left=$total
seg() { printf "%s\n%s\n" "${#1}" "$1"; }
fact() { printf "FACT 2\n"; seg "$1"; seg "$2"; }
content() {
  if [ "$2" -gt 0 ]; then
    { head -c "$2" -- "$1" 2>/dev/null; cat /dev/zero 2>/dev/null; } | head -c "$2"
  fi
  printf "\n"
}
one() {
  kind=$1; f=$2
  if [ -L "$f" ]; then
    printf "LINK 3\n"; seg "$kind"; seg "$f"; seg "$(readlink -- "$f" 2>/dev/null)"
    return
  fi
  [ -e "$f" ] || return
  if [ ! -f "$f" ]; then
    [ -d "$f" ] && return
    printf "SPECIAL 2\n"; seg "$kind"; seg "$f"; return
  fi
  if [ ! -r "$f" ]; then
    printf "UNREADABLE 3\n"; seg "$kind"; seg "$f"; seg "permission denied"; return
  fi
  m=$(stat -c "%u %a %s %Y %U" -- "$f" 2>/dev/null)
  [ -n "$m" ] || m="-1 0 $(wc -c < "$f" 2>/dev/null || echo 0) 0 ?"
  set -f; set -- $m; set +f
  n=$3
  [ "$n" -gt "$perfile" ] && n=$perfile
  [ "$n" -gt "$left" ] && n=$left
  left=$((left - n))
  printf "FILE 8\n"; seg "$kind"; seg "$f"; seg "$1"; seg "$5"; seg "$2"; seg "$3"; seg "$4"
  printf "%s\n" "$n"; content "$f" "$n"
}
dir() {
  kind=$1; d=$2
  [ -d "$d" ] || return
  if [ -L "$d" ]; then
    printf "LINK 3\n"; seg "$kind"; seg "$d"; seg "$(readlink -- "$d" 2>/dev/null)"; return
  fi
  if [ ! -r "$d" ] || [ ! -x "$d" ]; then
    printf "UNREADABLE 3\n"; seg "$kind"; seg "$d"; seg "permission denied"; return
  fi
  for f in "$d"/* "$d"/.[!.]* "$d"/..?*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    [ -d "$f" ] && [ ! -L "$f" ] && continue
    one "$kind" "$f"
  done
}
printf "@@digger-collect@@ 1\n"
fact uid "$(id -u 2>/dev/null)"
h=; read -r h < /proc/sys/kernel/hostname 2>/dev/null || h=$(hostname 2>/dev/null)
fact hostname "$h"
os=; i=0
while [ $i -lt 200 ] && IFS= read -r line; do
  i=$((i + 1))
  case $line in ID=*|VERSION_ID=*) os="$os$line
" ;; esac
done < /etc/os-release 2>/dev/null
fact os_release "$os"
tz=; read -r tz < /etc/timezone 2>/dev/null
fact timezone "$tz"
fact localtime "$(readlink /etc/localtime 2>/dev/null)"
fact clock "$(date "+%z %s" 2>/dev/null)"
for c in /usr/sbin/crond /usr/sbin/cron; do
  [ -x "$c" ] && fact "daemon_${c##*/}" "$c"
done
dir user /var/spool/cron
dir user /var/spool/cron/crontabs
dir user /var/spool/cron/tabs
one system /etc/crontab
dir cron.d /etc/cron.d
printf "END 1\n"; seg "0"
)SH";

} // namespace

std::string_view collector_script() {
  return script;
}

std::string collector_command(bool use_sudo, const CollectorLimits& limits) {
  return fmt::format("exec {}sh -c '{}' digger-collect {} {}", use_sudo ? "sudo -n " : "", script,
                     limits.total_bytes, limits.per_file_bytes);
}

} // namespace digger::collect
