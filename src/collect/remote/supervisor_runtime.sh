# supervisord at run time (docs/workers.md): the configurations running supervisords were
# started with (-c PATH) and the tail of supervisord's own log. Functions only, put between the
# path preamble and collector.sh (src/collect/script.cpp), which calls svprocs and svlog; they
# use its helpers (seg, note, slow, inlist, tmo, same, and may from may.sh) and variables (nl, oifs, small, to). It
# travels inside '...' like the collector: no single quote but in comments.
# supervisord started with a configuration of its own (-c PATH, docs/workers.md): found in the
# process list, read only when that process could read it itself (its uid and groups against
# the search bit of every directory and the file mode, no link anywhere on the path), once,
# untrusted (dd, no link followed), and voided when it is not the file checked.
svok() {
  svwhy="not read: not an absolute path without . or .. or an empty component"
  case $1 in /*) ;; *) return 1 ;; esac
  case $1/ in *"$nl"*|*/./*|*/../*|*//*) return 1 ;; esac
  svwhy="not read: the user of the process (uid $2) cannot read it"
  vu=$2; vg=$3; d=$1; set -- "$1"
  while [ "$d" != / ] && [ $# -le 64 ]; do
    d=${d%/*}; [ -n "$d" ] || d=/; set -- "$d" "$@"
  done
  [ "$d" = / ] || return 1
  sc=$#; k=0; vr=1
  so=$(stat -c "%f %u %g %d:%i %F" -- "$@" 2>/dev/null)
  IFS=$nl; set -f
  for l in $so; do
    k=$((k + 1)); IFS=$oifs
    if [ $k -lt "$sc" ]; then
      case $l in *" directory") may "$vu" "$vg" 1 "$l" || break ;; *) break ;; esac
    else
      case $l in *" regular file"|*" regular empty file") may "$vu" "$vg" 4 "$l" && vr= ;; esac
      svid=${l#* * * }; svid=${svid%% *}
    fi
  done
  IFS=$oifs; set +f
  [ -z "$vr" ] && [ "$k" = "$sc" ]
}
# shellcheck disable=SC2034 # ut: read by collector.sh (filerec reads this file as untrusted)
svconf() {
  inlist "$1" "$supervisor_paths $svseen" || inlist "${1%/*}" "$supervisor_paths" && return
  inlist "$2:$1" "$svno" && return
  svno="$svno $2:$1"
  if [ "$2" = x ]; then note UNREADABLE supervisor "$1" "not read: the process changed its user (set-user-ID)"; return; fi
  svok "$1" "$2" "$3" || { note UNREADABLE supervisor "$1" "$svwhy"; return; }
  svseen="$svseen $1"; ok=; ut=1; slow supervisor "$1" "$small"; ut=
  [ -z "$ok" ] || [ "$(stat -c %d:%i -- "$1" 2>/dev/null)" = "$svid" ] ||
    note UNREADABLE supervisor "$1" "not read: changed after the listing (not the file checked)"
  [ -n "$4" ] || { svincl "$1" "$2" "$3"; svlogat "$1" "$2" "$3"; }
}
# What its [include] may name (Digger matches the globs): *.conf and *.ini beside it and one
# directory down, at most 32, each under the same rule.
svincl() {
  set +f; vn=0
  for vf in "${1%/*}"/*.conf "${1%/*}"/*.ini "${1%/*}"/*/*.conf "${1%/*}"/*/*.ini; do
    if [ ! -f "$vf" ] || [ "$vf" = "$1" ]; then continue; fi
    vn=$((vn + 1)); [ $vn -le 32 ] || break
    svconf "$vf" "$2" "$3" included
  done
}
svargs() {
  cand=; nx=; i=0; IFS=$nl; set -f
  for w in $1; do
    i=$((i + 1)); [ $i -gt "$2" ] || continue
    if [ -n "$nx" ]; then cand="$cand$w$nl"; nx=; continue; fi
    case $w in
      --) break ;;
      --co*=*) x=${w%%=*}
        # shellcheck disable=SC2194 # a constant word on purpose: is the option a prefix of it
        case configuration in "${x#--}"*) cand="$cand${w#*=}$nl" ;; esac ;;
      --co*)
        # shellcheck disable=SC2194 # as above
        case configuration in "${w#--}"*) nx=1 ;; esac ;;
      -[hvnkts]*|-c*) x=${w#-}
        while :; do case $x in [hvnkts]*) x=${x#?} ;; *) break ;; esac; done
        case $x in c) nx=1 ;; c?*) cand="$cand${x#c}$nl" ;; esac ;;
    esac
  done
  IFS=$oifs; set +f
}
svprocs() {
  tmo; svseen=; svno=; np=0
  sl=$($to grep -l -s -a -F -e supervisord -- /proc/[0-9]*/cmdline 2>/dev/null | head -n 256)
  IFS=$nl; set -f
  for f in $sl; do
    IFS=$oifs
    pid=${f#/proc/}; pid=${pid%/cmdline}
    case $pid in ""|*[!0-9]*) continue ;; esac
    # Its paths name files of its own mount namespace (a container): only ours are read.
    # shellcheck disable=SC3013 # -ef: dash, bash, ksh and BusyBox sh all have it
    [ "/proc/$pid/ns/mnt" -ef /proc/self/ns/mnt ] || continue
    av=$($to head -c 4096 -- "$f" 2>/dev/null | tr "\000" "\n")
    a0=${av%%"$nl"*}; a1=${av#*"$nl"}; a1=${a1%%"$nl"*}
    if [ "${a0##*/}" = supervisord ]; then sk=1
    elif [ "${a1##*/}" = supervisord ]; then sk=2
    else continue; fi
    np=$((np + 1)); [ $np -le 16 ] || break
    su=; sg=; gs=
    while read -r k a b c d rest; do
      case $k in
        Uid:) su=x; [ "$a" = "$b" ] && [ "$a" = "$c" ] && [ "$a" = "$d" ] && su=$a ;;
        Gid:) sg=x; [ "$a" = "$b" ] && [ "$a" = "$c" ] && [ "$a" = "$d" ] && sg=$a ;;
        Groups:) gs="$a $b $c $d $rest" ;;
      esac
    done 2>/dev/null < "/proc/$pid/status"
    case $su$sg in ""|*[!0-9x]*) continue ;; *x*) su=x ;; esac
    printf "SVPROC 3\n"; seg "$pid"; seg "$su"; seg "$av"
    svargs "$av" "$sk"
    IFS=$nl; set -f
    for p in $cand; do IFS=$oifs; svconf "$p" "$su" "$sg $gs"; done
  done
  IFS=$oifs; set +f
}
# supervisord's own log: its last 1 MiB (crash loops, docs/workers.md), a regular file only,
# read once by tail under timeout, voided when it is not the same file after the read.
svlog1() {
  if [ -L "$1" ] || { [ -e "$1" ] && [ ! -f "$1" ]; }; then
    printf "SVLOG 4\n"; seg "$1"; seg "not read: not a regular file (a link or a special file)"; seg 0; seg ""
    return
  fi
  [ -f "$1" ] || return
  if [ ! -r "$1" ]; then printf "SVLOG 4\n"; seg "$1"; seg "permission denied"; seg 0; seg ""; return; fi
  m=$(stat -c "%d %i %s" -- "$1" 2>/dev/null)
  # shellcheck disable=SC2086 # m: stat fields, split on purpose
  { set -f; set -- "$1" $m; set +f; }
  [ -n "$4" ] || return
  fr=$(($4 - 1048576)); [ $fr -ge 0 ] || fr=0
  n=$(($4 - fr)); tmo
  printf "SVLOG 4\n"; seg "$1"; seg ""; seg "$fr"; printf "%s\n" "$n"
  { [ $n -gt 0 ] && $to tail -c +$((fr + 1)) -- "$1" 2>/dev/null | head -c $n; cat /dev/zero 2>/dev/null; } | head -c $n
  printf "\n"
  # shellcheck disable=SC2034 # di: read by collector.sh (same: the file read is this one)
  di=$2:$3; same "$1" || { printf "SVLOG 4\n"; seg "$1"; seg "not read: changed while read (rotated or replaced)"; seg 0; seg ""; }
}
svlog() {
  for p in $supervisor_logs; do svlog1 "$p"; done
}
# The log beside a custom configuration (logfile=%(here)s/supervisord.log), under the rule its
# configuration was read by: the process's own user must be able to read it.
svlogat() {
  lp=${1%/*}/supervisord.log
  inlist "$lp" "$supervisor_logs $svseen" && return
  [ -e "$lp" ] || [ -L "$lp" ] || return
  svseen="$svseen $lp"
  if svok "$lp" "$2" "$3"; then svlog1 "$lp"
  else printf "SVLOG 4\n"; seg "$lp"; seg "$svwhy"; seg 0; seg ""; fi
}
