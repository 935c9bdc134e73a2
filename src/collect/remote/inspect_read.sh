# The inspection's reader (run as `timeout sh -c "$rd" digger-read BLOBS HEAD ID SPEC PATH...`
# by inspect.sh): opens each PATH once on fds 4..9, keeps only regular files with the checked
# device:inode, reads them only through /dev/fd/N. src/collect/inspect_script.cpp describes it.
# It travels inside "..." inside '...': no single quote anywhere but in comments.
exec 2>/dev/null
bl=$1; hb=$2; shift 2
nl="
"
gm=$(printf "\377 Go buildinf:")
k=3; f=
while [ $# -ge 3 ]; do
  k=$((k + 1))
  eval "command exec $k<\"\$3\"" || eval "exec $k</dev/null"
  eval "id_$k=\$1; sp_$k=\$2"
  f="$f /dev/fd/$k"
  shift 3
done
# shellcheck disable=SC2086 # f: /dev/fd/N words
s=$(stat -L -c "%d:%i %f %s" $f)
# shellcheck disable=SC2086 # split on newlines, set -f
{ set -f; IFS=$nl; set -- $s; IFS=" "; set +f; }
[ $# -eq $((k - 3)) ] || { printf "E %s\n" "$bl"; exit 0; }
j=3; h=; sl=; gl=; x=; st=
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
  tail -c +$((o + 1)) "/dev/fd/$j" | head -c "$c" | od -An -v -tx1
done
printf "E %s\n" "$bl"
