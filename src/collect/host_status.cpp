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
      return {"permission-denied", "sudo -n refused: " + one_line(remote_stderr)};
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
