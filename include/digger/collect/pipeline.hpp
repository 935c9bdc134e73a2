#pragma once

// One host's jobs through the one pipeline: every collected file read by its source table
// row's reader (child sources last, scheduled by the parent jobs that expand them), each job
// enriched once; the inspection is planned from those jobs, and the host's record is built from
// the same jobs once judged (docs/architecture.md, "One job pipeline").

#include "digger/catalog/records.hpp"
#include "digger/collect/decode.hpp"
#include "digger/collect/host_context.hpp"
#include "digger/collect/host_status.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/job.hpp"
#include "digger/collect/line_cap.hpp"
#include "digger/collect/snapshot.hpp"

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace digger::collect {

// When a child source's files run, from the parent job that runs their directory.
struct DirSchedule {
  std::string schedule_text, macro, normalized, description, cron_tz;
  std::string origin; // "/etc/crontab:17"
  bool from_anacron = false;
};

// A Laravel application whose scheduler a parent job runs (`cd DIR && php artisan
// schedule:run`): the application's tasks run as that job's user.
struct AppRun {
  std::string origin; // "/etc/cron.d/shop:3"
  std::string run_as;
  std::string owner; // the parent crontab's owner, for the verdict
};

// The directories named by parent jobs (`run-parts DIR`). Where anacron and cron both name a
// directory (Debian's /etc/crontab runs cron.daily only when anacron is absent), anacron's wins.
// And the application directories whose scheduler a parent job runs (the first job wins).
class Expansions {
public:
  void note(const std::string& dir, DirSchedule schedule);
  const DirSchedule* find(std::string_view dir) const;
  void note_app(const std::string& dir, AppRun run);
  const AppRun* find_app(std::string_view dir) const;
  const std::map<std::string, AppRun, std::less<>>& apps() const { return apps_; }

private:
  std::map<std::string, DirSchedule, std::less<>> dirs_;
  std::map<std::string, AppRun, std::less<>> apps_;
};

// Where a Laravel application defines its scheduler's tasks, relative to its directory:
// Kernel.php's schedule() (up to Laravel 10), routes/console.php and bootstrap/app.php's
// withSchedule() closure (Laravel 11 and later).
inline constexpr std::array<std::string_view, 3> laravel_schedule_files{
    "/app/Console/Kernel.php", "/routes/console.php", "/bootstrap/app.php"};
// Those files of the application in `app_directory`: what the inspection reads.
std::vector<std::string> laravel_app_files(std::string_view app_directory);
// Each file's bound: what the inspection reads of it (the rest is left out, and said so).
inline constexpr std::size_t max_app_source_bytes = 256u << 10;

// Every collected file of a host, read and enriched, in the snapshot's order; then the
// sources read after the inspection (expand_inspected).
struct HostJobs {
  std::vector<SourceRead> sources;
  Expansions expansions;
};

// Reads every source of `snapshot` through its table row and enriches every job once.
// `host` needs no programs (they come later) and no registry.
HostJobs read_host(const HostSnapshot& snapshot, const HostContext& host);

// The programs the jobs run, with their run-as users, for the inspection (sorted, unique).
std::vector<InspectionTarget> inspection_targets(const HostJobs& jobs);

// Reads the sources whose files the inspection brought back (Expansion::inspected: a Laravel
// application's tasks), enriches their jobs, appends them to `jobs`, and tells each parent job
// how many tasks its application gave (or why none). `host` must hold the inspected files.
void expand_inspected(HostJobs& jobs, const HostSnapshot& snapshot, const HostContext& host);

// Judges every job against `host` (with its inspected programs and registry) and returns the
// source rows with their entries, in the snapshot's order.
std::vector<catalog::SourceRow> judged_rows(HostJobs&& jobs, const HostContext& host);

// What the scan keeps of a host between planning its inspection and recording it: the decoded
// snapshot (line cap applied), the collection's verdict (judged before the cap) and the jobs.
struct PreparedHost {
  Decoded decoded;
  HostVerdict collection;
  LineCap cap;
  HostJobs jobs;
};

// Decodes the collector's output, judges the collection, applies the line cap, reads and
// enriches the jobs. The caller only plans an inspection when decoded.complete.
PreparedHost prepare_host(std::string_view stdout_bytes, std::string_view remote_stderr,
                          bool stdout_truncated, std::size_t max_lines);

} // namespace digger::collect
