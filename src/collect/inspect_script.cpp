#include "digger/collect/inspect.hpp"

#include <fmt/format.h>

#include <set>

namespace digger::collect {
namespace {

// Reads paths from its arguments (xargs -0 turned stdin into them) and starts a small, fixed
// number of processes per host whatever the target count (each process start costs the host
// about a millisecond of CPU): one `readlink -f` for all symlinks, one `stat` for every target
// and its directory, one `head | od` for the first bytes of all readable files, one `grep` for
// the Go magic in all candidate executables, one `sha256sum` for all hashed files; only each Go
// binary's build info blob takes a `dd` of its own. Per path, framed records:
//   MISSING path | PROG path resolved stat   (stat: "RAWMODE UID GID SIZE MTIME OWNER" of the
//   file, then "RAWMODE UID GID ..." of its directory, following symlinks) | NOTE path text |
//   HASH path sha256 | HEAD path first-bytes | GOBI path go-build-info-blob, then END count.
// The batched heads come as HEADN path count (one per file, in order) then one HEADS record:
// the `od -An -v -tx1` text of `head -c 256 -v -- f1 f2 ...`, whose "==> f <==" headers the
// decoder checks at the exact offsets the counts give. The shell keeps the hex (binary-safe,
// exact length) and sends it only when its length is the expected one; else (a file changed
// size, no GNU-like head, a name with a newline in an odd place) every file gets its own HEAD
// record as before. Other batched results are used only where they line up exactly with the
// names asked, else that step runs per file: stat and sha256sum lines by their count (neither
// prints a raw name), readlink lines in order while each names the same file as its link
// (`test -ef`), grep lines "NAME:OFFSET:MAGIC" compared whole with each known name in order
// (names holding a newline get their own grep). Targets live in
// numbered variables (p_1 ...); commands over many of them are built by `eval` from those
// variable references only, never from their values. `--portable` right after MAX BLOBS takes
// the per-file path everywhere (the tests compare both).
// Hashing dominates the CPU once process starts are few: from 2 MiB to hash on, `openssl dgst
// -sha256 -r` (same "HEX *name" lines, several times faster than coreutils where the CPU has
// SHA extensions or AVX2, but a slower start) hashes instead of sha256sum when it is there.
// Contents are read only from regular files that are executable or world-readable: a job may
// name any file (a root job reading a secret), and its bytes are not ours to copy. Reads are
// bounded (sha256 up to 64 MiB, 256 bytes of head, grep for the Go magic in executables of
// 64 KiB to 256 MiB, 64 KiB of build info each, a byte budget for all of them) and padded with
// NULs when a file shrinks, so the framing cannot drift: GNU dd (fullblock, skip_bytes, sync)
// wrote the bytes when it says "1+0 records out" and nothing otherwise; a dd that printed no
// record counts at all refused the flags (no GNU dd: no probe process needed to know) or could
// not open the file, and the portable tail | head with NUL padding reads instead, from then on.
// Nothing found is ever executed.
// It must not contain a single quote: it travels inside '...'.
constexpr std::string_view script = R"SH(LC_ALL=C; export LC_ALL
PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH
max=${1:-256}; blobs=${2:-4194304}; shift 2
nodd=; slow=
case $1 in --portable) nodd=1; slow=1; shift ;; esac
exec 3>&1
seg() { printf "%s\n%s\n" "${#1}" "$1"; }
note() { printf "NOTE 2\n"; seg "$1"; seg "$2"; }
nl="
"
gm=$(printf "\377 Go buildinf:")
span() {
  if [ "$3" -gt 0 ]; then
    e=
    [ -z "$nodd" ] && e=$(dd if="$1" bs="$3" skip="$2" count=1 iflag=fullblock,skip_bytes conv=sync status=noxfer 2>&1 >&3)
    case $e in
    *"1+0 records out") ;;
    *"records out"*) head -c "$3" /dev/zero ;;
    *)
      nodd=1
      { tail -c +$(($2 + 1)) -- "$1" 2>/dev/null | head -c "$3"; cat /dev/zero; } | head -c "$3" ;;
    esac
  fi
  printf "\n"
}
count() {
  cnt=0; q=$1
  while [ -n "$q" ]; do
    cnt=$((cnt + 1))
    case $q in *"$nl"*) q=${q#*"$nl"} ;; *) q= ;; esac
  done
}
first() {
  l=${r%%"$nl"*}
  case $r in *"$nl"*) r=${r#*"$nl"} ;; *) r= ;; esac
}
args() {
  a=
  for x do a="$a \"\$p_$x\""; done
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
stats() {
  a=; j=0
  while [ "$j" -lt "$n" ]; do
    j=$((j + 1))
    eval "p=\$p_$j; t=\${rp_$j:-\$p}"
    d=${t%/*}; [ -n "$d" ] || d=/
    eval "pd_$j=\$d"
    a="$a \"\$p_$j\" \"\$pd_$j\""
  done
  st=; [ "$n" -gt 0 ] && st=$(eval "stat -L -c \"%f %u %g %s %Y %U\" -- $a" 2>/dev/null)
  count "$st"; stok=; [ "$cnt" -eq $((2 * n)) ] && stok=1
}
facts() {
  set -f; set -- $1; set +f
  case $1 in ""|*[!0-9a-f]*) return 1 ;; esac
  case $4 in ""|*[!0-9]*) return 1 ;; esac
  m=$((0x$1)); sz=$4
}
content() {
  facts "$s" || { note "$p" "stat failed"; return; }
  [ $((m & 61440)) -eq 32768 ] || return
  if [ $((m & 77)) -eq 0 ]; then
    note "$p" "not read: neither executable nor world-readable"; return
  fi
  [ -r "$p" ] || { note "$p" "permission denied"; return; }
  c=$sz; [ "$c" -gt 256 ] && c=256
  eval "hn_$j=\$c; sz_$j=\$sz"
  hl="$hl $j"
  [ $((m & 73)) -ne 0 ] && [ "$sz" -gt 65536 ] && [ "$sz" -le 268435456 ] && gl="$gl $j"
  [ "$sz" -le 67108864 ] && sl="$sl $j"
}
progs() {
  j=0; r=$st
  while [ "$j" -lt "$n" ]; do
    j=$((j + 1))
    eval "p=\$p_$j; d=\$pd_$j; rp=\$rp_$j"
    if [ -n "$stok" ]; then
      first; s=$l; first; s="$s$nl$l"
    else
      s=$(stat -L -c "%f %u %g %s %Y %U" -- "$p" "$d" 2>/dev/null)
    fi
    printf "PROG 3\n"; seg "$p"; seg "$rp"; seg "$s"
    content
  done
}
heads() {
  [ $# -gt 0 ] || return 0
  w=-1; hx=
  for j do eval "p=\$p_$j; c=\$hn_$j"; w=$((w + ${#p} + 10 + c)); done
  args "$@"
  [ -z "$slow" ] && hx=$(eval "head -c 256 -v -- $a" 2>/dev/null | od -An -v -tx1)
  if [ "${#hx}" -eq $((3 * w + (w + 15) / 16 - 1)) ]; then
    for j do eval "p=\$p_$j; c=\$hn_$j"; printf "HEADN 2\n"; seg "$p"; seg "$c"; done
    printf "HEADS 1\n"; seg "$hx"
  else
    for j do
      eval "p=\$p_$j; c=\$hn_$j"
      printf "HEAD 2\n"; seg "$p"; printf "%s\n" "$c"; span "$p" 0 "$c"
    done
  fi
}
gobi() {
  case $2 in ""|*[!0-9]*) return 0 ;; esac
  c=$(($3 - $2)); [ "$c" -gt 65536 ] && c=65536; [ "$c" -gt "$blobs" ] && c=$blobs
  [ "$c" -gt 0 ] || { note "$1" "Go build info not read: byte budget spent"; return 0; }
  blobs=$((blobs - c))
  printf "GOBI 2\n"; seg "$1"; printf "%s\n" "$c"; span "$1" "$2" "$c"
}
gos() {
  [ $# -gt 0 ] || return 0
  a=
  for j do
    eval "p=\$p_$j"
    case $p in *"$nl"*) ;; *) a="$a \"\$p_$j\"" ;; esac
  done
  r=; [ -n "$a" ] && [ -z "$slow" ] && r=$(eval "grep -F -abo -H -m 1 -e \"\$gm\" -- $a" 2>/dev/null)
  for j do
    eval "p=\$p_$j; sz=\$sz_$j"
    o=
    if [ -n "$slow" ] || [ "$p" != "${p%%"$nl"*}" ]; then
      o=$(grep -F -abo -m 1 -e "$gm" -- "$p" 2>/dev/null); o=${o%%:*}
    else
      while [ -n "$r" ]; do
        l=${r%%"$nl"*}; x=${l#"$p:"}; d=${x%%:*}
        [ "$l" = "$p:$d:$gm" ] || break
        case $d in ""|*[!0-9]*) break ;; esac
        [ -n "$o" ] || o=$d
        first
      done
    fi
    gobi "$p" "$o" "$sz"
  done
}
hashes() {
  [ $# -gt 0 ] || return 0
  args "$@"
  b=0; for j do eval "b=\$((b + sz_$j))"; done
  if [ -z "$slow" ] && [ "$b" -ge 2097152 ] && command -v openssl >/dev/null 2>&1; then
    hs=$(eval "openssl dgst -sha256 -r $a" 2>/dev/null)
  else
    hs=$(eval "sha256sum -- $a" 2>/dev/null)
  fi
  count "$hs"; [ "$cnt" -eq $# ] || hs=
  for j do
    eval "p=\$p_$j"
    if [ -n "$hs" ]; then
      r=$hs; first; hs=$r; l=${l#\\}
    else
      l=$(sha256sum < "$p" 2>/dev/null)
    fi
    printf "HASH 2\n"; seg "$p"; seg "${l%% *}"
  done
}
printf "@@digger-inspect@@ 1\n"
i=0; n=0; ls=; hl=; gl=; sl=
for p do
  [ "$i" -ge "$max" ] && break
  i=$((i + 1))
  case $p in /*) ;; *) note "$p" "not an absolute path"; continue ;; esac
  if [ ! -e "$p" ]; then printf "MISSING 1\n"; seg "$p"; continue; fi
  n=$((n + 1)); eval "p_$n=\$p; rp_$n="
  [ -L "$p" ] && ls="$ls $n"
done
links $ls
stats
progs
heads $hl
gos $gl
hashes $sl
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

InspectionPlan plan_inspection(const std::vector<std::string>& targets,
                               const InspectLimits& limits) {
  InspectionPlan plan;
  std::set<std::string_view> seen;
  for (const auto& path : targets) {
    if (!seen.insert(path).second) {
      continue;
    }
    if (path.empty() || path.front() != '/') {
      plan.rejected.emplace_back(path, "not an absolute path");
      continue;
    }
    if (path.find('\0') != std::string::npos) {
      plan.rejected.emplace_back(path, "path holds a NUL byte");
      continue;
    }
    if (path.size() > limits.max_path_bytes) {
      plan.rejected.emplace_back(path,
                                 fmt::format("path longer than {} bytes", limits.max_path_bytes));
      continue;
    }
    ++plan.requested;
    if (plan.paths.size() >= limits.max_targets ||
        plan.payload.size() + path.size() + 1 > limits.max_payload_bytes) {
      plan.over_bound.push_back(path);
      continue;
    }
    plan.paths.push_back(path);
    plan.payload += path;
    plan.payload.push_back('\0');
  }
  if (!plan.over_bound.empty()) {
    plan.note =
        fmt::format("bound hit: {} of {} targets inspected", plan.paths.size(), plan.requested);
  }
  return plan;
}

} // namespace digger::collect
