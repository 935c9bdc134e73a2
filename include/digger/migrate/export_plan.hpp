#pragma once

// `digger-scan export`, pure part: which jobs of a scan are exported, and what each becomes on
// the target (docs/migration.md#export). No I/O: the CLI reads the catalog and writes files.

#include "digger/migrate/conversion.hpp"
#include "digger/migrate/target.hpp"
#include "digger/report/filter.hpp"
#include "digger/report/snapshot.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace digger::migrate {

// One env or job line of a crontab as the catalog stores it (secrets already redacted).
struct CrontabLine {
  int number = 0;
  bool env = false; // an env line; else a job line
  std::string raw;
};

// The env and job lines of every crontab of a scan, by host name, port and file path. Shared:
// the jobs of one file point at one copy (a file may hold 10,000 jobs under 1,000 env lines).
using SourceKey = std::tuple<std::string, int, std::string>;
using FileLines = std::shared_ptr<const std::vector<CrontabLine>>;
using CrontabLines = std::map<SourceKey, FileLines>;

// One cron job of a scan, as the export reads it from the catalog.
struct ExportJob {
  std::string host;
  int port = 22;
  std::string host_zone;              // the host's zone; "" = unknown
  std::string owner;                  // the run-as account (user column, else the crontab's owner)
  std::string source_kind;            // user, system, cron.d, anacrontab, run-parts, timer
  report::SourceTraits source_traits; // its crontab grammar and clock (report::JobRow)
  std::string file;
  int line = 0;
  std::string schedule;            // as written
  std::string normalized_schedule; // "anacron period=1d delay=5m" tells anacron's clock
  std::string schedule_origin; // run-parts: the line that runs the directory ("/etc/crontab:17")
  std::string command;         // as stored: secrets are already `***`
  std::string language;
  std::string verdict;     // managed, hidden, migrated; "" in catalogs older than verdicts
  std::string run_verdict; // does it run (docs/evidence.md): running, no-evidence, ...; ""
  bool loaded_by_daemon = true;
  std::string raw_line; // the job's line as stored; "" when the catalog has no such line
  // The env and job lines of the job's file (null when the catalog has none): cron reads the
  // env lines above the job, and only those, for it.
  FileLines file_lines;
  FileLines origin_lines; // run-parts: the lines of the file schedule_origin names
};

// The snapshot's jobs that match `filter`, with their crontab lines attached.
std::vector<ExportJob> export_candidates(const report::Snapshot& snapshot,
                                         const report::Filter& filter, const CrontabLines& lines);

struct Selection {
  std::vector<ExportJob> jobs;
  std::map<std::string, std::int64_t> skipped; // reason ("managed", ...) -> jobs left out
  std::vector<ExportJob> no_evidence;          // left out for "no-evidence", to list them
};

// By default the hidden jobs: verdict "managed" or "migrated" is skipped, an empty verdict
// (older catalogs) is kept. Jobs in files cron does not load are skipped too ("not-loaded"):
// exporting them would start a job that does not run today. Jobs whose cron log showed no
// start in the window read ("no-evidence", docs/evidence.md) are left out and listed unless
// `include_no_evidence`: nobody migrates a job that may not run any more without deciding so.
// `all` keeps everything.
Selection select_jobs(std::vector<ExportJob> candidates, bool all,
                      bool include_no_evidence = false);

// What became of a selected job. Only `converted` jobs get a cut-over step.
enum class ExportStatus {
  converted,       // definitions written, ready for the cut-over
  needs_secret,    // definitions written, but a secret the scan removed must be put back first
  not_convertible, // nothing written: conversion.lost[0] says why
};
std::string_view export_status_name(ExportStatus status); // "converted", "needs-secret", ...

struct ExportedJob {
  ExportJob job;
  ExportStatus status = ExportStatus::not_convertible;
  Conversion conversion;                 // converted == false: lost[0] says why; no definitions
  std::vector<std::string> carried_over; // features of the job with no lost item
  std::string marker; // "# digger: migrated to <target> <name>"; "" when not converted
};

struct ExportPlan {
  Target target;
  catalog::ScanSummary scan;
  std::string filter;    // as given
  bool all = false;      // --all
  std::string reference; // ISO 8601 UTC: the start of the year searched for DST effects
  std::vector<ExportedJob> jobs;
  std::map<std::string, std::int64_t> skipped;
};

// Converts every selected job of `scan`; names are unique across the whole export. DST
// effects are searched from the scan's time (report::reference_time), not the clock.
// `filter` and `all` are the caller's to fill in (they are only reported).
ExportPlan plan_export(const Selection& selection, Target target, const catalog::ScanSummary& scan);

// The marker a later scan reads as "migrated" (docs/hidden-batches.md).
std::string migrated_marker(Target target, std::string_view name);

// The placeholder written instead of a secret env value.
std::string secret_placeholder(std::string_view name);

// Why each selected job that is not `converted` was left out ("needs-secret", or the feature
// of its first lost item: "reboot", "day-and-rule", ...), with the count of each.
std::map<std::string, std::int64_t> not_exported_reasons(const ExportPlan& plan);
std::string not_exported_reason(const ExportedJob& job);

} // namespace digger::migrate
