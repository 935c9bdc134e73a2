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
// and groups (`id -u` and `id -G`, asked once for all run-as users) against the file's mode
// bits and the search bit of every directory of the path (and of the symlink's own path).
// Root reads everything. ACLs are not evaluated (a user granted access by an ACL only is
// treated as denied: nothing is read).
// The reads never follow a name twice: one child shell (under `timeout`, 10 s + 1 s per
// batch, so a FIFO swapped in between our stat and its open cannot hold the host) opens, per
// batch of six, each file once on fds 4..9, checks on each descriptor (`stat -L /dev/fd/N`)
// that it is a regular file with the device:inode checked above, else replaces it by
// /dev/null, and then reads only through /dev/fd/N (the same open file on Linux, whatever the
// name points to by then): `head -c 128 -v | od` for the first bytes, `sha256sum`, `grep -F
// -abo -m 1` for the Go magic and `od -j -N` for each Go build info blob. Its text ("F ok|bad ID
// MODE SIZE" per file, then H hex, S sums, B fd length hex per blob, A fd length hex per app
// source, "E blobs-left") is framed as one READ record per batch by the child once the "E" line
// shows the batch finished; it tells the parent on fd 3 how many batches it finished, and the
// parent notes the rest. Bytes counted against the budget before any read: the head, plus the size
// of each file hashed (up to 64 MiB) and grepped (executables of 64 KiB to 256 MiB); when the
// budget is short a file loses its Go grep, then its hash, then its head, with a NOTE and a final
// BUDGET record. Targets and users live in numbered variables (p_1, u_1 ...); commands over many of
// them are built by `eval` from variable references only, never from their values. Nothing found is
// ever executed. It must not contain a single quote: it travels inside '...'. The script is
// src/collect/remote/inspect.sh, the child reader inspect_read.sh (both embedded at build time,
// cmake/remote_scripts.cmake).
constexpr std::string_view body =
#include "remote/inspect.sh.inc"
    ;
constexpr std::string_view reader =
#include "remote/inspect_read.sh.inc"
    ;

// Inside "...": \, ", $ and ` lose their meaning behind a backslash; nothing else has one.
std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\\' || c == '"' || c == '$' || c == '`') {
      out += '\\';
    }
    out += c;
  }
  return out + '"';
}

// The permission rule the collector shares (src/collect/remote/may.sh).
constexpr std::string_view permission_rule =
#include "remote/may.sh.inc"
    ;

// The child reader travels in the variable rd, assigned before the script's own text.
const std::string& script() {
  static const std::string text =
      "rd=" + double_quoted(reader) + "\n" + std::string(permission_rule) + std::string(body);
  return text;
}

} // namespace

std::string_view inspect_script() {
  return script();
}

std::string inspect_command(bool use_sudo, const InspectLimits& limits) {
  return fmt::format("exec {}xargs -0 sh -c '{}' digger-inspect {} {}", use_sudo ? "sudo -n " : "",
                     script(), limits.max_targets, limits.max_blob_bytes);
}

} // namespace digger::collect
