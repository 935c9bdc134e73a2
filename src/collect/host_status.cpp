#include "digger/collect/host_status.hpp"

#include <fmt/format.h>

namespace digger::collect {
namespace {

bool contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

std::string list_paths(const std::vector<PathNote>& notes) {
  std::string out;
  for (std::size_t i = 0; i < notes.size() && i < 5; ++i) {
    out += (i ? ", " : "") + one_line(notes[i].path, 80);
    if (notes[i].reason != "permission denied") { // a cap, a file changed under the collector
      out += " (" + one_line(notes[i].reason, 80) + ")";
    }
  }
  if (notes.size() > 5) {
    out += fmt::format(" and {} more", notes.size() - 5);
  }
  return out;
}

std::string list_truncated(const std::vector<CronSource>& sources) {
  std::string out;
  for (const auto& s : sources) {
    if (s.truncated) {
      out += fmt::format("{}{} ({} of {} bytes read)", out.empty() ? "" : ", ",
                         one_line(s.path, 80), s.content.size(), s.size);
    }
  }
  return out;
}

// Why sudo did not start the collector, from its messages (the C locale: LC_ALL=C is set for
// the password path; sudo -n messages are matched in English too).
std::string sudo_refusal(std::string_view err) {
  if (contains(err, "incorrect password attempt") || contains(err, "Sorry, try again")) {
    return "sudo: wrong password";
  }
  if (contains(err, "must have a tty")) {
    return "sudo requires a tty (Defaults requiretty on the host)";
  }
  if (contains(err, "a password is required")) {
    return "sudo requires a password (give --sudo-password-file, --sudo-password-env or -K)";
  }
  if (contains(err, "no password was provided")) {
    return "sudo: no password was provided";
  }
  if (contains(err, "not in the sudoers file") || contains(err, "is not allowed to execute") ||
      contains(err, "may not run sudo")) {
    return "sudo: the login may not run the collector as root: " + one_line(err);
  }
  if (contains(err, "sudo: not found") || contains(err, "sudo: command not found") ||
      contains(err, "env: 'sudo': No such file")) {
    return "sudo is not installed";
  }
  return "sudo refused: " + one_line(err);
}

} // namespace

std::string one_line(std::string_view text, std::size_t limit) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n' || out.size() >= limit) {
      break;
    }
    out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
  }
  return out;
}

HostVerdict judge_collection(const Decoded& decoded, std::string_view remote_stderr,
                             bool stdout_truncated) {
  if (!decoded.started) {
    if (contains(remote_stderr, "sudo")) {
      return {"permission-denied", sudo_refusal(remote_stderr)};
    }
    return {"protocol-error",
            "no collector output" +
                (remote_stderr.empty() ? std::string() : ": " + one_line(remote_stderr))};
  }
  if (!decoded.complete) {
    if (stdout_truncated) {
      return {"partial", "output bound reached before the collector finished"};
    }
    return {"protocol-error", decoded.error};
  }
  const auto& snap = decoded.snapshot;
  if (!snap.unreadable.empty()) {
    if (snap.sources.empty()) {
      return {"permission-denied", "cannot read " + list_paths(snap.unreadable)};
    }
    return {"partial", "unreadable: " + list_paths(snap.unreadable)};
  }
  if (auto truncated = list_truncated(snap.sources); !truncated.empty()) {
    return {"partial", "truncated: " + truncated};
  }
  return {"ok", ""};
}

} // namespace digger::collect
