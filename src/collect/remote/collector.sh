# The collector (docs/collector.md): one fixed, read-only POSIX sh script, the same for every
# host, run as `sh -c '<preamble><this file>' digger-collect TOTAL PERFILE SMALL [MODE MARKER
# INSPECT MAX BLOBS]` (src/collect/script.cpp). The preamble assigns the path lists it reads
# (user_dirs, crond_dir, runparts_dirs, unit_dirs, at_dirs, ...) from collect::collector_paths(): our own
# constants only. It travels inside '...': no single quote anywhere but in comments, which the
# build drops (cmake/embed_script.cmake). Framing, read discipline and cost: script.cpp.
LC_ALL=C; export LC_ALL
PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH
total=${1:-16777216}; perfile=${2:-4194304}; small=${3:-65536}; left=$total
await=$5; insp=$6; imax=$7; iblob=$8; lcur=$9
dmax=10000; hmax=100000; lmax=16777216; tmax=15
nl="
"
exec 3>&1
seg() { printf "%s\n%s\n" "${#1}" "$1"; }
fact() { printf "FACT 2\n"; seg "$1"; seg "$2"; }
note() { printf "%s 3\n" "$1"; seg "$2"; seg "$3"; seg "$4"; }
fast=; mode=$4; dd=; late=; to="?"; en=0; cdir=; cover=; pq=; pc=0; pk=; svq=; sn=0
clock() { up=; read -r up rest < /proc/uptime; up=${up%.*}; } 2>/dev/null
clock; t0=$up
spent() {
  [ -z "$late" ] && [ -n "$t0" ] && clock && [ -n "$up" ] && [ $((up - t0)) -ge $tmax ] && late=1
  [ -n "$late" ]
}
slurp() {
  c=; l=
  [ -f "$1" ] && [ ! -L "$1" ] || return 1
  while IFS= read -r l; do
    c="$c$l$nl"
    [ ${#c} -gt "$2" ] && return 1
  done 2>/dev/null < "$1"
  c="$c$l"
  [ ${#c} -eq "$2" ]
}
tmo() { [ "$to" != "?" ] || { to=; timeout 9 true 2>/dev/null && to="timeout 9"; }; }
headpad() {
  tt=; [ -n "$3" ] || { tmo; tt=$to; }
  { $tt head -c "$2" -- "$1" 2>/dev/null; cat /dev/zero 2>/dev/null; } | head -c "$2"; }
nolinks() { [ ! -L "$1" ] && [ ! -L "${1%/*}" ] && [ ! -L "${1%/*/*}" ] && [ ! -L "${1%/*/*/*}" ]; }
same() { [ -z "$di" ] || [ "$(stat -c "%d:%i:%F" -- "$1" 2>/dev/null)" = "$di:regular file" ]; }
body() {
  ok=1
  if [ "$2" -le 0 ]; then
    :
  elif [ "$2" -le 1536 ] && [ "$2" = "$3" ] && [ -n "$4" ] && slurp "$1" "$2"; then
    printf "%s" "$c"
  elif [ ! -f "$1" ] || [ -L "$1" ] || { [ -z "$4" ] && ! nolinks "${1%/*}"; }; then
    ok=; head -c "$2" /dev/zero
  elif [ -n "$fast" ] && [ "$dd" != no ]; then
    r=$(dd if="$1" bs="$2" count=1 iflag=nofollow,nonblock,fullblock conv=sync status=noxfer 2>&1 >&3)
    case $r in
      *"1+0 records out") dd=ok ;;
      *) if [ -z "$dd" ] && ! dd if=/dev/null of=/dev/null bs=1 count=0 iflag=nofollow,nonblock,fullblock status=noxfer 2>/dev/null
         then dd=no; headpad "$1" "$2" "$4"; [ -n "$4" ] || same "$1" || ok=
         else dd=ok; ok=; head -c "$2" /dev/zero; fi ;;
    esac
  else
    headpad "$1" "$2" "$4"; [ -n "$4" ] || same "$1" || ok=
  fi
  printf "\n"
}
pkadd() { pq="$pq$1$nl"; pc=$((pc + 1)); [ $pc -lt 256 ] || { pk="$pk$pq"; pq=; pc=0; }; }
filerec() {
  n=$6
  [ "$n" -gt "$8" ] && n=$8
  [ "$n" -gt "$left" ] && n=$left
  if [ "$n" -gt 0 ] && spent; then
    note UNREADABLE "$1" "$2" "not read: the collector spent its $tmax s for reading"; return
  fi
  left=$((left - n))
  printf "FILE 8\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n" ${#1} "$1" \
    ${#2} "$2" ${#3} "$3" ${#4} "$4" ${#5} "$5" ${#6} "$6" ${#7} "$7" "$n"
  case $2 in "$homes_dir"/*|"$root_home"/*) t= ;; *) t=trusted ;; esac
  [ -z "$ut" ] || t=
  body "$2" "$n" "$6" "$t"
  if [ -z "$ok" ]; then
    note UNREADABLE "$1" "$2" "not read: changed after the listing (not a regular file, a link, or gone)"
    return
  fi
  case $1/$2 in user/*|at/*|*"$nl"*|*"$homes_dir"/*|*"$root_home"/*) ;; *) pkadd "$2" ;; esac
}
link() {
  tg=$3
  [ -n "$tg" ] || tg=$(readlink -- "$2" 2>/dev/null)
  note LINK "$1" "$2" "$tg"
}
entry() {
  case $3 in
    f) if [ -r "$2" ]; then filerec "$1" "$2" "$4" "$5" "$6" "$7" "$8" "$9"
       else note UNREADABLE "$1" "$2" "permission denied"; fi ;;
    l) link "$1" "$2" ;;
    d) ;;
    *) printf "SPECIAL 2\n"; seg "$1"; seg "$2" ;;
  esac
}
count() {
  if [ "$1" != "$cdir" ]; then capnote; cdir=$1; ck=$2; dn=0; fi
  dn=$((dn + 1)); en=$((en + 1))
  if [ $dn -gt $dmax ]; then cover="not all read: over $dmax entries in the directory"
  elif [ $en -gt $hmax ]; then cover="not all read: over $hmax entries on the host"
  elif [ -n "$late" ] || { [ $((en % 256)) = 0 ] && spent; }; then
    cover="not all read: the collector spent its $tmax s"
  else return 0; fi
  return 1
}
capnote() {
  if [ -n "$cover" ]; then note UNREADABLE "$ck" "$cdir" "$cover"; cover=; fi
}
inlist() { case " $2 " in *" $1 "*) return 0 ;; esac; return 1; }
kind() {
  wk=$wk0; wc=$wc0
  [ "$wk" = auto ] || return 0
  if [ "$1" = /etc ]; then
    case /etc/$2 in "$system_crontab") wk=system ;; "$anacrontab") wk=anacrontab ;; *) return 1 ;; esac
  elif [ "$1" = "$crond_dir" ]; then wk=cron.d
  elif inlist "$1" "$runparts_dirs"; then wk=run-parts; wc=$small
  # at jobs (atd's spool): its .SEQ counter and lock files are not jobs.
  elif inlist "$1" "$at_dirs"; then case $2 in .*) return 1 ;; esac; wk="at"
  elif inlist "$1" "$user_dirs"; then wk=user
  else wk=unit; wc=$small; fi
}
svcadd() {
  [ "$wk0" = auto ] && [ "$wk" = unit ] || return 0
  case $b in *"$nl"*) return ;; esac
  svq="$svq$h/${b%.timer}.service$nl"; sn=$((sn + 1))
  [ $sn -lt 256 ] || svcflush
}
svcflush() {
  [ -n "$svq" ] || return 0
  # shellcheck disable=SC2086 # split on newlines, set -f
  { IFS=$nl; set -f; set -- $svq; set +f; IFS=$oifs; }
  svq=; sn=0; sw=$wk0; sc=$wc0
  so=$(find "$@" -maxdepth 0 \( -type l ! -lname "*$nl*" -printf "$lfmt" -o -printf "$fmt" \) 2>/dev/null)
  walk unit "$small" "$so"
  so=; wk0=$sw; wc0=$sc
}
wants() {
  wn=$((wn + 1)); [ "$wn" -gt 512 ] && return
  printf "WANTS 2\n"; seg "$h/$a/$b"; seg "$1"
}
rec() {
  a=${1%%/*}; x=${1#*/}; b=${x%%/*}; h=${x#*/}; h=${h%/.}
  # shellcheck disable=SC2086 # a: the listing's type letter, split on purpose
  { set -f; set -- $a; }
  if [ "$6" = 0 ]; then p=$h; else p=$h/$b; fi
  if ! kind "$h" "$b" || { [ "$wk0" = auto ] && ! count "$h" "$wk"; }; then
    [ "$1" = L ] && st=x; return
  fi
  if [ "$1" = L ]; then st=L; return; fi
  di=$7:$8
  entry "$wk" "$p" "$1" "$3" "$9" "$2" "$4" "${5%.*}" "$wc"
  svcadd
}
fmt="%y %m %U %s %T@ %d %D %i %u/%f/%H\n"
lfmt="L %m %U %s %T@ %d %D %i %u/%f/%H\n%l\n"
walk() {
  wk0=$1; wc0=$2; acc=; st=
  IFS=$nl; set -f
  for ln in $3; do
    IFS=$oifs
    case $st in
      "") ;;
      w) wants "$ln"; st=; continue ;;
      L) link "$wk" "$p" "$ln"; st=; svcadd; continue ;;
      *) st=; continue ;;
    esac
    acc=${acc:+$acc$nl}$ln
    case $acc in
      [zce]/*|[wW]/*/*/*) ;;
      [wW]/*) continue ;;
      */*/*) ;;
      *) continue ;;
    esac
    r=$acc; acc=
    case $r in
      z/*) lt=${r#z/} ;;
      c/*) clk=${r#c/} ;;
      [wW]/*) x=${r#?/}; a=${x%%/*}; x=${x#*/}; b=${x%%/*}; h=${x#*/}; h=${h%/.}
              case $r in w/*) st=w ;; *) wants "" ;; esac ;;
      e/*) h=${r#e/}; h=${h%/.}
           kind "$h" "" && count "$h" "$wk" &&
             note UNREADABLE "$wk" "$h" "not read: an entry whose name holds an empty line" ;;
      *) rec "$r" ;;
    esac
  done
  IFS=$oifs; set +f
  [ "$wk0" = auto ] && capnote
}
slow() {
  if [ -L "$2" ]; then link "$1" "$2"; return; fi
  [ -e "$2" ] || return
  if [ ! -f "$2" ]; then
    [ -d "$2" ] || { printf "SPECIAL 2\n"; seg "$1"; seg "$2"; }
    return
  fi
  if [ ! -r "$2" ]; then note UNREADABLE "$1" "$2" "permission denied"; return; fi
  if spent; then note UNREADABLE "$1" "$2" "not read: the collector spent its $tmax s for reading"; return; fi
  m=$(stat -c "%u %a %s %Y %U %d %i" -- "$2" 2>/dev/null)
  [ -n "$m" ] || m="-1 0 $(wc -c < "$2" 2>/dev/null || echo 0) 0 ?"
  # shellcheck disable=SC2086 # m: stat's fields, split on purpose
  { set -f; set -- "$1" "$2" "$3" $m; set +f; }
  di=; [ -n "$9" ] && di=$9:${10}
  filerec "$1" "$2" "$4" "$8" "$5" "$6" "$7" "$3"
}
okdir() { [ -d "$1" ] && [ ! -L "$1" ] && [ -r "$1" ] && [ -x "$1" ]; }
opendir() {
  [ -d "$2" ] || return 1
  if [ -L "$2" ]; then link "$1" "$2"; return 1; fi
  if [ ! -r "$2" ] || [ ! -x "$2" ]; then
    note UNREADABLE "$1" "$2" "permission denied"; return 1
  fi
}
dir() {
  opendir "$1" "$2" || return
  for f in "$2"/* "$2"/.[!.]* "$2"/..?*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    [ -d "$f" ] && [ ! -L "$f" ] && continue
    case $1/${f##*/} in at/.*) continue ;; esac
    count "$2" "$1" || continue
    slow "$1" "$f" "$3"
  done
  capnote
}
units() {
  for f in "$1"/*.timer; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    count "$1" unit || continue
    slow unit "$f" "$small"
    s=${f%.timer}.service
    { [ -e "$s" ] || [ -L "$s" ]; } && slow unit "$s" "$small"
  done
  capnote
}
pwants() {
  [ -d "$1" ] || return
  for w in "$1"/*.wants/*.timer; do
    [ -L "$w" ] || continue
    wn=$((wn + 1)); [ "$wn" -gt 512 ] && return
    printf "WANTS 2\n"; seg "$w"; seg "$(readlink -- "$w" 2>/dev/null)"
  done
}
listing() {
  set -- /etc/. /proc/self/.
  set -f
  for d in $user_dirs $crond_dir $runparts_dirs $at_dirs; do
    okdir "$d" && set -- "$@" "$d/."
  done
  IFS=$nl
  for d in $od; do set -- "$@" "$d/."; done
  IFS=$oifs
  vp=
  for d in $vendor_unit_dirs; do vp="$vp -o -path $d/./*"; done
  # shellcheck disable=SC2086 # $vp: -o -path PATTERN words from our own constants, set -f
  out=$(find "$@" -maxdepth 2 \
    \( -name . \( -path /etc/. -printf "$fmt" -o -path /proc/self/. -printf "c/%Tz %Ts\n" -prune -o -true \) \) -o \
    \( -path "*$nl$nl*" \( -path "/etc/./*" -o -path "*/systemd/*" ! -name "*.timer" -o -printf "e/%H\n" \) -prune \) -o \
    \( -path "*/systemd/*" \( \
      \( -path "*/./*.wants/*" \( -name "*.timer" -type l \
        \( ! -lname "*$nl*" -printf "w/%P/%H\n%l\n" -o -printf "W/%P/%H\n" \) -o -true \) \) -o \
      \( -name "*.timer" \( -type l ! -lname "*$nl*" -printf "$lfmt" -o -printf "$fmt" \) -prune \) -o \
      \( -type d \( ! -name "*.wants" $vp \) -prune \) \
      -o -true \) \) -o \
    \( \( \( -path /etc/./localtime -type l ! -lname "*$nl*" -printf "z/%l\n" \) -o \
      \( \( ! -path "/etc/./*" -o -name "${system_crontab#/etc/}" -o -name "${anacrontab#/etc/}" \) \
        \( -type l ! -lname "*$nl*" -printf "$lfmt" -o -printf "$fmt" \) \) -o -true \) -prune \) 2>/dev/null | head -c $lmax)
  set +f
  cut=
  if [ ${#out} -ge $((lmax - 1)) ]; then cut=1; out=${out%"$nl"*}; fi
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
merged=
# shellcheck disable=SC3013 # -ef: dash, bash, ksh and BusyBox sh all have it
[ /lib/systemd/system -ef /usr/lib/systemd/system ] && merged=1
nolinkto() {
  [ ! -L "$1" ] || return 1
  x=$1; r=$2
  while :; do
    case $r in */*) x=$x/${r%%/*}; r=${r#*/}; [ ! -L "$x" ] || return 1 ;; *) return 0 ;; esac
  done
}
ud=; us=
for d in $unit_dirs; do
  # shellcheck disable=SC3013 # -ef: dash, bash, ksh and BusyBox sh all have it
  for e in $us; do [ "$d" -ef "$e" ] && continue 2; done
  us="$us $d"; ud="$ud$d$nl"
