#pragma once

#include "digger/command/laravel_schedule.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace digger::command {

// What the second round trip learned about one target program on a host (see
// docs/hidden-batches.md). Every string came from the host: any bytes, bounded by the collector.
struct ProgramFacts {
  std::string path;          // absolute, exactly as asked
  bool exists = false;       // false: missing (a dead job) or not inspected (see `error`)
  std::string type;          // "file", "directory", "other"; "" when missing
  std::string resolved_path; // when `path` is a symlink: where it points (readlink -f)
  std::int64_t size = -1;
  std::uint32_t mode = 0; // permission bits (07777)
  std::int64_t uid = -1, gid = -1;
  std::string owner; // user name of uid, "" when unknown
  std::int64_t mtime = 0;
  std::string sha256;         // hex; "" when not hashed (over the byte bound, unreadable)
  std::string head;           // what tells the language: shebang line, ELF ident, "<?php", "PK"
  bool elf = false;           // head starts with "\x7fELF"
  std::string go_version;     // from Go build info ("go1.19.8"), "" when not a Go binary
  std::string go_module;      // the main module path from Go build info
  std::uint32_t dir_mode = 0; // the directory holding the (resolved) target
  std::int64_t dir_uid = -1, dir_gid = -1;
  // Run-as users of its jobs that the host said cannot read the file themselves (mode bits
  // and search permission on every directory): their jobs get "target-unreadable-by-owner".
  // Not stored in the catalog's programs table (the entries carry the flag).
  std::vector<std::string> unreadable_by;
  std::string error; // "permission denied", "not inspected: 256 targets per host", ...
  // An application source file (InspectionTarget::app_source): the tasks read from its first
  // bytes (never the bytes themselves), and how many bytes were read.
  std::optional<LaravelSchedule> laravel;
  std::int64_t bytes_read = 0;

  friend bool operator==(const ProgramFacts&, const ProgramFacts&) = default;
};

} // namespace digger::command
