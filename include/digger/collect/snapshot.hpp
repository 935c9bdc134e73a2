#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace digger::collect {

// What kind of cron file a collected path is; decides how it is parsed.
enum class SourceKind { user_crontab, system_crontab, cron_d };

// One file read from a host by the collector script, before parsing.
struct CronSource {
  std::string path;  // exactly as on the host (any bytes)
  SourceKind kind = SourceKind::user_crontab;
  std::string owner; // user crontab: the file name; system: the file's owning account
  std::uint32_t mode = 0;
  std::int64_t mtime = 0; // seconds since the epoch
  std::int64_t size = 0;  // on the host; content may be shorter when truncated
  std::string content;
  bool truncated = false;
  bool loaded_by_daemon = true; // false for dotfiles, backups, names cron skips
  std::string not_loaded_reason;
  std::string read_error; // non-empty when the file could not be read (permission, ...)
};

struct HostFacts {
  std::string hostname;
  std::string os_id;
  std::string os_version;
  std::string timezone;
  std::string cron_daemon; // cronie, cron (Vixie/Debian), busybox, unknown
};

// Everything the collector brought back from one host.
struct HostSnapshot {
  HostFacts facts;
  std::vector<CronSource> sources;
  std::vector<std::string> unreadable; // paths the login could not read
  std::string remote_stderr;           // bounded
  bool output_truncated = false;
  std::optional<int> script_exit_status; // from the sentinel record; absent = incomplete
};

} // namespace digger::collect
