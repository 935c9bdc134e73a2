#pragma once

// What one scan of the catalog holds, read into memory once so every report format and the
// diff work on plain structs (and tests can build them by hand, without SQLite).

#include "digger/catalog/records.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace digger::report {

// One host's result in the scan. Strings from the host are raw bytes: renderers escape them.
struct HostRow {
  std::string name;
  int port = 22;
  std::map<std::string, std::string> labels;
  std::string status = "ok"; // ok, partial, unreachable, timeout, ...
  std::string reason;
  std::string timezone; // the host's zone as it reported it; "" if unknown
  std::string os;       // "debian 12"
  std::int64_t jobs = 0;
  std::vector<std::string> unreadable_paths; // files or directories the login could not read
  bool scanned() const { return status == "ok" || status == "partial"; }
};

// The schedule part of a job, with what the report computes from it.
struct ScheduleInfo {
  std::string raw;        // as written: "*/5 * * * *" or "@daily"
  std::string normalized; // equal for schedules that fire identically
  std::string cron_tz;    // CRON_TZ in effect; "" = the host's zone
  std::string description;
  std::string next_run; // ISO 8601 wall time with offset; "" for @reboot or never
  std::string zone;     // the zone next_run was computed in
};

struct JobRow {
  std::size_t host = 0; // index into Snapshot::hosts
  std::string owner;
  ScheduleInfo schedule;
  std::string command;
  std::string language; // "unknown" when unclassified
  std::string evidence;
  std::string target;
  std::string file;
  int line = 0;
  std::string source_kind; // user, system, cron.d
  bool loaded_by_daemon = true;
  std::string fingerprint;
  std::int64_t same_job_hosts = 1; // hosts of the scan that run this fingerprint
};

struct Snapshot {
  catalog::ScanSummary scan;
  std::vector<HostRow> hosts; // sorted by name, then port
  std::vector<JobRow> jobs;   // sorted by host, file, line
};

// The instant the report computes next runs from: the scan's finished_at (its started_at if it
// never finished), so two reports on one catalog agree whatever the clock says.
std::string reference_time(const catalog::ScanSummary& scan);

// Fills schedule.next_run / schedule.zone (in cron_tz, else the host's zone, else UTC) and
// same_job_hosts. Pure apart from reading the tz database.
void compute_derived_fields(Snapshot& snapshot);

} // namespace digger::report
