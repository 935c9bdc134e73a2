#include "digger/collect/inspect.hpp"

#include <fmt/format.h>

namespace digger::collect {
namespace {

// Reads its items from its arguments (xargs -0 turned stdin into them): first "+BUDGET", the
// bytes this host may read or hash in all (a later xargs run has none: budget 0, reads
// nothing), then one "USERS/PATH" per target, USERS the run-as accounts of its jobs
// ("root,alice", checked by plan_inspection). Per target, framed records:
//   MISSING path | PROG path resolved stat ("MODE UID GID SIZE MTIME DEV:INO OWNER" of the file,
//   then of its directory, following symlinks) | NOTE path text | DENIED path user (that
//   run-as user cannot read it) | READ path... text (one batch of reads) | BUDGET left | END n.
// One `stat` for every target, its directory and, for a run-as user other than root, every
// directory above (search permission). Contents are read only from regular files that are
// executable or world-readable AND that at least one run-as user could read itself: its uid
// and `id -G` groups against the file's mode bits and the search bit of every directory of
// the path (and of the symlink's own path). Root reads everything. ACLs are not evaluated
// (a user granted access by an ACL only is treated as denied: nothing is read).
// The reads never follow a name twice: a child shell (under `timeout`, so a FIFO swapped in
// between our stat and its open cannot hold the host) opens up to six files once each on fds
// 4..9, checks on each descriptor (`stat -L /dev/fd/N`) that it is a regular file with the
// device:inode checked above, else replaces it by /dev/null, and then reads only through
// /dev/fd/N (the same open file on Linux, whatever the name points to by then): `head -c 128
// -v | od` for the first bytes, `sha256sum`, `grep -F -abo -m 1` for the Go magic and `tail |
// head | od` for each Go build info blob. It prints text only ("F ok|bad ID MODE SIZE" per
// file, then H hex, S sums, B fd length hex per blob, "E blobs-left"); the parent frames it
// whole once the "E" line shows it finished, else notes why and reads nothing more. Bytes
// counted against the budget before any read: the head, plus the size of each file hashed (up
// to 64 MiB) and grepped (executables of 64 KiB to 256 MiB); when the budget is short a file
// loses its Go grep, then its hash, then its head, with a NOTE and a final BUDGET record.
// Targets and users live in numbered variables (p_1, u_1 ...); commands over many of them
// are built by `eval` from variable references only, never from their values. Nothing found
// is ever executed. It must not contain a single quote: it travels inside '...'.
constexpr std::string_view script = R"SH(LC_ALL=C; export LC_ALL
PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH
max=${1:-256}; blobs=${2:-4194304}; shift 2
bud=0
case $1 in +*) x=${1#+}; case $x in ""|*[!0-9]*) ;; *) bud=$x ;; esac; shift ;; esac
hb=128; nl="
"
seg() { printf "%s\n%s\n" "${#1}" "$1"; }
note() { printf "NOTE 2\n"; seg "$1"; seg "$2"; }
rd="exec 2>/dev/null
bl=\$1; hb=\$2; shift 2
nl=\"
\"
gm=\$(printf \"\\377 Go buildinf:\")
k=3; f=
while [ \$# -ge 3 ]; do
  k=\$((k + 1))
  eval \"command exec \$k<\\\"\\\$3\\\"\" || eval \"exec \$k</dev/null\"
  eval \"id_\$k=\\\$1; sp_\$k=\\\$2\"
  f=\"\$f /dev/fd/\$k\"
  shift 3
done
s=\$(stat -L -c \"%d:%i %f %s\" \$f)
set -f; IFS=\$nl; set -- \$s; IFS=\" \"; set +f
[ \$# -eq \$((k - 3)) ] || { printf \"E %s\\n\" \"\$bl\"; exit 0; }
j=3; h=; sl=; gl=
for l do
  j=\$((j + 1))
  eval \"x=\\\$id_\$j; st=\\\$sp_\$j\"
  set -f; set -- \$l; set +f
  case \$2 in ????) ;; *) set -- x ;; esac
  case \$3 in \"\"|*[!0-9]*) set -- x ;; esac
  if [ \"\$1\" = \"\$x\" ] && [ \$((0x\$2 & 61440)) -eq 32768 ]; then
    printf \"F ok %s\\n\" \"\$l\"; eval \"sz_\$j=\\\$3\"
    h=\"\$h /dev/fd/\$j\"
    case \$st in *s*) sl=\"\$sl /dev/fd/\$j\" ;; esac
    case \$st in *g*) gl=\"\$gl /dev/fd/\$j\" ;; esac
  else
    printf \"F bad %s\\n\" \"\$l\"; eval \"exec \$j</dev/null\"
  fi
done
printf \"H\\n\"; [ -n \"\$h\" ] && head -c \"\$hb\" -v -- \$h | od -An -v -tx1
printf \"S\\n\"; [ -n \"\$sl\" ] && sha256sum -- \$sl
g=; [ -n \"\$gl\" ] && g=\$(grep -F -abo -H -m 1 -e \"\$gm\" -- \$gl)
set -f; IFS=\$nl; set -- \$g; IFS=\" \"; set +f
for l do
  case \$l in /dev/fd/[4-9]:*) ;; *) continue ;; esac
  j=\${l#/dev/fd/}; o=\${j#?:}; j=\${j%%\"\$o\"}; j=\${j%:}; o=\${o%%:*}
  case \$o in \"\"|*[!0-9]*) continue ;; esac
  eval \"c=\\\$sz_\$j\"; c=\$((c - o))
  [ \"\$c\" -gt 65536 ] && c=65536; [ \"\$c\" -gt \"\$bl\" ] && c=\$bl
  [ \"\$c\" -gt 0 ] || continue
  bl=\$((bl - c))
  printf \"B %s %s\\n\" \"\$j\" \"\$c\"
  tail -c +\$((o + 1)) /dev/fd/\$j | head -c \"\$c\" | od -An -v -tx1
done
printf \"E %s\\n\" \"\$bl\""
tm=; command -v timeout >/dev/null 2>&1 && tm="timeout -k 2 10"
i=0; n=0; ls=; nu=0; hit=; stop=; q=0
printf "@@digger-inspect@@ 1\n"
for x do
  [ "$i" -ge "$max" ] && break
  i=$((i + 1))
  u=${x%%/*}; p=${x#"$u"}
  case $p in /*) ;; *) note "$x" "not an absolute path"; continue ;; esac
  if [ ! -e "$p" ]; then printf "MISSING 1\n"; seg "$p"; continue; fi
  n=$((n + 1)); eval "p_$n=\$p; u_$n=\$u; rp_$n="
  [ -L "$p" ] && ls="$ls $n"
done
args() {
  a=
  for x do a="$a \"\$p_$x\""; done
}
first() {
  l=${r%%"$nl"*}
  case $r in *"$nl"*) r=${r#*"$nl"} ;; *) r= ;; esac
}
links() {
  [ $# -gt 0 ] || return 0
  args "$@"
  r=$(eval "readlink -f -- $a" 2>/dev/null)
  for j do
    eval "p=\$p_$j"
    first
    if [ -z "$l" ] || [ ! "$l" -ef "$p" ]; then
      r=; l=$(readlink -f -- "$p" 2>/dev/null)
    fi
    eval "rp_$j=\$l"
  done
}
above() {
  d=$1
  while [ "$d" != / ] && [ -n "$d" ]; do
    d=${d%/*}; [ -n "$d" ] || d=/
    c=$((c + 1)); [ "$c" -le 64 ] || return 1
    nx=$((nx + 1)); eval "x_$nx=\$d"; a="$a \"\$x_$nx\""
  done
}
stats() {
  all=; j=0; nx=0; tot=0
  while [ "$j" -lt "$n" ]; do
    j=$((j + 1))
    eval "p=\$p_$j; t=\${rp_$j:-\$p}; us=\$u_$j"
    d=${t%/*}; [ -n "$d" ] || d=/
    eval "pd_$j=\$d"
    a="\"\$p_$j\" \"\$pd_$j\""; c=0; dp=
    case ,$us, in ,root,) ;; *)
      above "$d" || dp=1
      eval "rp=\$rp_$j"
      [ -n "$rp" ] && { above "$p" || dp=1; } ;;
    esac
    eval "a_$j=\$a; sc_$j=\$((c + 2)); deep_$j=\$dp"
    all="$all $a"; tot=$((tot + c + 2))
  done
  st=; [ "$n" -gt 0 ] && st=$(eval "stat -L -c \"%f %u %g %s %Y %d:%i %U\" -- $all" 2>/dev/null)
  r=$st; cnt=0
  while [ -n "$r" ]; do first; cnt=$((cnt + 1)); done
  r=$st; j=0
  while [ "$j" -lt "$n" ]; do
    j=$((j + 1))
    eval "c=\$sc_$j; a=\$a_$j"
    if [ "$cnt" -eq "$tot" ]; then
      s=; k=0
      while [ "$k" -lt "$c" ]; do k=$((k + 1)); first; s="$s$l$nl"; done
    else
      s=$(eval "stat -L -c \"%f %u %g %s %Y %d:%i %U\" -- $a" 2>/dev/null)
      e=$s; k=0; while [ -n "$e" ]; do k=$((k + 1)); case $e in *"$nl"*) e=${e#*"$nl"} ;; *) e= ;; esac; done
      [ "$k" -eq "$c" ] || eval "deep_$j=1"
    fi
    eval "st_$j=\$s"
  done
}
facts() {
  set -f; set -- $1; set +f
  case $1 in ""|*[!0-9a-f]*) return 1 ;; esac
  case $4 in ""|*[!0-9]*) return 1 ;; esac
  mo=$((0x$1)); sz=$4; id=$6
}
may() {
  [ "$1" = 0 ] && return 0
  set -f; set -- "$1" "$2" "$3" $4; set +f
  case $4 in ""|*[!0-9a-f]*) return 1 ;; esac
  case $5 in ""|*[!0-9]*) return 1 ;; esac
  mm=$((0x$4))
  if [ "$1" = "$5" ]; then [ $(((mm >> 6) & $3)) -ne 0 ]; return; fi
  for g in $2; do
    [ "$g" = "$6" ] && { [ $(((mm >> 3) & $3)) -ne 0 ]; return; }
  done
  [ $((mm & $3)) -ne 0 ]
}
resolve() {
  k=0
  while [ "$k" -lt "$nu" ]; do
    k=$((k + 1)); eval "x=\$un_$k"
    [ "$x" = "$1" ] && { eval "uid=\$uu_$k; gids=\$ug_$k"; return; }
  done
  if [ "$1" = root ]; then uid=0; gids=0; else
    uid=$(id -u "$1" 2>/dev/null); gids=$(id -G "$1" 2>/dev/null)
    case $uid in ""|*[!0-9]*) uid= ;; esac
    case $gids in *[!0-9\ ]*) gids= ;; esac
  fi
  nu=$((nu + 1)); eval "un_$nu=\$1; uu_$nu=\$uid; ug_$nu=\$gids"
}
readable() {
  resolve "$2"
  [ -n "$uid" ] || { note "$p" "run-as user $2 unknown on the host"; return 2; }
  [ "$uid" = 0 ] && return 0
  eval "dp=\$deep_$1"
  [ -z "$dp" ] || { note "$p" "directories above not checked for $2"; return 2; }
  r=$s; first; f=$l
  may "$uid" "$gids" 4 "$f" || return 1
  while [ -n "$r" ]; do first; may "$uid" "$gids" 1 "$l" || return 1; done
}
queue() {
  q=$((q + 1)); eval "q_$q=$j; qs_$q=\$1; qi_$q=\$id"
  [ "$q" -lt 6 ] || flush
}
flush() {
  [ "$q" -gt 0 ] || return 0
  a=; k=0
  while [ "$k" -lt "$q" ]; do
    k=$((k + 1)); eval "jj=\$q_$k"
    a="$a \"\$qi_$k\" \"\$qs_$k\" \"\${rp_$jj:-\$p_$jj}\""
  done
  o=; [ -z "$stop" ] && o=$(eval "$tm sh -c \"\$rd\" digger-read \"\$blobs\" $hb $a" 2>/dev/null)
  t=${o##*"$nl"}
  case $t in "E "*[0-9]) ;; *) t= ;; esac
  k=0
  if [ -n "$t" ]; then
    blobs=${t#E }
    printf "READ %s\n" $((q + 1))
    while [ "$k" -lt "$q" ]; do k=$((k + 1)); eval "jj=\$q_$k"; eval "pp=\$p_$jj"; seg "$pp"; done
    seg "$o"
  else
    [ -n "$stop" ] || stop="not read: a read did not finish in time"
    while [ "$k" -lt "$q" ]; do k=$((k + 1)); eval "jj=\$q_$k"; eval "pp=\$p_$jj"; note "$pp" "$stop"; done
  fi
  q=0
}
content() {
  r=$s; first
  facts "$l" || { note "$p" "stat failed"; return; }
  [ $((mo & 61440)) -eq 32768 ] || return
  if [ $((mo & 77)) -eq 0 ]; then
    note "$p" "not read: neither executable nor world-readable"; return
  fi
  ok=; us=$u
  while [ -n "$us" ]; do
    w=${us%%,*}; case $us in *,*) us=${us#*,} ;; *) us= ;; esac
    readable "$j" "$w"
    case $? in 0) ok=1 ;; 1) printf "DENIED 2\n"; seg "$p"; seg "$w" ;; esac
  done
  [ -n "$ok" ] || { note "$p" "not read: no run-as user of its jobs can read it"; return; }
  c=$hb; sp=h
  [ "$sz" -le 67108864 ] && { sp=${sp}s; c=$((c + sz)); }
  [ $((mo & 73)) -ne 0 ] && [ "$sz" -gt 65536 ] && [ "$sz" -le 268435456 ] && { sp=${sp}g; c=$((c + sz)); }
  while [ "$c" -gt "$bud" ]; do
    hit=1
    case $sp in
    *g) sp=${sp%g}; c=$((c - sz)); note "$p" "Go build info not read: byte budget spent" ;;
    *s) sp=${sp%s}; c=$((c - sz)); note "$p" "not hashed: byte budget spent" ;;
    *) note "$p" "not read: byte budget spent"; return ;;
    esac
  done
  bud=$((bud - c))
  queue "$sp"
}
links $ls
stats
j=0
while [ "$j" -lt "$n" ]; do
  j=$((j + 1))
  eval "p=\$p_$j; u=\$u_$j; rp=\$rp_$j; s=\$st_$j"
  r=$s; first; f=$l; first
  printf "PROG 3\n"; seg "$p"; seg "$rp"; seg "$f$nl$l"
  content
done
flush
[ -n "$hit" ] && { printf "BUDGET 1\n"; seg "$bud"; }
printf "END 1\n"; seg "$i"
)SH";

} // namespace

std::string_view inspect_script() {
  return script;
}

std::string inspect_command(bool use_sudo, const InspectLimits& limits) {
  return fmt::format("exec {}xargs -0 sh -c '{}' digger-inspect {} {}", use_sudo ? "sudo -n " : "",
                     script, limits.max_targets, limits.max_blob_bytes);
}

} // namespace digger::collect