done
hn=0
for h in "$root_home" "$homes_dir"/*; do
  hn=$((hn + 1)); [ "$hn" -gt 1000 ] && break
  [ -d "$h/$user_unit_dir" ] || continue
  nolinkto "$h" "$user_unit_dir" || continue
  case $h in *"$nl"*) continue ;; esac
  ud="$ud$h/$user_unit_dir$nl"
done
oifs=$IFS
od=
# shellcheck disable=SC2086 # split on newlines, set -f
{ IFS=$nl; set -f; set -- $ud; set +f; IFS=$oifs; }
for d do opendir unit "$d" && od="$od$d$nl"; done
lt=; clk=; wn=0
if [ "$mode" != portable ]; then
  listing
  [ -n "$out" ] && fast=1
fi
if [ -n "$fast" ]; then
  for d in $user_dirs; do opendir user "$d"; done
  opendir cron.d "$crond_dir"
  for d in $runparts_dirs; do opendir run-parts "$d"; done
  for d in $at_dirs; do opendir at "$d"; done
  walk auto "$perfile" "$out"
  out=
  [ -z "$cut" ] || note UNREADABLE "$ck" "$cdir" "not all read: the listing stopped at $lmax bytes"
fi
if [ -n "$lt" ]; then fact localtime "$lt"
elif [ -L /etc/localtime ]; then fact localtime "$(readlink /etc/localtime 2>/dev/null)"; fi
case $clk in
  [+-][0-9][0-9][0-9][0-9]" "[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*) ;;
  *) clk=$(date "+%z %s" 2>/dev/null) ;;
esac
fact clock "$clk"
if [ -n "$fast" ]; then fact collector fast; else fact collector portable; fi
for c in $daemons; do
  [ -x "$c" ] && fact "daemon_${c##*/}" "$c"
