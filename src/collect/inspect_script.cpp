#include "digger/collect/inspect.hpp"

#include <fmt/format.h>

#include <set>

namespace digger::collect {
namespace {

// Reads paths from its arguments (xargs -0 turned stdin into them). One `stat` for every
// target and its directory, one `sha256sum` for every hashed file (each again per target when
// the line count shows a target vanished in between). Per path, framed records:
//   MISSING path | PROG path resolved stat   (stat: "RAWMODE UID GID SIZE MTIME OWNER" of the
//   file, then "RAWMODE UID GID ..." of its directory, following symlinks) | NOTE path text |
//   HASH path sha256 | HEAD path first-bytes | GOBI path go-build-info-blob, then END count.
// Contents are read only from regular files that are executable or world-readable: a job may
// name any file (a root job reading a secret), and its bytes are not ours to copy. Reads are
// bounded (sha256 up to 64 MiB, 256 bytes of head, grep for the Go magic in executables of
// 64 KiB to 256 MiB, 64 KiB of build info each, a byte budget for all of them) and padded with
// NULs when a file shrinks, so the framing cannot drift. Nothing found is ever executed. One
// sha256sum hashes every file at the end (one process per host, not per file; per file again
// when its line count shows a file vanished in between).
// It must not contain a single quote: it travels inside '...'.
constexpr std::string_view script = R"SH(LC_ALL=C; export LC_ALL
PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH
max=${1:-256}; blobs=${2:-4194304}; shift 2
exec 3>&1
seg() { printf "%s\n%s\n" "${#1}" "$1"; }
note() { printf "NOTE 2\n"; seg "$1"; seg "$2"; }
fast=
dd if=/dev/null of=/dev/null bs=1 count=0 iflag=fullblock,skip_bytes status=noxfer 2>/dev/null && fast=1
nl="
"
gm=$(printf "\377 Go buildinf:")
span() {
  if [ "$3" -gt 0 ]; then
    if [ -n "$fast" ]; then
      r=$(dd if="$1" bs="$3" skip="$2" count=1 iflag=fullblock,skip_bytes conv=sync status=noxfer 2>&1 >&3)
      case $r in *"1+0 records out") ;; *) head -c "$3" /dev/zero ;; esac
    else
      { tail -c +$(($2 + 1)) -- "$1" 2>/dev/null | head -c "$3"; cat /dev/zero; } | head -c "$3"
    fi
  fi
  printf "\n"
}
facts() {
  set -f; set -- $1; set +f
  case $1 in ""|*[!0-9a-f]*) return 1 ;; esac
  m=$((0x$1)); sz=$4
}
content() {
  p=$1
  facts "$2" || { note "$p" "stat failed"; return 1; }
  [ $((m & 61440)) -eq 32768 ] || return 1
  if [ $((m & 77)) -eq 0 ]; then
    note "$p" "not read: neither executable nor world-readable"; return 1
  fi
  [ -r "$p" ] || { note "$p" "permission denied"; return 1; }
  n=$sz; [ "$n" -gt 256 ] && n=256
  printf "HEAD 2\n"; seg "$p"; printf "%s\n" "$n"; span "$p" 0 "$n"
  gobi "$p" "$m" "$sz"
  [ "$sz" -le 67108864 ]
}
stats() {
  all=$#; k=0
  for a do
    k=$((k + 1))
    [ $((k % 3)) -eq 0 ] || set -- "$@" "$a"
  done
  shift "$all"
  st=; [ $# -gt 0 ] && st=$(stat -L -c "%f %u %g %s %Y %U" -- "$@" 2>/dev/null)
  k=0; r=$st
  while [ -n "$r" ]; do
    k=$((k + 1))
    case $r in *"$nl"*) r=${r#*"$nl"} ;; *) r= ;; esac
  done
  stok=; [ "$k" -eq $# ] && stok=1
}
line() {
  ln=${st%%"$nl"*}
  case $st in *"$nl"*) st=${st#*"$nl"} ;; *) st= ;; esac
}
progs() {
  left=$(($# / 3))
  while [ "$left" -gt 0 ]; do
    p=$1; pd=$2; rp=$3; shift 3; left=$((left - 1))
    if [ -n "$stok" ]; then
      line; s=$ln; line; s="$s$nl$ln"
    else
      s=$(stat -L -c "%f %u %g %s %Y %U" -- "$p" "$pd" 2>/dev/null)
    fi
    printf "PROG 3\n"; seg "$p"; seg "$rp"; seg "$s"
    content "$p" "$s" && set -- "$@" "$p"
  done
  hashes "$@"
}
gobi() {
  [ $(($2 & 73)) -ne 0 ] && [ "$3" -gt 65536 ] && [ "$3" -le 268435456 ] || return 0
  o=$(grep -F -abo -m 1 -e "$gm" -- "$1" 2>/dev/null); o=${o%%:*}
  case $o in ""|*[!0-9]*) return 0 ;; esac
  n=$(($3 - o)); [ "$n" -gt 65536 ] && n=65536; [ "$n" -gt "$blobs" ] && n=$blobs
  [ "$n" -gt 0 ] || { note "$1" "Go build info not read: byte budget spent"; return 0; }
  blobs=$((blobs - n))
  printf "GOBI 2\n"; seg "$1"; printf "%s\n" "$n"; span "$1" "$o" "$n"
}
hashes() {
  [ $# -gt 0 ] || return
  hs=$(sha256sum -- "$@" 2>/dev/null)
  k=0; r=$hs
  while [ -n "$r" ]; do
    k=$((k + 1))
    case $r in *"$nl"*) r=${r#*"$nl"} ;; *) r= ;; esac
  done
  for p do
    if [ "$k" -eq $# ]; then
      l=${hs%%"$nl"*}
      case $hs in *"$nl"*) hs=${hs#*"$nl"} ;; *) hs= ;; esac
      l=${l#\\}
    else
      l=$(sha256sum < "$p" 2>/dev/null)
    fi
    printf "HASH 2\n"; seg "$p"; seg "${l%% *}"
  done
}
printf "@@digger-inspect@@ 1\n"
i=0; all=$#
for p do
  [ "$i" -ge "$max" ] && break
  i=$((i + 1))
  case $p in /*) ;; *) note "$p" "not an absolute path"; continue ;; esac
  if [ ! -e "$p" ]; then printf "MISSING 1\n"; seg "$p"; continue; fi
  rp=
  [ -L "$p" ] && rp=$(readlink -f -- "$p" 2>/dev/null)
  t=${rp:-$p}; pd=${t%/*}; [ -n "$pd" ] || pd=/
  set -- "$@" "$p" "$pd" "$rp"
done
shift "$all"
stats "$@"
progs "$@"
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
