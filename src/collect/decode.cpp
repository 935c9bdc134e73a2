#include "digger/collect/decode.hpp"

#include "digger/collect/script.hpp"

#include <charconv>
#include <optional>
#include <vector>

namespace digger::collect {
namespace {

constexpr std::size_t max_segments_per_record = 16;

class RecordReader {
public:
  explicit RecordReader(std::string_view input) : in_(input) {}

  bool at_end() const { return pos_ >= in_.size(); }

  std::optional<std::string_view> line() {
    auto nl = in_.find('\n', pos_);
    if (nl == std::string_view::npos) {
      return std::nullopt;
    }
    auto text = in_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    return text;
  }

  std::optional<std::size_t> number() {
    auto text = line();
    if (!text || text->empty() || text->size() > 19) {
      return std::nullopt;
    }
    std::size_t value = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || ptr != text->data() + text->size()) {
      return std::nullopt;
    }
    return value;
  }

  // LENGTH\nBYTES\n
  std::optional<std::string_view> segment() {
    auto length = number();
    if (!length || *length > in_.size() - pos_ || in_.size() - pos_ - *length < 1) {
      return std::nullopt;
    }
    auto bytes = in_.substr(pos_, *length);
    pos_ += *length;
    if (in_[pos_] != '\n') {
      return std::nullopt;
    }
    ++pos_;
    return bytes;
  }

private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

bool apply_record(Decoded& out, std::string_view type, const std::vector<std::string_view>& f);

struct Header {
  std::string_view type;
  std::size_t count = 0;
};

std::optional<Header> parse_header(std::string_view text) {
  auto space = text.find(' ');
  if (space == std::string_view::npos || space == 0) {
    return std::nullopt;
  }
  Header header{text.substr(0, space), 0};
  auto digits = text.substr(space + 1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), header.count);
  if (ec != std::errc{} || ptr != digits.data() + digits.size() ||
      header.count > max_segments_per_record) {
    return std::nullopt;
  }
  return header;
}

std::int64_t to_int(std::string_view text, std::int64_t fallback) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && ptr == text.data() + text.size() ? value : fallback;
}

std::uint32_t octal_mode(std::string_view text) {
  std::uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 8);
  return ec == std::errc{} && ptr == text.data() + text.size() ? value : 0;
}

SourceKind kind_of(std::string_view word) {
  if (word == "system") {
    return SourceKind::system_crontab;
  }
  return word == "cron.d" ? SourceKind::cron_d : SourceKind::user_crontab;
}

std::string base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

void apply_fact(HostFacts& facts, std::string_view name, std::string_view value,
                HostSnapshot& snapshot) {
  if (name == "hostname") {
    facts.hostname = value;
  } else if (name == "timezone" && !value.empty()) {
    facts.timezone = value;
  } else if (name == "localtime" && facts.timezone.empty()) {
    auto marker = value.find("zoneinfo/");
    if (marker != std::string_view::npos) {
      facts.timezone = value.substr(marker + 9);
    }
  } else if (name == "os_release") {
    apply_os_release(facts, value);
  } else if (name.starts_with("daemon_") && facts.cron_daemon.empty()) {
    std::string_view which = name.substr(7);
    facts.cron_daemon = which == "crond" ? "cronie" : "vixie";
  } else {
    snapshot.extra_facts.emplace_back(std::string(name), std::string(value));
  }
}

} // namespace

void apply_os_release(HostFacts& facts, std::string_view text) {
  auto unquote = [](std::string_view v) {
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
      v = v.substr(1, v.size() - 2);
    }
    return std::string(v);
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    auto line = text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.starts_with("ID=")) {
      facts.os_id = unquote(line.substr(3));
    } else if (line.starts_with("VERSION_ID=")) {
      facts.os_version = unquote(line.substr(11));
    }
  }
}

Decoded decode_collector_output(std::string_view stdout_bytes) {
  Decoded out;
  auto start = stdout_bytes.find(start_marker);
  if (start == std::string_view::npos) {
    out.error = "collector output has no start marker";
    return out;
  }
  out.started = true;
  RecordReader reader(stdout_bytes.substr(start + start_marker.size()));
  while (!reader.at_end()) {
    auto header_text = reader.line();
    auto header = header_text ? parse_header(*header_text) : std::nullopt;
    if (!header) {
      out.error = "malformed record header";
      return out;
    }
    std::vector<std::string_view> fields;
    for (std::size_t i = 0; i < header->count; ++i) {
      auto field = reader.segment();
      if (!field) {
        out.error = "truncated or malformed record";
        return out;
      }
      fields.push_back(*field);
    }
    if (!apply_record(out, header->type, fields)) {
      out.error = "unexpected record";
      return out;
    }
    if (out.complete) {
      break;
    }
  }
  auto& facts = out.snapshot.facts;
  if (facts.os_id == "alpine" && facts.cron_daemon == "cronie") {
    facts.cron_daemon = "busybox"; // Alpine's /usr/sbin/crond is the BusyBox applet
  }
  if (!out.complete && out.error.empty()) {
    out.error = "output ended before the collector finished";
  }
  return out;
}

namespace {
bool apply_record(Decoded& out, std::string_view type, const std::vector<std::string_view>& f) {
  HostSnapshot& snap = out.snapshot;
  if (type == "FACT" && f.size() == 2) {
    apply_fact(snap.facts, f[0], f[1], snap);
  } else if (type == "FILE" && f.size() == 8) {
    CronSource source;
    source.kind = kind_of(f[0]);
    source.path = f[1];
    source.uid = to_int(f[2], -1);
    source.owner = source.kind == SourceKind::user_crontab ? base_name(f[1]) : std::string(f[3]);
    source.file_owner = f[3];
    source.mode = octal_mode(f[4]);
    source.size = to_int(f[5], 0);
    source.mtime = to_int(f[6], 0);
    source.content = f[7];
    source.truncated = static_cast<std::int64_t>(source.content.size()) < source.size;
    snap.sources.push_back(std::move(source));
  } else if (type == "LINK" && f.size() == 3) {
    snap.skipped.push_back({kind_of(f[0]), std::string(f[1]),
                            "symbolic link to " + std::string(f[2]) + " (not followed)"});
  } else if (type == "SPECIAL" && f.size() == 2) {
    snap.skipped.push_back({kind_of(f[0]), std::string(f[1]), "not a regular file"});
  } else if (type == "UNREADABLE" && f.size() == 3) {
    snap.unreadable.push_back({kind_of(f[0]), std::string(f[1]), std::string(f[2])});
  } else if (type == "END" && f.size() == 1) {
    snap.script_exit_status = static_cast<int>(to_int(f[0], -1));
    out.complete = true;
  } else {
    return false;
  }
  return true;
}
} // namespace

} // namespace digger::collect
