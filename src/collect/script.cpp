#include "digger/collect/script.hpp"

#include <fmt/format.h>

namespace digger::collect {
namespace {

// Record framing (decoded by decode.cpp): a header line "TYPE COUNT\n" followed by COUNT
// segments, each "LENGTH\nBYTES\n". Lengths are bytes (LC_ALL=C), so any byte in a name or
// file survives. File contents are padded with NUL if the file shrank or vanished while being
// read, so a segment always has exactly the announced length and the framing cannot drift.
//
// The script never follows symlinks, reads only regular files, and never executes anything
// it found. It must not contain a single quote: it travels inside '...'.
//
// Cost on the host (docs/performance.md, "Collector cost"): with GNU find and dd (detected
// once) a directory is listed by one `find -printf` whose records end each name with '/',
// which no file name can contain, and a file is read by one `dd` (nofollow, padded by
// conv=sync; the last line of its report says whether the block was written). Elsewhere
// (BusyBox) the portable path stats and reads each file with a few small processes.
//
// Sources: the spool, /etc/crontab, /etc/anacrontab, /etc/cron.d, the run-parts directories
// (files capped at the small bound), systemd *.timer units and the *.service of the same stem
// in the same directory (system, /etc/systemd/user and per-user ~/.config/systemd/user), the
// *.wants links that enable timers, and package ownership of every non-spool file read (dpkg
// file lists through one grep whose patterns arrive on stdin, or one rpm -qf with the paths as
// arguments). systemctl list-timers is a bonus when systemd runs.
constexpr std::string_view script = R"SH(LC_ALL=C; export LC_ALL
PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH
total=${1:-16777216}; perfile=${2:-4194304}; small=${3:-65536}; left=$total
nl="
"
exec 3>&1
seg() { printf "%s\n%s\n" "${#1}" "$1"; }
fact() { printf "FACT 2\n"; seg "$1"; seg "$2"; }
note() { printf "%s 3\n" "$1"; seg "$2"; seg "$3"; seg "$4"; }
fast=
if [ "$4" != portable ] && [ -n "$(find / -maxdepth 0 -printf y 2>/dev/null)" ] &&
  dd if=/dev/null of=/dev/null bs=1 count=0 iflag=nofollow,fullblock status=noxfer 2>/dev/null
then fast=1; fi
body() {
  if [ "$2" -gt 0 ]; then
    if [ -n "$fast" ]; then
      r=$(dd if="$1" bs="$2" count=1 iflag=nofollow,fullblock conv=sync status=noxfer 2>&1 >&3)
      case $r in *"1+0 records out") ;; *) head -c "$2" /dev/zero ;; esac
    else
      { head -c "$2" -- "$1" 2>/dev/null; cat /dev/zero 2>/dev/null; } | head -c "$2"
    fi
  fi
  printf "\n"
}
pk=
owned() {
  case $1 in user) return ;; esac
  case $2 in *"$nl"*) ;; *) pk="$pk$2$nl" ;; esac
}
filerec() {
  n=$6
  [ "$n" -gt "$8" ] && n=$8
  [ "$n" -gt "$left" ] && n=$left
  left=$((left - n))
  printf "FILE 8\n"; seg "$1"; seg "$2"; seg "$3"; seg "$4"; seg "$5"; seg "$6"; seg "$7"
  printf "%s\n" "$n"; body "$2" "$n"
  owned "$1" "$2"
}
link() { note LINK "$1" "$2" "$(readlink -- "$2" 2>/dev/null)"; }
entry() {
  case $3 in
    f) if [ -r "$2" ]; then filerec "$1" "$2" "$4" "$5" "$6" "$7" "$8" "$9"
       else note UNREADABLE "$1" "$2" "permission denied"; fi ;;
    l) link "$1" "$2" ;;
    d) ;;
    *) printf "SPECIAL 2\n"; seg "$1"; seg "$2" ;;
  esac
}
walk() {
  while [ -n "$out" ]; do
    a=${out%%/*}; out=${out#*/}
    b=${out%%/*}; out=${out#*/}
    u=${out%%"$nl"*}
    case $out in *"$nl"*) out=${out#*"$nl"} ;; *) out= ;; esac
    wk=$1
    case $1:$b in etc:crontab) wk=system ;; etc:anacrontab) wk=anacrontab ;; esac
    set -f; set -- "$1" "$2" "$3" $a; set +f
    entry "$wk" "$2/$b" "$4" "$6" "$u" "$5" "$7" "${8%.*}" "$3"
  done
}
fmt="%y %m %U %s %T@/%f/%u\n"
slow() {
  if [ -L "$2" ]; then link "$1" "$2"; return; fi
  [ -e "$2" ] || return
  if [ ! -f "$2" ]; then
    [ -d "$2" ] || { printf "SPECIAL 2\n"; seg "$1"; seg "$2"; }
    return
  fi
  if [ ! -r "$2" ]; then note UNREADABLE "$1" "$2" "permission denied"; return; fi
  m=$(stat -c "%u %a %s %Y %U" -- "$2" 2>/dev/null)
  [ -n "$m" ] || m="-1 0 $(wc -c < "$2" 2>/dev/null || echo 0) 0 ?"
  set -f; set -- "$1" "$2" "$3" $m; set +f
  filerec "$1" "$2" "$4" "$8" "$5" "$6" "$7" "$3"
}
opendir() {
  [ -d "$2" ] || return 1
  if [ -L "$2" ]; then link "$1" "$2"; return 1; fi
  if [ ! -r "$2" ] || [ ! -x "$2" ]; then
    note UNREADABLE "$1" "$2" "permission denied"; return 1
  fi
}
dir() {
  opendir "$1" "$2" || return
  if [ -n "$fast" ]; then
    out=$(find "$2" -mindepth 1 -maxdepth 1 -printf "$fmt" 2>/dev/null)
    walk "$1" "$2" "$3"
    return
  fi
  for f in "$2"/* "$2"/.[!.]* "$2"/..?*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    [ -d "$f" ] && [ ! -L "$f" ] && continue
    slow "$1" "$f" "$3"
  done
}
units() {
  opendir unit "$1" || return
  svc=
  if [ -n "$fast" ]; then
    out=$(find "$1" -mindepth 1 -maxdepth 1 -name "*.timer" -printf "$fmt" 2>/dev/null)
    t=$out
    walk unit "$1" "$small"
    while [ -n "$t" ]; do
      b=${t#*/}; b=${b%%/*}; t=${t#*/*/}
      case $t in *"$nl"*) t=${t#*"$nl"} ;; *) t= ;; esac
      svc="$svc$1/${b%.timer}.service$nl"
    done
    [ -n "$svc" ] || return
    oifs=$IFS; IFS=$nl; set -f; set -- $svc; set +f; IFS=$oifs
    out=$(find "$@" -maxdepth 0 -printf "$fmt" 2>/dev/null)
    walk unit "${1%/*}" "$small"
    return
  fi
  for f in "$1"/*.timer; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    slow unit "$f" "$small"
    s=${f%.timer}.service
    { [ -e "$s" ] || [ -L "$s" ]; } && slow unit "$s" "$small"
  done
}
wants() {
  for w in "$1"/*.wants/*.timer; do
    [ -L "$w" ] || continue
    wn=$((wn + 1)); [ "$wn" -gt 512 ] && return
    printf "WANTS 2\n"; seg "$w"; seg "$(readlink -- "$w" 2>/dev/null)"
  done
}
printf "@@digger-collect@@ 1\n"
uid=
while read -r k v rest; do
  case $k in Uid:) uid=$v; break ;; esac
done < /proc/self/status 2>/dev/null
[ -n "$uid" ] || uid=$(id -u 2>/dev/null)
fact uid "$uid"
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
[ -L /etc/localtime ] && fact localtime "$(readlink /etc/localtime 2>/dev/null)"
fact clock "$(date "+%z %s" 2>/dev/null)"
if [ -n "$fast" ]; then fact collector fast; else fact collector portable; fi
for c in /usr/sbin/crond /usr/sbin/cron /usr/sbin/anacron; do
  [ -x "$c" ] && fact "daemon_${c##*/}" "$c"
