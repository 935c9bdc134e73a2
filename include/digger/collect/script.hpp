#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace digger::collect {

// The collector: one fixed, read-only POSIX sh script, the same for every host. Nothing that
// came from a host is ever put into it; the only parameters are our own byte budgets.
std::string_view collector_script();

struct CollectorLimits {
  std::size_t total_bytes = 16u << 20;     // all file contents of one host together
  std::size_t per_file_bytes = 4u << 20;   // one file; the rest is counted but not sent
  std::size_t unit_file_bytes = 64u << 10; // a run-parts script or a systemd unit file
};

// automatic: GNU find/dd when the host has them (fewest processes), else the portable path.
// portable: always the portable path (tests of hosts without GNU tools).
enum class ScriptMode { automatic, portable };

// The exec request sent to the host: the script under `sh -c`, behind `sudo -n` when the
// login is not root. The login shell must be POSIX-like (sh, bash, dash, ksh, zsh).
// With `sudo_prompt` (a per-scan nonce: letters, digits, '-', '_', ':'), sudo asks for a
// password instead: `sudo -S -p PROMPT`, answered on stdin (ssh::PromptAnswer).
std::string collector_command(bool use_sudo, const CollectorLimits& limits,
                              ScriptMode mode = ScriptMode::automatic,
                              std::string_view sudo_prompt = {});

// The inspection that the collector's own shell starts after its output (one exec per host,
// not two): it prints `marker` on a line of its own, then runs `xargs -0 -r sh -c SCRIPT
// digger-inspect MAX BLOBS` on the NUL-terminated paths the client sends on its stdin
// (ssh::FollowUp). Nothing from a host is in it either: the marker is our per-scan nonce.
struct HandOver {
  std::string_view marker;         // letters, digits, '@', '-', '_' only
  std::string_view inspect_script; // collect::inspect_script()
  std::size_t max_targets = 256;
  std::size_t max_blob_bytes = 4u << 20;
};
// Throws std::invalid_argument for a marker or script that cannot travel on the command line.
std::string collector_command(bool use_sudo, const CollectorLimits& limits, ScriptMode mode,
                              const HandOver& hand_over, std::string_view sudo_prompt = {});

// The command with the run-evidence cursors as the script's $9 (docs/evidence.md):
// `cursors` is collect::log_cursor_argument's "DEV:INODE:OFFSET" or "-" words (digits, ':',
// '-' and spaces only; anything else throws std::invalid_argument). `hand_over`: the command
// was built with a HandOver (its $4..$8 are there); otherwise they are filled in empty.
std::string with_log_cursors(std::string command, bool hand_over, ScriptMode mode,
                             std::string_view cursors);

// The first line the script prints: anything before it (shell rc noise) is skipped.
inline constexpr std::string_view start_marker = "@@digger-collect@@ 1\n";

} // namespace digger::collect
