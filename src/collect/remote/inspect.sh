# The inspection (docs/collector.md, "Inspection reads"): run by `xargs -0 sh -c '<rd=...><this
# file>' digger-inspect MAX BLOBS +BUDGET USERS/PATH...` (src/collect/inspect_script.cpp, which
# describes its records). rd holds inspect_read.sh, the child that opens and reads the files.
# It travels inside '...': no single quote anywhere but in comments, which the build drops.
LC_ALL=C; export LC_ALL
PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH
# shellcheck disable=SC2034 # blobs: read by the eval in flush
{ max=${1:-256}; blobs=${2:-4194304}; shift 2; }
bud=0
case $1 in +*) x=${1#+}; case $x in ""|*[!0-9]*) ;; *) bud=$x ;; esac; shift ;; esac
# rd: the child reader (inspect_read.sh), assigned before this text (inspect_script.cpp).
: "${rd:?}"
hb=128; nl="
"
seg() { printf "%s\n%s\n" "${#1}" "$1"; }
note() { printf "NOTE 2\n"; seg "$1"; seg "$2"; }
tm=; command -v timeout >/dev/null 2>&1 && tm="timeout -k 2"
i=0; n=0; ls=; nu=0; hit=; pre=; q=0
printf "@@digger-inspect@@ 1\n"
for x do
  [ "$i" -ge "$max" ] && break
  i=$((i + 1))
  # "=USERS/PATH": an application source file (read whole up to 256 KiB, parsed by Digger).
  # ">USERS/PATH": a file a job writes its output to (stat only, never opened).
  ap=; case $x in =*) x=${x#=}; ap=a ;; ">"*) x=${x#?}; ap=o ;; esac
  u=${x%%/*}; p=${x#"$u"}
  case $p in /*) ;; *) note "$x" "not an absolute path"; continue ;; esac
  if [ ! -e "$p" ]; then printf "MISSING 1\n"; seg "$p"; continue; fi
  n=$((n + 1)); eval "p_$n=\$p; u_$n=\$u; rp_$n=; ap_$n=\$ap"
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
    # shellcheck disable=SC3013 # -ef: dash, bash, ksh and BusyBox sh all have it
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
  all=; j=0; nx=0; tot=0; t=
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
  # shellcheck disable=SC2086 # stat's fields, split on purpose
  { set -f; set -- $1; set +f; }
  case $1 in ""|*[!0-9a-f]*) return 1 ;; esac
  case $4 in ""|*[!0-9]*) return 1 ;; esac
  # shellcheck disable=SC2034 # id: read by queue through eval
  { mo=$((0x$1)); sz=$4; id=$6; }
}
# Every run-as user but root, once for the whole visit (un_K): the first lookup asks `id -u`
# and `id -G` for all of them at once (GNU id takes several names, one line each). BusyBox id,
# or a name id does not know (its line would be missing), leaves them unset: resolve then asks
# per user, as id -u NAME and id -G NAME.
prefetch() {
  pre=1; a=; pj=0
  while [ "$pj" -lt "$n" ]; do
    pj=$((pj + 1)); eval "pu=\$u_$pj"
    while [ -n "$pu" ]; do
      pw=${pu%%,*}; case $pu in *,*) pu=${pu#*,} ;; *) pu= ;; esac
      [ "$pw" = root ] && continue
      k=0
      while [ "$k" -lt "$nu" ]; do k=$((k + 1)); eval "x=\$un_$k"; [ "$x" = "$pw" ] && continue 2; done
      nu=$((nu + 1)); eval "un_$nu=\$pw; ur_$nu="; a="$a \"\$un_$nu\""
    done
  done
  [ "$nu" -gt 0 ] || return 0
  iu=$(eval "id -u -- $a" 2>/dev/null) && ig=$(eval "id -G -- $a" 2>/dev/null) || return 0
  r=$iu; k=0
  while [ -n "$r" ]; do first; k=$((k + 1)); eval "uu_$k=\$l"; done
  [ "$k" -eq "$nu" ] || return 0
  r=$ig; k=0
  while [ -n "$r" ]; do first; k=$((k + 1)); eval "ug_$k=\$l"; done
  [ "$k" -eq "$nu" ] || return 0
  k=0
  while [ "$k" -lt "$nu" ]; do k=$((k + 1)); eval "ur_$k=1"; done
}
resolve() {
  if [ "$1" = root ]; then uid=0; gids=0; return; fi
  [ -n "$pre" ] || prefetch
  k=0; uid=; gids=
  while [ "$k" -lt "$nu" ]; do
    k=$((k + 1)); eval "x=\$un_$k"
    [ "$x" = "$1" ] || continue
    eval "uid=\$uu_$k; gids=\$ug_$k; x=\$ur_$k"
    if [ -z "$x" ]; then
      uid=$(id -u "$1" 2>/dev/null); gids=$(id -G "$1" 2>/dev/null)
      eval "uu_$k=\$uid; ug_$k=\$gids; ur_$k=1"
    fi
    break
  done
  case $uid in ""|*[!0-9]*) uid= ;; esac
  case $gids in *[!0-9\ ]*) gids= ;; esac
}
# Whether run-as user $3 could reach target $2 (the search bit of every directory above it)
# and, when $1 is read, read it (a file written by a redirection need not be readable).
reach() {
  resolve "$3"
  [ -n "$uid" ] || { note "$p" "run-as user $3 unknown on the host"; return 2; }
  [ "$uid" = 0 ] && return 0
  eval "dp=\$deep_$2"
  [ -z "$dp" ] || { note "$p" "directories above not checked for $3"; return 2; }
  r=$s; first
  [ "$1" != read ] || may "$uid" "$gids" 4 "$l" || return 1
  while [ -n "$r" ]; do first; may "$uid" "$gids" 1 "$l" || return 1; done
}
# An output file: its PROG record (whose mtime is the freshness hint) only when a run-as user
# of its jobs could reach it; nothing is ever opened.
stamp() {
  ok=; us=$u
  while [ -n "$us" ]; do
    w=${us%%,*}; case $us in *,*) us=${us#*,} ;; *) us= ;; esac
    reach search "$j" "$w"
    case $? in 0) ok=1 ;; 1) printf "DENIED 2\n"; seg "$p"; seg "$w" ;; esac
  done
  if [ -n "$ok" ]; then
    r=$s; first; f=$l; first
    printf "PROG 3\n"; seg "$p"; seg "$rp"; seg "$f$nl$l"
  else note "$p" "not checked: no run-as user of its jobs can reach it"; fi
}
queue() {
  q=$((q + 1)); eval "q_$q=$j; qs_$q=\$1; qi_$q=\$id"
}
# One reader child for every queued file, under one timeout of 10 s plus 1 s per batch of six
# (what it reads is bounded by the byte budget; a FIFO swapped in holds the host that long): it
# writes each batch's READ record itself (on fd 1, our stdout through fd 9) and the number of
# batches done so far on fd 3, which we read. Batches it did not finish get a NOTE each.
flush() {
  [ "$q" -gt 0 ] || return 0
  a=; k=0; jj=; pp=
  while [ "$k" -lt "$q" ]; do
    k=$((k + 1)); eval "jj=\$q_$k"
    a="$a \"\$qi_$k\" \"\$qs_$k\" \"\${rp_$jj:-\$p_$jj}\" \"\$p_$jj\""
  done
  nb=$(((q + 5) / 6))
  tt=; [ -n "$tm" ] && tt="$tm $((10 + nb))"
  exec 9>&1
  o=$(eval "$tt sh -c \"\$rd\" digger-read \"\$blobs\" $hb $a" 3>&1 1>&9 2>/dev/null)
  exec 9>&-
  o=${o##*"$nl"}
  case $o in ""|*[!0-9]*) o=0 ;; esac
  k=$((o * 6))
  while [ "$k" -lt "$q" ]; do
    k=$((k + 1)); eval "jj=\$q_$k"; eval "pp=\$p_$jj"; note "$pp" "not read: a read did not finish in time"
  done
  q=0
}
content() {
  r=$s; first
  facts "$l" || { note "$p" "stat failed"; return; }
  [ $((mo & 61440)) -eq 32768 ] || return
  eval "ap=\$ap_$j"
  if [ -z "$ap" ] && [ $((mo & 77)) -eq 0 ]; then
    note "$p" "not read: neither executable nor world-readable"; return
  fi
  ok=; us=$u
  while [ -n "$us" ]; do
    w=${us%%,*}; case $us in *,*) us=${us#*,} ;; *) us= ;; esac
    reach read "$j" "$w"
    case $? in 0) ok=1 ;; 1) printf "DENIED 2\n"; seg "$p"; seg "$w" ;; esac
  done
  [ -n "$ok" ] || { note "$p" "not read: no run-as user of its jobs can read it"; return; }
  c=$hb; sp=h
  # ap: an app source (readable() below uses k, so ap is read again here)
  eval "ap=\$ap_$j"
  if [ -n "$ap" ]; then
    sp=ha; if [ "$sz" -gt 262144 ]; then c=$((c + 262144)); else c=$((c + sz)); fi
  else
    [ "$sz" -le 67108864 ] && { sp=${sp}s; c=$((c + sz)); }
    [ $((mo & 73)) -ne 0 ] && [ "$sz" -gt 65536 ] && [ "$sz" -le 268435456 ] && { sp=${sp}g; c=$((c + sz)); }
  fi
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
# shellcheck disable=SC2086 # ls: target numbers, split on purpose
links $ls
stats
j=0
while [ "$j" -lt "$n" ]; do
  j=$((j + 1))
  eval "p=\$p_$j; u=\$u_$j; rp=\$rp_$j; s=\$st_$j; ap=\$ap_$j"
  [ "$ap" = o ] && { stamp; continue; }
  r=$s; first; f=$l; first
  printf "PROG 3\n"; seg "$p"; seg "$rp"; seg "$f$nl$l"
  content
done
flush
[ -n "$hit" ] && { printf "BUDGET 1\n"; seg "$bud"; }
printf "END 1\n"; seg "$i"
