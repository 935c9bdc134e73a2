// Decoding the inspect script's records into ProgramFacts (pure; any bytes in).
#include "digger/collect/framing.hpp"
#include "digger/collect/go_build_info.hpp"
#include "digger/collect/inspect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

namespace digger::collect {
namespace {

constexpr std::size_t max_head_bytes = 256;
constexpr std::uint32_t type_mask = 0170000, regular = 0100000, directory = 0040000;

struct StatLine {
  std::uint32_t raw_mode = 0;
  std::int64_t uid = -1, gid = -1, size = -1, mtime = 0;
  std::string owner;
  bool ok = false;
};

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < line.size() && out.size() < 8) {
    auto start = line.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) {
      break;
    }
    auto end = line.find(' ', start);
    out.push_back(line.substr(start, end == std::string_view::npos ? end : end - start));
    pos = end == std::string_view::npos ? line.size() : end;
  }
  return out;
}

template <typename T>
bool parse_number(std::string_view text, T& value, int base = 10) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

// "81ed 0 0 1819308 1795632544 root" (stat -c "%f %u %g %s %Y %U")
StatLine parse_stat(std::string_view line) {
  StatLine stat;
  auto w = words(line);
  if (w.size() < 3 || !parse_number(w[0], stat.raw_mode, 16) || !parse_number(w[1], stat.uid) ||
      !parse_number(w[2], stat.gid)) {
    return stat;
  }
  stat.ok = true;
  if (w.size() >= 5) {
    parse_number(w[3], stat.size);
    parse_number(w[4], stat.mtime);
  }
  if (w.size() >= 6) {
    stat.owner = std::string(w[5]);
  }
  return stat;
}

std::string type_of(std::uint32_t raw_mode) {
  switch (raw_mode & type_mask) {
  case regular:
    return "file";
  case directory:
    return "directory";
  default:
    return "other";
  }
}

void add_error(cron::ProgramFacts& facts, std::string_view text) {
  facts.error += facts.error.empty() ? std::string(text) : "; " + std::string(text);
}

void apply_stat(cron::ProgramFacts& facts, std::string_view lines) {
  auto nl = lines.find('\n');
  auto file = parse_stat(lines.substr(0, nl));
  if (!file.ok) {
    add_error(facts, "stat failed");
    return;
  }
  facts.type = type_of(file.raw_mode);
  facts.mode = file.raw_mode & 07777;
  facts.uid = file.uid;
  facts.gid = file.gid;
  facts.size = file.size;
  facts.mtime = file.mtime;
  facts.owner = file.owner == "UNKNOWN" ? "" : file.owner;
  if (nl != std::string_view::npos) {
    auto dir = parse_stat(lines.substr(nl + 1, lines.find('\n', nl + 1) - nl - 1));
    if (dir.ok) {
      facts.dir_mode = dir.raw_mode & 07777;
      facts.dir_uid = dir.uid;
      facts.dir_gid = dir.gid;
    }
  }
}

