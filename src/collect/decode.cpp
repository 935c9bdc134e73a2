#include "digger/collect/decode.hpp"

#include "digger/collect/framing.hpp"
#include "digger/collect/packages.hpp"
#include "digger/collect/script.hpp"
#include "digger/collect/source_table.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <vector>

namespace digger::collect {
namespace {

// No daemon binary found (a container, cron not installed yet, a non-standard path): the
// distribution's own cron decides how its files would be read once it runs.
std::string daemon_of_distribution(std::string_view os_id) {
  static constexpr std::array<std::string_view, 5> debian_family = {"debian", "ubuntu", "raspbian",
                                                                    "linuxmint", "devuan"};
  static constexpr std::array<std::string_view, 7> redhat_family = {
      "rhel", "centos", "rocky", "almalinux", "fedora", "amzn", "ol"};
  if (std::find(debian_family.begin(), debian_family.end(), os_id) != debian_family.end()) {
    return "vixie";
  }
  if (std::find(redhat_family.begin(), redhat_family.end(), os_id) != redhat_family.end()) {
    return "cronie";
  }
  return "";
}

bool apply_record(Decoded& out, std::string_view type, const std::vector<std::string_view>& f,
                  std::vector<std::pair<std::string_view, std::string_view>>& packages);

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

// The source table's row for the collector's word; an unknown word reads as a user crontab
// (the strictest grammar, no user column), and so does the word of a source the collector
// never lists (its files come from the inspection only).
SourceKind kind_of(std::string_view word) {
  const SourceSpec* spec = source_spec_for_wire(word);
  return spec && spec->expansion != Expansion::inspected ? spec->kind : SourceKind::user_crontab;
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
  } else if ((name == "daemon_crond" || name == "daemon_cron") && facts.cron_daemon.empty()) {
    facts.cron_daemon = name == "daemon_crond" ? "cronie" : "vixie";
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
  std::vector<std::pair<std::string_view, std::string_view>> packages; // (tool, raw output)
  while (!reader.at_end()) {
    std::string_view error;
    auto record = reader.next(error);
    if (!record) {
      out.error = error;
      break;
    }
    if (!apply_record(out, record->type, record->fields, packages)) {
      out.error = "unexpected record";
      break;
    }
    if (out.complete) {
      break;
    }
  }
  for (const auto& [tool, raw] : packages) {
    auto owners = tool == "rpm" ? rpm_owners(raw, out.snapshot.sources)
                                : dpkg_owners(raw, out.snapshot.sources);
    for (auto& owner : owners) {
      out.snapshot.package_owners.push_back(std::move(owner));
    }
  }
  auto& facts = out.snapshot.facts;
  if (facts.os_id == "alpine" && facts.cron_daemon == "cronie") {
    facts.cron_daemon = "busybox"; // Alpine's /usr/sbin/crond is the BusyBox applet
  }
  if (facts.cron_daemon.empty()) {
    facts.cron_daemon = daemon_of_distribution(facts.os_id);
  }
  if (!out.complete && out.error.empty()) {
    out.error = "output ended before the collector finished";
  }
  return out;
}

namespace {

// "php\nartisan\nqueue:work": the collector made /proc/PID/cmdline's NULs newlines.
std::vector<std::string> split_argv(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto end = text.find('\n');
    out.emplace_back(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  return out;
}

// A later record for the same path voids the read (the file changed while read).
void decode_supervisor_log(const std::vector<std::string_view>& f, HostSnapshot& snap) {
  SupervisorLogRead log{std::string(f[0]), std::string(f[1]), to_int(f[2], 0), std::string(f[3])};
  if (!snap.supervisor_logs.empty() && snap.supervisor_logs.back().path == log.path) {
    snap.supervisor_logs.back() = std::move(log);
    return;
  }
  snap.supervisor_logs.push_back(std::move(log));
}

bool apply_record(Decoded& out, std::string_view type, const std::vector<std::string_view>& f,
                  std::vector<std::pair<std::string_view, std::string_view>>& packages) {
  HostSnapshot& snap = out.snapshot;
  if (type == "FACT" && f.size() == 2) {
    apply_fact(snap.facts, f[0], f[1], snap);
  } else if (type == "FILE" && f.size() == 8) {
    CronSource source;
    source.kind = kind_of(f[0]);
    source.path = f[1];
    source.uid = to_int(f[2], -1);
    // cron's rule: a spool crontab belongs to the user it is named after.
    source.owner = source_spec(source.kind).flavour == CrontabFlavour::user ? base_name(f[1])
                                                                            : std::string(f[3]);
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
    // Right after the FILE of the same path it voids that record: the file changed between
    // the listing and its one open (a FIFO or a link swapped in), so its bytes are not its own.
    auto kind = kind_of(f[0]);
    if (!snap.sources.empty() && snap.sources.back().path == f[1] &&
        snap.sources.back().kind == kind) {
      snap.sources.pop_back();
    }
    snap.unreadable.push_back({kind, std::string(f[1]), std::string(f[2])});
  } else if (type == "WANTS" && f.size() == 2) {
    snap.enabled_units.push_back({std::string(f[0]), std::string(f[1])});
  } else if (type == "PKGS" && f.size() == 2) {
    packages.emplace_back(f[0], f[1]);
  } else if (type == "CLOG" && f.size() == 8) {
    LogRead log;
    log.path = f[0];
    log.rotated = f[1] == "rotated";
    log.device = to_int(f[2], 0);
    log.inode = to_int(f[3], 0);
    log.size = to_int(f[4], 0);
    log.mtime = to_int(f[5], 0);
    log.from = to_int(f[6], 0);
    log.bytes = f[7];
    snap.logs.push_back(std::move(log));
  } else if (type == "CJOURNAL" && f.size() == 1) {
    snap.journal = std::string(f[0]);
  } else if (type == "CLOGNOTE" && f.size() == 2) {
    snap.log_notes.emplace_back(std::string(f[0]), std::string(f[1]));
  } else if (type == "CMAIL" && f.size() == 5) {
    snap.mails.push_back(
        {std::string(f[0]), to_int(f[1], 0), to_int(f[2], 0), to_int(f[3], 0), std::string(f[4])});
  } else if (type == "CMAILNOTE" && f.size() == 2) {
    snap.mail_notes.emplace_back(std::string(f[0]), std::string(f[1]));
  } else if (type == "SVLOG" && f.size() == 4) {
    decode_supervisor_log(f, snap);
  } else if (type == "SVPROC" && f.size() == 3) {
    snap.supervisord_processes.push_back({to_int(f[0], 0), std::string(f[1]), split_argv(f[2])});
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
