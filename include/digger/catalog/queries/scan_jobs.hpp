#pragma once

// The jobs a scan recorded, as reports read them, and the programs the jobs run.

#include "digger/catalog/records.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace digger::catalog {

class Catalog;

// One entry of kind "job", or of kind "disabled-job" marked migrated, with its source's facts.
struct ScanJobRow {
  std::int64_t host_id = 0; // ScanHostRow::host_id
  bool migrated = false;    // a disabled line marked migrated, not a job
  std::string owner;        // run_as, else the source file's owner
  std::string schedule_text, normalized_schedule, cron_tz;
  std::string command;
  std::string language; // "" when unclassified
  std::string path;     // the source file
  int line_number = 0;
  std::string source_kind;
  std::string source_grammar, source_clock; // the kind's row of source_kinds: crontab, clock
  bool loaded_by_daemon = true;
  std::string fingerprint;
  std::string verdict;
  std::string managed_by;
  std::string timer_key; // a timer's line: its key (OnCalendar, ...), trimmed; "" otherwise
  RunEvidenceRow run;
  // Only with `details` (see for_each_scan_job):
  std::string description, evidence, target;
  std::vector<std::string> verdict_reasons, flags;
  std::string schedule_origin;
};

// Calls `visit` for each job of the scan, in no particular order, one row at a time (a fleet's
// jobs are never all held twice). Without `details` the fields marked so stay empty. The
// catalog is locked meanwhile: `visit` must not call it.
void for_each_scan_job(Catalog& catalog, std::int64_t scan_id, bool details,
                       const std::function<void(ScanJobRow&&)>& visit);

// What the inspection found at a path a job runs (the subset reports show).
struct ScanProgramRow {
  std::int64_t host_id = 0; // ScanHostRow::host_id
  std::string path;
  bool exists = false;
  std::string type; // "file", "directory", "symlink", ...
  std::string go_version, go_module;
  std::string sha256;
};

// Every program record of the scan, in the catalog's order (a host may report a path twice).
std::vector<ScanProgramRow> scan_programs(Catalog& catalog, std::int64_t scan_id);

} // namespace digger::catalog