bool is_hex_digest(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void apply_go(cron::ProgramFacts& facts, std::string_view blob) {
  auto info = parse_go_build_info(blob);
  if (!info.found) {
    return;
  }
  facts.go_version = info.version.empty() ? "unknown" : info.version;
  facts.go_module = info.main_module.empty() ? info.main_path : info.main_module;
  if (!info.note.empty()) {
    add_error(facts, info.note);
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// `od -An -v -tx1` text back to bytes: hex pairs between blanks; anything else fails.
std::optional<std::string> from_od_hex(std::string_view text) {
  std::string bytes;
  bytes.reserve(text.size() / 3 + 1);
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\n') {
      ++i;
      continue;
    }
    if (i + 1 >= text.size()) {
      return std::nullopt;
    }
    int high = hex_digit(text[i]), low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    bytes.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return bytes;
}

struct PendingHead {
  std::string_view path;
  std::size_t bytes = 0;
};

// `head -c 256 -v -- f1 f2 ...` wrote "==> f1 <==\n" HEAD1 "\n==> f2 <==\n" HEAD2 ...; every
// length is known from the declarations. A file's bytes count only once the next header (or the
// exact end) sits right where its length says: a file that changed size in between, or a header
// head never wrote, can then never hand one file's bytes to another. Returns the verified heads
// in order (fewer than declared when the layout broke).
std::vector<std::string_view> split_batched_heads(std::string_view all,
                                                  const std::vector<PendingHead>& files) {
  std::vector<std::string_view> heads;
  std::size_t pos = 0;
  auto header_at = [&](std::size_t i) {
    std::string header = fmt::format("{}==> {} <==\n", i == 0 ? "" : "\n", files[i].path);
    if (all.substr(pos).starts_with(header)) {
      pos += header.size();
      return true;
    }
    return false;
  };
  if (files.empty() || !header_at(0)) {
    return heads;
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (all.size() - pos < files[i].bytes) {
      break;
    }
    auto head = all.substr(pos, files[i].bytes);
    pos += files[i].bytes;
    bool last = i + 1 == files.size();
    if (last ? pos != all.size() : !header_at(i + 1)) {
      break;
    }
    heads.push_back(head);
  }
  return heads;
}

class Collector {
public:
  explicit Collector(InspectDecoded& out) : out_(out) {}

  // false: not a record of ours
  bool apply(std::string_view type, const std::vector<std::string_view>& f) {
    if (type == "END" && f.size() == 1) {
      out_.complete = true;
      return true;
    }
    if (type == "HEADS" && f.size() == 1) {
      apply_batched_heads(f[0]);
      return true;
    }
    if (f.empty() || f[0].empty() || f[0].size() > 4096) {
      return false;
    }
    if (type == "MISSING" && f.size() == 1) {
      facts(f[0]).exists = false;
    } else if (type == "PROG" && f.size() == 3) {
      auto& p = facts(f[0]);
      p.exists = true;
      p.resolved_path = f[1];
      apply_stat(p, f[2]);
    } else if (type == "NOTE" && f.size() == 2) {
      add_error(facts(f[0]), f[1].substr(0, 300));
    } else if (type == "HASH" && f.size() == 2) {
      if (is_hex_digest(f[1])) {
        facts(f[0]).sha256 = f[1];
      }
    } else if (type == "HEAD" && f.size() == 2) {
      set_head(facts(f[0]), f[1]);
    } else if (type == "HEADN" && f.size() == 2) {
      std::size_t bytes = 0;
      if (!parse_number(f[1], bytes) || bytes > max_head_bytes ||
          pending_.size() >= max_pending_heads) {
        return false;
      }
      pending_.push_back({f[0], bytes});
    } else if (type == "GOBI" && f.size() == 2) {
      apply_go(facts(f[0]), f[1]);
    } else {
      return false;
    }
    return true;
  }

  // A new run of the script (xargs split the list): declarations do not carry over.
  void start_run() { pending_.clear(); }

private:
  static constexpr std::size_t max_pending_heads = 1u << 16;

  void apply_batched_heads(std::string_view hex) {
    auto bytes = from_od_hex(hex);
    auto heads = bytes ? split_batched_heads(*bytes, pending_) : std::vector<std::string_view>{};
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      auto& p = facts(pending_[i].path);
      if (i < heads.size()) {
        set_head(p, heads[i]);
      } else {
        add_error(p, "head not read: the file changed during the inspection");
      }
    }
    pending_.clear();
  }

  static void set_head(cron::ProgramFacts& p, std::string_view head) {
    p.head = head.substr(0, max_head_bytes);
    p.elf = p.head.starts_with("\x7f"
                               "ELF");
  }

  cron::ProgramFacts& facts(std::string_view path) {
    auto [it, added] = index_.emplace(std::string(path), out_.programs.size());
    if (added) {
      out_.programs.emplace_back();
      out_.programs.back().path = path;
    }
    return out_.programs[it->second];
  }

  InspectDecoded& out_;
  std::vector<PendingHead> pending_; // HEADN declarations awaiting their HEADS record
  std::map<std::string, std::size_t, std::less<>> index_;
};

} // namespace

InspectDecoded decode_inspection_output(std::string_view stdout_bytes) {
  InspectDecoded out;
  Collector collector(out);
  // xargs may split a long list over several runs: each starts with the marker.
  std::size_t from = 0;
  for (;;) {
    auto start = stdout_bytes.find(inspect_start_marker, from);
    if (start == std::string_view::npos) {
      break;
    }
    out.started = true;
    out.complete = false;
    collector.start_run();
    auto rest = stdout_bytes.substr(start + inspect_start_marker.size());
    RecordReader reader(rest);
    while (!reader.at_end() && !out.complete) {
      std::string_view error;
      auto record = reader.next(error);
      if (!record) {
        out.error = error;
        return out;
      }
      if (!collector.apply(record->type, record->fields)) {
        out.error = "unexpected record";
        return out;
      }
    }
    from = start + inspect_start_marker.size() + reader.position();
  }
  if (!out.started) {
    out.error = "inspect output has no start marker";
  } else if (!out.complete) {
    out.error = "output ended before the inspection finished";
  }
  return out;
}

void apply_inspection(HostSnapshot& snapshot, const InspectionPlan& plan,
                      std::string_view inspect_stdout, std::string_view failure) {
  std::vector<std::string> notes;
  if (!plan.note.empty()) {
    notes.push_back(plan.note);
  }
  InspectDecoded decoded;
  if (plan.paths.empty()) {
    // nothing was sent
  } else if (failure.empty()) {
    decoded = decode_inspection_output(inspect_stdout);
    if (!decoded.error.empty()) {
      notes.push_back(fmt::format("inspection output incomplete: {}", decoded.error));
    }
  } else {
    notes.push_back(fmt::format("inspection failed: {}", failure));
  }
  std::map<std::string_view, const cron::ProgramFacts*> reported;
  for (const auto& facts : decoded.programs) {
    reported.emplace(facts.path, &facts);
  }
  for (const auto& path : plan.paths) {
    if (auto it = reported.find(path); it != reported.end()) {
      snapshot.programs.push_back(*it->second);
      continue;
    }
    cron::ProgramFacts facts;
    facts.path = path;
    facts.error = failure.empty() ? "not reported by the host" : "not inspected: inspection failed";
    snapshot.programs.push_back(std::move(facts));
  }
  for (const auto& path : plan.over_bound) {
    cron::ProgramFacts facts;
    facts.path = path;
    facts.error = "not inspected: over the per-host bound";
    snapshot.programs.push_back(std::move(facts));
  }
  for (const auto& [path, why] : plan.rejected) {
    cron::ProgramFacts facts;
    facts.path = path;
    facts.error = "not inspected: " + why;
    snapshot.programs.push_back(std::move(facts));
  }
  std::string note;
  for (const auto& text : notes) {
    note += note.empty() ? text : "; " + text;
  }
  snapshot.inspection_note = note;
}

} // namespace digger::collect
