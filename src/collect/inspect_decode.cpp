// Decoding the inspect script's records into ProgramFacts (pure; any bytes in).
#include "digger/collect/framing.hpp"
#include "digger/collect/go_build_info.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/inspect_read.hpp"
#include "digger/collect/pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

namespace digger::collect {
namespace {

constexpr std::size_t max_batch = 6, max_users = 64;
constexpr std::uint32_t type_mask = 0170000, regular = 0100000, directory = 0040000;

template <typename T>
bool parse_number(std::string_view text, T& value, int base = 10) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

struct StatLine {
  std::uint32_t raw_mode = 0;
  std::int64_t uid = -1, gid = -1, size = -1, mtime = 0;
  std::string identity; // "DEV:INO"
  std::string owner;
  bool ok = false;
};

// "81ed 0 0 1819308 1795632544 65024:733 root" (stat -c "%f %u %g %s %Y %d:%i %U")
StatLine parse_stat(std::string_view line) {
  StatLine stat;
  auto w = split_words(line);
  if (w.size() < 3 || !parse_number(w[0], stat.raw_mode, 16) || !parse_number(w[1], stat.uid) ||
      !parse_number(w[2], stat.gid)) {
    return stat;
  }
  stat.ok = true;
  if (w.size() >= 5) {
    parse_number(w[3], stat.size);
    parse_number(w[4], stat.mtime);
  }
  if (w.size() >= 7) {
    stat.identity = std::string(w[5]);
    stat.owner = std::string(w[6]);
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

void add_error(command::ProgramFacts& facts, std::string_view text) {
  facts.error += facts.error.empty() ? std::string(text) : "; " + std::string(text);
}

// Returns the file's DEV:INO ("" when unknown).
std::string apply_stat(command::ProgramFacts& facts, std::string_view lines) {
  auto nl = lines.find('\n');
  auto file = parse_stat(lines.substr(0, nl));
  if (!file.ok) {
    add_error(facts, "stat failed");
    return "";
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
  return file.identity;
}

bool is_hex_digest(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void apply_go(command::ProgramFacts& facts, std::string_view blob) {
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

class Collector {
public:
  explicit Collector(InspectDecoded& out) : out_(out) {}

  // false: not a record of ours
  bool apply(std::string_view type, const std::vector<std::string_view>& f) {
    if (type == "END" && f.size() == 1) {
      out_.complete = true;
      return true;
    }
    if (type == "BUDGET" && f.size() == 1) {
      out_.budget_hit = true;
      return true;
    }
    if (type == "READ" && f.size() >= 2 && f.size() <= max_batch + 1) {
      return apply_read(f);
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
      identity_[std::string(f[0])] = apply_stat(p, f[2]);
    } else if (type == "NOTE" && f.size() == 2) {
      add_error(facts(f[0]), f[1].substr(0, 300));
    } else if (type == "DENIED" && f.size() == 2) {
      auto& users = facts(f[0]).unreadable_by;
      if (users.size() < max_users && f[1].size() <= 64 &&
          std::find(users.begin(), users.end(), f[1]) == users.end()) {
        users.emplace_back(f[1]);
      }
    } else {
      return false;
    }
    return true;
  }

private:
  bool apply_read(const std::vector<std::string_view>& f) {
    std::vector<std::string> ids;
    for (std::size_t i = 0; i + 1 < f.size(); ++i) {
      auto it = identity_.find(f[i]);
      ids.push_back(it == identity_.end() ? std::string() : it->second);
    }
    auto batch = parse_read(f.back(), ids);
    if (!batch) {
      for (std::size_t i = 0; i + 1 < f.size(); ++i) {
        add_error(facts(f[i]), "not read: the read did not finish");
      }
      return true;
    }
    // Heads: every file the child opened is in `head -v`'s output, in order.
    std::vector<PendingHead> pending;
    std::vector<std::size_t> owners;
    static constexpr std::string_view fd_names[] = {"/dev/fd/4", "/dev/fd/5", "/dev/fd/6",
                                                    "/dev/fd/7", "/dev/fd/8", "/dev/fd/9"};
    for (std::size_t i = 0; i < batch->files.size(); ++i) {
      if (batch->files[i].opened) {
        pending.push_back({fd_names[i], static_cast<std::size_t>(std::min<std::int64_t>(
                                            batch->files[i].size, max_head_bytes))});
        owners.push_back(i);
      }
    }
    auto bytes = from_od_hex(batch->head_hex);
    auto heads = bytes ? split_batched_heads(*bytes, pending) : std::vector<std::string_view>{};
    for (std::size_t i = 0; i < owners.size(); ++i) {
      const auto& file = batch->files[owners[i]];
      auto& p = facts(f[owners[i]]);
      if (!file.usable) {
        add_error(p, "not read: the file changed during the inspection");
      } else if (i < heads.size()) {
        p.elf = heads[i].starts_with("\x7f"
                                     "ELF");
        p.head = language_head(heads[i]);
      } else {
        add_error(p, "head not read: the file changed during the inspection");
      }
    }
    for (std::size_t i = batch->files.size(); i + 1 < f.size(); ++i) {
      add_error(facts(f[i]), "not read: the file changed during the inspection");
    }
    for (const auto& [index, digest] : batch->sums) {
      if (batch->files[index].usable && is_hex_digest(digest)) {
        facts(f[index]).sha256 = digest;
      }
    }
    for (const auto& [index, hex] : batch->blobs) {
      auto blob = from_od_hex(hex);
      if (batch->files[index].usable && blob) {
        apply_go(facts(f[index]), *blob);
      }
    }
    // An application source: only its tasks are kept (and the digest of what was read).
    for (const auto& [index, hex] : batch->app_files) {
      auto source = from_od_hex(hex);
      if (batch->files[index].usable && source && source->size() <= max_app_source_bytes) {
        auto& p = facts(f[index]);
        p.laravel = command::read_laravel_schedule(*source);
        p.bytes_read = static_cast<std::int64_t>(source->size());
        p.sha256 = sha256_hex(*source);
      }
    }
    return true;
  }

  command::ProgramFacts& facts(std::string_view path) {
    auto [it, added] = index_.emplace(std::string(path), out_.programs.size());
    if (added) {
      out_.programs.emplace_back();
      out_.programs.back().path = path;
    }
    return out_.programs[it->second];
  }

  InspectDecoded& out_;
  std::map<std::string, std::size_t, std::less<>> index_;
  std::map<std::string, std::string, std::less<>> identity_; // path -> DEV:INO from PROG
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
    if (decoded.budget_hit) {
      notes.push_back("read budget hit: some programs not read or not hashed");
    }
  } else {
    notes.push_back(fmt::format("inspection failed: {}", failure));
  }
  std::map<std::string_view, const command::ProgramFacts*> reported;
  for (const auto& facts : decoded.programs) {
    reported.emplace(facts.path, &facts);
  }
  // Application source files are kept apart: they are not programs any job runs.
  // So are the files the jobs' output goes to: only their mtime is used, never stored.
  auto keep = [&](command::ProgramFacts facts) {
    (plan.app_paths.contains(facts.path)      ? snapshot.app_sources
     : plan.output_paths.contains(facts.path) ? snapshot.output_files
                                              : snapshot.programs)
        .push_back(std::move(facts));
  };
  for (const auto& path : plan.paths) {
    if (auto it = reported.find(path); it != reported.end()) {
      keep(*it->second);
      continue;
    }
    command::ProgramFacts facts;
    facts.path = path;
    facts.error = failure.empty() ? "not reported by the host" : "not inspected: inspection failed";
    keep(std::move(facts));
  }
  for (const auto& path : plan.over_bound) {
    command::ProgramFacts facts;
    facts.path = path;
    facts.error = "not inspected: over the per-host bound";
    keep(std::move(facts));
  }
  for (const auto& [path, why] : plan.rejected) {
    command::ProgramFacts facts;
    facts.path = path;
    facts.error = "not inspected: " + why;
    keep(std::move(facts));
  }
  std::string note;
  for (const auto& text : notes) {
    note += note.empty() ? text : "; " + text;
  }
  snapshot.inspection_note = note;
}

} // namespace digger::collect
