# The inspection's reader (run as `timeout sh -c "$rd" digger-read BLOBS HEAD ID SPEC OPEN
# REPORT ...` by inspect.sh, one quadruple per file): in batches of six, opens each OPEN path
# once on fds 4..9, keeps only regular files with the checked device:inode ID, and reads them
# only through /dev/fd/N. Per batch it writes one framed READ record (the REPORT paths, then
# the text: "F ok|bad ...", H head hex, S sums, B blobs, A app sources, "E blobs-left") on stdout and the
# number of batches done on fd 3; it stops at the first batch that did not finish.
# src/collect/inspect_script.cpp describes it. It travels inside "..." inside '...': no
# single quote anywhere but in comments.
exec 2>/dev/null
bl=$1; hb=$2; shift 2
nl="
"
gm=$(printf "\377 Go buildinf:")
seg() { printf "%s\n%s\n" "${#1}" "$1"; }
# One batch (in a subshell): the fds are open; prints the text, "E LEFT" last.
batch() {
  # shellcheck disable=SC2086 # f: /dev/fd/N words
  s=$(stat -L -c "%d:%i %f %s" $f)
  # shellcheck disable=SC2086 # split on newlines, set -f
  { set -f; IFS=$nl; set -- $s; IFS=" "; set +f; }
  [ $# -eq $((k - 3)) ] || { printf "E %s\n" "$bl"; exit 0; }
  j=3; h=; sl=; gl=; al=; x=; st=
  for l do
    j=$((j + 1))
    eval "x=\$id_$j; st=\$sp_$j"
    # shellcheck disable=SC2086 # stat's fields, split on purpose
    { set -f; set -- $l; set +f; }
    case $2 in ????) ;; *) set -- x ;; esac
    case $3 in ""|*[!0-9]*) set -- x ;; esac
    if [ "$1" = "$x" ] && [ $((0x$2 & 61440)) -eq 32768 ]; then
      printf "F ok %s\n" "$l"; eval "sz_$j=\$3"
      h="$h /dev/fd/$j"
      case $st in *s*) sl="$sl /dev/fd/$j" ;; esac
      case $st in *g*) gl="$gl /dev/fd/$j" ;; esac
      case $st in *a*) al="$al $j" ;; esac
    else
      printf "F bad %s\n" "$l"; eval "exec $j</dev/null"
    fi
  done
  # shellcheck disable=SC2086 # h, sl, gl: /dev/fd/N words
  { printf "H\n"; [ -n "$h" ] && head -c "$hb" -v -- $h | od -An -v -tx1; }
  # shellcheck disable=SC2086 # h, sl, gl: /dev/fd/N words
  { printf "S\n"; [ -n "$sl" ] && sha256sum -- $sl; }
  # shellcheck disable=SC2086 # h, sl, gl: /dev/fd/N words
  { g=; [ -n "$gl" ] && g=$(grep -F -abo -H -m 1 -e "$gm" -- $gl); }
  # shellcheck disable=SC2086 # split on newlines, set -f
  { set -f; IFS=$nl; set -- $g; IFS=" "; set +f; }
  for l do
    case $l in /dev/fd/[4-9]:*) ;; *) continue ;; esac
    j=${l#/dev/fd/}; o=${j#?:}; j=${j%%"$o"}; j=${j%:}; o=${o%%:*}
    case $o in ""|*[!0-9]*) continue ;; esac
    eval "c=\$sz_$j"; c=$((c - o))
    [ "$c" -gt 65536 ] && c=65536; [ "$c" -gt "$bl" ] && c=$bl
    [ "$c" -gt 0 ] || continue
    bl=$((bl - c))
    printf "B %s %s\n" "$j" "$c"
    od -An -v -tx1 -j "$o" -N "$c" "/dev/fd/$j"
  done
  # Application source files: their first 256 KiB (counted in the budget by inspect.sh).
  for j in $al; do
    eval "c=\$sz_$j"; [ "$c" -gt 262144 ] && c=262144
    printf "A %s %s\n" "$j" "$c"
    [ "$c" -gt 0 ] && od -An -v -tx1 -N "$c" "/dev/fd/$j"
  done
  printf "E %s\n" "$bl"
}
b=0; p=
while [ $# -ge 4 ]; do
  k=3; f=
  while [ $# -ge 4 ] && [ $k -lt 9 ]; do
    k=$((k + 1))
    eval "command exec $k<\"\$3\"" || eval "exec $k</dev/null"
    eval "id_$k=\$1; sp_$k=\$2; rp_$k=\$4"
    f="$f /dev/fd/$k"
    shift 4
  done
  t=$(batch)
  e=${t##*"$nl"}
  case $e in "E "*[0-9]) bl=${e#E } ;; *) exit 0 ;; esac
  printf "READ %s\n" $((k - 2))
  j=3
  while [ $j -lt $k ]; do
    j=$((j + 1)); eval "p=\$rp_$j"; seg "$p"
    eval "exec $j<&-"
  done
  seg "$t"
  b=$((b + 1)); printf "%s\n" "$b" >&3
done
