# The one permission rule of the remote scripts (docs/security.md): may UID GIDS BIT "STAT"
# succeeds when a process of uid UID and groups GIDS (space-separated) holds permission BIT
# (4 read, 1 search) on the file whose `stat -c "%f %u %g ..."` line is STAT: owner, group or
# other bits, as the kernel picks them; root always may. Put before inspect.sh (after rd) and
# before supervisor_runtime.sh (src/collect/inspect_script.cpp, script.cpp). It travels inside
# '...': no single quote but in comments.
may() {
  [ "$1" = 0 ] && return 0
  # shellcheck disable=SC2086 # stat's fields, split on purpose
  { set -f; set -- "$1" "$2" "$3" $4; set +f; }
  case $4 in ""|*[!0-9a-f]*) return 1 ;; esac
  case $5 in ""|*[!0-9]*) return 1 ;; esac
  mm=$((0x$4))
  if [ "$1" = "$5" ]; then [ $(((mm >> 6) & $3)) -ne 0 ]; return; fi
  for g in $2; do
    [ "$g" = "$6" ] && { [ $(((mm >> 3) & $3)) -ne 0 ]; return; }
  done
  [ $((mm & $3)) -ne 0 ]
}