done
if [ -n "$fast" ]; then
  svcflush
else
  for d in $user_dirs; do dir user "$d" "$perfile"; done
  slow system "$system_crontab" "$perfile"
  slow anacrontab "$anacrontab" "$perfile"
  dir cron.d "$crond_dir" "$perfile"
  for d in $runparts_dirs; do dir run-parts "$d" "$small"; done
  for d in $at_dirs; do dir at "$d" "$perfile"; done
  # shellcheck disable=SC2086 # split on newlines, set -f
  { IFS=$nl; set -f; set -- $od; set +f; IFS=$oifs; }
  for d do units "$d"; done
  for d do
    inlist "$d" "$vendor_unit_dirs" || pwants "$d"
  done
fi
# Supervisor (issue 18, workers): its main files, and every file of its include directories.
for p in $supervisor_paths; do
  if [ -d "$p" ] && [ ! -L "$p" ]; then dir supervisor "$p" "$small"
  else slow supervisor "$p" "$small"; fi
done
# supervisord at run time (supervisor_runtime.sh): -c configurations and its own log.
svprocs
svlog
# Worker units (issue 18): services no timer beside them starts (the timer row reads those).
for d in $worker_unit_dirs; do
  okdir "$d" || continue
  for f in "$d"/*.service; do
    { [ -e "$f" ] || [ -L "$f" ]; } || continue
    { [ -e "${f%.service}.timer" ] || [ -L "${f%.service}.timer" ]; } && continue
    count "$d" worker-unit || continue
    slow worker-unit "$f" "$small"
  done
  capnote
done
pk="$pk$pq"
if [ -n "$pk" ] && [ -d "$dpkg_info" ]; then
  pd=$pk
  if [ -n "$merged" ]; then
    IFS=$nl; set -f
    for p in $pk; do
      case $p in /usr/lib/*) pd="$pd${p#/usr}$nl" ;; esac
    done
    set +f; IFS=$oifs
  fi
  # shellcheck disable=SC2062 # the patterns come from stdin (-f -); the glob names files
  o=$(grep -H -F -x -f - -- "$dpkg_info"/*.list 2>/dev/null <<EOF | head -c 1048576
${pd%"$nl"}
EOF
)
  printf "PKGS 2\n"; seg dpkg; seg "$o"
elif [ -n "$pk" ] && command -v rpm >/dev/null 2>&1; then
  # shellcheck disable=SC2086 # split on newlines, set -f
  { IFS=$nl; set -f; set -- $pk; set +f; IFS=$oifs; }
  tmo; o=$($to rpm -qf --qf "%{NAME}\n" -- "$@" 2>/dev/null | head -c 1048576)
  printf "PKGS 2\n"; seg rpm; seg "$o"
fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 &&
  command -v timeout >/dev/null 2>&1; then
  o=$(SYSTEMD_PAGER="" SYSTEMD_COLORS=0 timeout 5 systemctl list-timers --all --no-legend --no-pager 2>/dev/null | head -c 65536)
  [ -n "$o" ] && fact systemctl_timers "$o"
fi
# Run evidence (docs/evidence.md): the cron daemon's log files, at most $lgmax bytes per host.
# $9: one cursor per path of $cron_logs, "DEV:INODE:OFFSET" (digits only, from the catalog) or
# "-". Same file (device and inode) not shorter than the offset: read from the offset;
# otherwise (first scan, rotated, truncated) read the last bytes. After a rotation the old
# file, now "PATH.1", is read on from the old offset first. Opened once, by tail, only when
# still a regular file and not a link, bounded by head -c and timeout; device and inode are
# checked again after the read.
lgmax=4194304; lread=
logrec() {
  [ "$lgmax" -gt 0 ] || { printf "CLOGNOTE 2\n"; seg "$1"; seg "not read: the 4 MiB log budget is spent"; return; }
  m=$(stat -c "%d %i %s %Y" -- "$1" 2>/dev/null)
  # shellcheck disable=SC2086 # m: stat fields, split on purpose
  { set -f; set -- "$1" "$2" "$3" $m; set +f; }
  [ -n "$7" ] || { printf "CLOGNOTE 2\n"; seg "$1"; seg "not read: stat failed"; return; }
  fr=$((${6} - lgmax)); [ $fr -ge 0 ] || fr=0
  case $2 in
    "$4:$5:"*) o=${2##*:}; [ "$o" -le "$6" ] && fr=$o ;;
  esac
  n=$(($6 - fr)); [ $n -gt "$lgmax" ] && { fr=$(($6 - lgmax)); n=$lgmax; }
  lgmax=$((lgmax - n)); lread=1; tmo
  printf "CLOG 8\n"; seg "$1"; seg "$3"; seg "$4"; seg "$5"; seg "$6"; seg "$7"; seg "$fr"
  printf "%s\n" "$n"
  { [ $n -gt 0 ] && $to tail -c +$((fr + 1)) -- "$1" 2>/dev/null | head -c $n; cat /dev/zero 2>/dev/null; } | head -c $n
  printf "\n"
  di=$4:$5; same "$1" || { printf "CLOGNOTE 2\n"; seg "$1"; seg "changed while read (rotated or replaced): read again next scan"; }
}
logfile() {
  if [ -L "$1" ] || { [ -e "$1" ] && [ ! -f "$1" ]; }; then
    printf "CLOGNOTE 2\n"; seg "$1"; seg "not read: not a regular file (a link or a special file)"
  elif [ -f "$1" ] && [ ! -r "$1" ]; then
    printf "CLOGNOTE 2\n"; seg "$1"; seg "permission denied"
  elif [ -f "$1" ]; then
    logrec "$1" "$2" "$3"
  fi
}
case $lcur in *[!0-9:\ -]*) lcur= ;; esac
for lf in $cron_logs; do
  lc=${lcur%% *}; lcur=${lcur#"$lc"}; lcur=${lcur# }
  [ -n "$lc" ] || lc=-
  if [ "$lc" != - ] && [ -f "$lf.1" ] && [ ! -L "$lf.1" ] && [ -r "$lf.1" ] &&
    [ "$(stat -c "%d:%i" -- "$lf.1" 2>/dev/null)" = "${lc%:*}" ] &&
    [ "$(stat -c "%d:%i" -- "$lf" 2>/dev/null)" != "${lc%:*}" ]; then
    logrec "$lf.1" "$lc" rotated
  fi
  logfile "$lf" "$lc" current
done
# No cron log file (Debian 12 without rsyslog): the journal of the cron units, fixed flags and
# a fixed window, bounded like a file; never after a file was read (the same lines twice).
if command -v journalctl >/dev/null 2>&1 && [ -d /run/systemd/journal ]; then
  fact journal present
  if [ -z "$lread" ]; then
    tmo
    jr=$($to journalctl -u cron -u crond -o json --since=-7d --no-pager -q 2>/dev/null | head -c "$lgmax")
    printf "CJOURNAL 1\n"; seg "$jr"; jr=
  fi
else fact journal absent; fi
# Mail spool (docs/evidence.md, "Mail spool"): the headers of cron mails, at most $mbmax bytes
# of mbox per host, the newest bytes of each file. A fixed awk program keeps, of each header
# block, the "From " separator and the Subject (with its folds) and Date lines: bodies and
# X-Cron-Env lines never leave the host. A file is opened once, only when it is a regular file
# and not a link: by GNU dd (nofollow, nonblock: a link swapped in fails the open, a FIFO is
# never waited on), else by tail under timeout after the type check; device and inode are
# checked again after the read. $mail_dirs: /var/mail is often a link to /var/spool/mail.
mbmax=4194304; md0=; mdd=
mbawk="NR <= t { p = 1; next }
/^From / && !p { h = 1; c = 0; print; p = 1; next }
{ e = length(\$0) == 0 || \$0 == \"\\r\" }
h && e { h = 0 }
h && c && /^[ \\t]/ { print; p = !e; next }
{ c = 0 }
h && /^[Ss][Uu][Bb][Jj][Ee][Cc][Tt]:/ { print; c = 1 }
h && /^[Dd][Aa][Tt][Ee]:/ { print }
{ p = !e }"
mailnote() { printf "CMAILNOTE 2\n"; seg "$1"; seg "$2"; }
mbread() {
  if [ -z "$mdd" ]; then
    mdd=no
    dd if=/dev/null of=/dev/null bs=1 count=0 iflag=nofollow,nonblock,skip_bytes,count_bytes 2>/dev/null && mdd=ok
  fi
  if [ "$mdd" = ok ]; then
    $to dd if="$1" bs=65536 skip="$2" count="$3" iflag=nofollow,nonblock,skip_bytes,count_bytes 2>/dev/null
  elif [ -f "$1" ] && [ ! -L "$1" ]; then
    $to tail -c +$(($2 + 1)) -- "$1" 2>/dev/null | head -c "$3"
  fi
}
mailrec() {
  m=$(stat -c "%d %i %s %Y" -- "$1" 2>/dev/null)
  # shellcheck disable=SC2086 # m: stat fields, split on purpose
  { set -f; set -- "$1" $m; set +f; }
  [ -n "$5" ] || { mailnote "$1" "not read: stat failed"; return; }
  fr=$(($4 - mbmax)); [ $fr -ge 0 ] || fr=0
  n=$(($4 - fr)); mbmax=$((mbmax - n)); tmo
  o=; [ $n -gt 0 ] && o=$(mbread "$1" "$fr" "$n" | awk -v t=$((fr > 0)) "$mbawk" 2>/dev/null | head -c "$n")
  printf "CMAIL 5\n"; seg "$1"; seg "$4"; seg "$5"; seg "$fr"; seg "$o"; o=
  di=$2:$3; same "$1" || mailnote "$1" "changed while read (replaced): read again next scan"
}
mailfile() {
  if [ -L "$1" ] || { [ -e "$1" ] && [ ! -f "$1" ]; }; then
    mailnote "$1" "not read: not a regular file (a link or a special file)"
  elif [ ! -f "$1" ]; then
    :
  elif [ ! -r "$1" ]; then
    mailnote "$1" "permission denied"
  elif [ "$mbmax" -le 0 ]; then
    mailnote "$1" "not read: the 4 MiB mail budget is spent"
  elif spent; then
    mailnote "$1" "not read: the collector spent its $tmax s"
  else
    mailrec "$1"
  fi
}
for mdir in $mail_dirs; do
  [ -d "$mdir" ] || continue
  # shellcheck disable=SC3013 # -ef: dash, bash, ksh and BusyBox sh all have it
  [ -n "$md0" ] && [ "$mdir" -ef "$md0" ] && continue
  md0=$mdir; mn=0
  for mf in "$mdir"/*; do
    mn=$((mn + 1)); [ $mn -le 1000 ] || { mailnote "$mdir" "not all read: over 1000 mailboxes"; break; }
    mailfile "$mf"
  done
done
printf "END 1\n"; seg "0"
if [ -n "$await" ] && [ -n "$insp" ]; then
  printf "%s\n" "$await"
  exec xargs -0 -r sh -c "$insp" digger-inspect "$imax" "$iblob"
fi
