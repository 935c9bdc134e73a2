#include "digger/collect/script.hpp"

#include "digger/collect/remote_paths.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace digger::collect {
namespace {

// Record framing (decoded by decode.cpp): a header line "TYPE COUNT\n" followed by COUNT
// segments, each "LENGTH\nBYTES\n". Lengths are bytes (LC_ALL=C), so any byte in a name or
// file survives; file contents are padded with NUL if the file shrank or vanished while being
// read, so the framing cannot drift. The script must not contain a single quote: it travels
// inside '...'. What it reads and how: docs/collector.md. The script is
// src/collect/remote/collector.sh (embedded at build time, cmake/remote_scripts.cmake); the
// paths it reads come first, as shell variables from collector_paths() (remote_paths.hpp).
//
// Cost (docs/performance.md, "Collector cost"): every process costs the host about 0.7 ms, so
// one GNU `find -printf` lists everything (first record: /etc itself, so an empty output means
// "no GNU find": the portable path runs), small files of root-only directories come in through
// the shell's own `read`, other files through one `dd` each; BusyBox hosts stat and read each
// file with a few small processes.
//
// Read discipline (docs/collector.md, "Read discipline"): a listed entry is opened once, only
// when it is still a regular file and not a link (checked right before), by `dd
// iflag=nofollow,nonblock` (never follows, never blocks on a FIFO; a failed open voids the
// record with an UNREADABLE right after it). Linear: the listing is split once into lines and
// each record parsed from its own line; caps per directory, per host, on the listing's bytes
// and on the time spent reading are reported as UNREADABLE records for the directory.
constexpr std::string_view body =
#include "remote/collector.sh.inc"
    ;
// Functions the collector calls for supervisord at run time (docs/workers.md), put before it.
constexpr std::string_view supervisor_runtime =
#include "remote/supervisor_runtime.sh.inc"
    ;

// The permission rule both remote scripts share (src/collect/remote/may.sh).
constexpr std::string_view permission_rule =
#include "remote/may.sh.inc"
    ;

const std::string& script() {
  static const std::string text = shell_preamble(collector_paths()) + std::string(permission_rule) +
                                  std::string(supervisor_runtime) + std::string(body);
  return text;
}

} // namespace

std::string_view collector_script() {
  return script();
}

namespace {

// `sudo -n` fails at once when a password is needed; `sudo -S -p PROMPT` prints PROMPT on
// stderr and reads the password from stdin (ssh::PromptAnswer), in the C locale so that its
// messages can be recognised. The prompt goes on the command line: only our nonce, never
// the password, and no '%' (sudo's prompt escapes) nor quotes.
std::string sudo_prefix(bool use_sudo, std::string_view password_prompt) {
  if (!use_sudo) {
    return {};
  }
  if (password_prompt.empty()) {
    return "sudo -n ";
  }
  auto prompt_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == ':';
  };
  if (!std::all_of(password_prompt.begin(), password_prompt.end(), prompt_char)) {
    throw std::invalid_argument("sudo prompt must be letters, digits, '-', '_' or ':'");
  }
  return fmt::format("env LC_ALL=C sudo -S -p '{}' ", password_prompt);
}

} // namespace

std::string collector_command(bool use_sudo, const CollectorLimits& limits, ScriptMode mode,
                              std::string_view sudo_prompt) {
  return fmt::format("exec {}sh -c '{}' digger-collect {} {} {}{}",
                     sudo_prefix(use_sudo, sudo_prompt), script(), limits.total_bytes,
                     limits.per_file_bytes, limits.unit_file_bytes,
                     mode == ScriptMode::portable ? " portable" : "");
}

std::string collector_command(bool use_sudo, const CollectorLimits& limits, ScriptMode mode,
                              const HandOver& hand_over, std::string_view sudo_prompt) {
  auto marker_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '@' || c == '-' || c == '_';
  };
  if (hand_over.marker.empty() ||
      !std::all_of(hand_over.marker.begin(), hand_over.marker.end(), marker_char)) {
    throw std::invalid_argument("hand-over marker must be letters, digits, '@', '-' or '_'");
  }
  if (hand_over.inspect_script.empty() ||
      hand_over.inspect_script.find('\'') != std::string_view::npos) {
    throw std::invalid_argument("inspect script must be non-empty without a single quote");
  }
  // $4 is always given here, so that $5..$8 keep their places.
  return fmt::format("exec {}sh -c '{}' digger-collect {} {} {} {} {} '{}' {} {}",
                     sudo_prefix(use_sudo, sudo_prompt), script(), limits.total_bytes,
                     limits.per_file_bytes, limits.unit_file_bytes,
                     mode == ScriptMode::portable ? "portable" : "auto", hand_over.marker,
                     hand_over.inspect_script, hand_over.max_targets, hand_over.max_blob_bytes);
}

std::string with_log_cursors(std::string command, bool hand_over, ScriptMode mode,
                             std::string_view cursors) {
  auto cursor_char = [](char c) {
    return (c >= '0' && c <= '9') || c == ':' || c == '-' || c == ' ';
  };
  if (!std::all_of(cursors.begin(), cursors.end(), cursor_char)) {
    throw std::invalid_argument("log cursors must be digits, ':', '-' and spaces");
  }
  if (cursors.empty()) {
    return command;
  }
  if (!hand_over) {
    command += mode == ScriptMode::portable ? " '' '' '' ''" : " auto '' '' '' ''";
  }
  return fmt::format("{} '{}'", command, cursors);
}

} // namespace digger::collect