done
dir user /var/spool/cron "$perfile"
dir user /var/spool/cron/crontabs "$perfile"
dir user /var/spool/cron/tabs "$perfile"
if [ -n "$fast" ]; then
  out=$(find /etc/crontab /etc/anacrontab -maxdepth 0 -printf "$fmt" 2>/dev/null)
  walk etc /etc "$perfile"
else
  slow system /etc/crontab "$perfile"
  slow anacrontab /etc/anacrontab "$perfile"
fi
dir cron.d /etc/cron.d "$perfile"
for p in hourly daily weekly monthly; do
  dir run-parts "/etc/cron.$p" "$small"
done
units /etc/systemd/system
units /usr/lib/systemd/system
[ /lib/systemd/system -ef /usr/lib/systemd/system ] || units /lib/systemd/system
units /etc/systemd/user
wn=0
wants /etc/systemd/system
wants /etc/systemd/user
hn=0
for h in /root /home/*; do
  hn=$((hn + 1)); [ "$hn" -gt 1000 ] && break
  [ -d "$h/.config/systemd/user" ] || continue
  [ -L "$h" ] || [ -L "$h/.config" ] || [ -L "$h/.config/systemd" ] && continue
  units "$h/.config/systemd/user"
  wants "$h/.config/systemd/user"
done
if [ -n "$pk" ] && [ -d /var/lib/dpkg/info ]; then
  pd=$pk
  if [ /lib/systemd/system -ef /usr/lib/systemd/system ]; then
    oifs=$IFS; IFS=$nl; set -f
    for p in $pk; do
      case $p in /usr/lib/*) pd="$pd${p#/usr}$nl" ;; esac
    done
    set +f; IFS=$oifs
  fi
  o=$(grep -F -x -f - -- /var/lib/dpkg/info/*.list 2>/dev/null <<EOF | head -c 1048576
${pd%"$nl"}
EOF
)
  printf "PKGS 2\n"; seg dpkg; seg "$o"
elif [ -n "$pk" ] && command -v rpm >/dev/null 2>&1; then
  oifs=$IFS; IFS=$nl; set -f; set -- $pk; set +f; IFS=$oifs
  o=$(rpm -qf --qf "%{NAME}\n" -- "$@" 2>/dev/null | head -c 1048576)
  printf "PKGS 2\n"; seg rpm; seg "$o"
fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  o=$(SYSTEMD_PAGER= SYSTEMD_COLORS=0 systemctl list-timers --all --no-legend --no-pager 2>/dev/null | head -c 65536)
  [ -n "$o" ] && fact systemctl_timers "$o"
fi
printf "END 1\n"; seg "0"
)SH";

} // namespace

std::string_view collector_script() {
  return script;
}

std::string collector_command(bool use_sudo, const CollectorLimits& limits, ScriptMode mode) {
  return fmt::format("exec {}sh -c '{}' digger-collect {} {} {}{}", use_sudo ? "sudo -n " : "",
                     script, limits.total_bytes, limits.per_file_bytes, limits.unit_file_bytes,
                     mode == ScriptMode::portable ? " portable" : "");
}

} // namespace digger::collect
