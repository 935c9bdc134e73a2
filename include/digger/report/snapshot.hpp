#pragma once

// What one scan of the catalog holds, read into memory once so every report format and the
// diff work on plain structs (and tests can build them by hand, without SQLite).

#include "digger/catalog/records.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Howard Hinnant's date: only the zone type is named here (its users include <date/tz.h>).
namespace date {
class time_zone;
} // namespace date

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
  std::string next_run; // ISO 8601 wall time with offset; "" for @reboot, never or unknown
  std::string zone;     // the zone next_run was computed in
  // systemd timers: the trigger ("OnCalendar", "OnBootSec", ...); "" for every other source.
  // Points to static storage (timer_trigger_name): no allocation, 16 bytes per job.
  std::string_view trigger;
};

// The trigger name as stored in static storage: one of systemd's OnCalendar, OnBootSec,
// OnStartupSec, OnUnitActiveSec, OnUnitInactiveSec, OnActiveSec; "other" for anything else;
// "" for "".
std::string_view timer_trigger_name(std::string_view written);

// What the inspection of a job's target found on the host (catalog table `programs`).
struct ProgramInfo {
  bool exists = false;
  std::string type; // "file", "directory", "symlink", ...
  std::string go_version, go_module;
  std::string sha256;
};

// What the catalog's source_kinds table says of a job's kind (docs/catalog.md#sources): the
// crontab grammar its lines follow ("user", "system"; "" when not a crontab) and the clock its
// schedules are written for ("cron", "anacron", "systemd", "inherited": a run-parts script,
// "once": an at job). Decisions read these, not the kind's name.
struct SourceTraits {
  std::string grammar, clock;
  bool crontab() const { return !grammar.empty(); }
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
  // user, system, cron.d, anacrontab, run-parts, timer (docs/catalog.md#sources)
  std::string source_kind;
  SourceTraits source_traits;
  bool loaded_by_daemon = true;
  std::string fingerprint;
  std::int64_t same_job_hosts = 1; // hosts of the scan that run this fingerprint
  // Hidden-batch verdict (docs/hidden-batches.md): "hidden", "managed", "migrated", or "" when
  // the scan that recorded the job did not decide (catalogs written before schema v3).
  std::string verdict;
  std::string managed_by;                   // "package:sysstat", "ansible:backup", ...
  std::vector<std::string> verdict_reasons; // most telling first
  std::vector<std::string> flags;           // "target-missing", "target-writable", ...
  std::string schedule_origin;              // run-parts scripts: "/etc/crontab:17"
  // The target's inspection (details only); null when it was not inspected. Shared by the
  // jobs of a host that run the same target, and small in the job: a fleet has 300,000 jobs.
  std::shared_ptr<const ProgramInfo> program;
  // Does it run (docs/evidence.md): the cron log's verdict for this job ("" for sources the
  // daemon does not log, and in catalogs written before schema v6), counts and times.
  catalog::RunEvidenceRow run;
  bool hidden() const { return verdict == "hidden"; }
  bool managed() const { return verdict == "managed"; }
  bool has_flag(std::string_view flag) const;
};

// A long-running program kept alive by Supervisor or systemd (issue 18; catalog worker_facts).
struct WorkerRow {
  std::size_t host = 0; // index into Snapshot::hosts
  std::string manager;  // "supervisor" or "systemd"
  std::string name;
  std::string owner; // the user it runs as
  std::string command;
  std::string language; // "unknown" when unclassified
  std::string evidence;
  std::int64_t instances = 1;
  std::string restart; // autorestart= or Restart=
  bool autostart = true;
  std::string rejected; // why the manager refuses its configuration; "" when it runs
  // supervisord's log (catalog v9): nullopt = not read; times as the log writes them.
  std::optional<std::int64_t> unexpected_exits;
  std::int64_t gave_up = 0;
  std::string last_exit, gave_up_at;
  std::string file;
  int line = 0;
  std::string verdict; // hidden, managed or ""
  std::string fingerprint;
  std::vector<std::string> flags;
};

// A worker seen as a job with no schedule, for what reads jobs (the filter): owner, command,
// language, file, line, verdict, flags, fingerprint; source_kind "supervisor" or "worker-unit".
JobRow as_job(const WorkerRow& worker);

// "crash loop: 14 unexpected exits, last 2024-01-01 10:04:00, gave up 2024-01-01 10:05:00
// (supervisord's log, host time)" for a worker flagged crash-loop; "" otherwise. The times are
// the log's text: the caller makes them safe for its output.
std::string crash_loop_text(const WorkerRow& worker);

struct Snapshot {
  catalog::ScanSummary scan;
  std::vector<HostRow> hosts; // sorted by name, then port
  std::vector<JobRow> jobs;   // sorted by host, file, line
  // Disabled lines marked `# digger: migrated to ...` (verdict "migrated"): not jobs any more,
  // but `diff` tells a migrated job from a removed one by them. Sorted like jobs.
  std::vector<JobRow> migrated;
  std::vector<WorkerRow> workers; // sorted by host, file, line; empty before catalog schema v6
};

// How a job's schedule is read, and so how its next run is found.
enum class ScheduleClock {
  cron,              // five fields or a macro (crontabs, cron.d, run-parts run from cron)
  systemd_calendar,  // a timer's OnCalendar=
  systemd_monotonic, // OnBootSec=, OnUnitActiveSec=, ...: relative to events, no wall time
  anacron,           // anacrontab period and delay (and run-parts run from anacron)
  once,              // an at job: one run at the UTC time in its schedule text
};
ScheduleClock schedule_clock(const JobRow& job);

// An at job has no log line to judge: atd keeps a job in its spool until it has run it, so a
// job found there is "waiting" (or "running", under atd's running queue '='). Sets that answer
// on every one-off job the catalog left without a run verdict (docs/evidence.md, "at jobs").
void answer_one_off_runs(std::vector<JobRow>& jobs);

// The one place a job's next run is computed ("" when it has none or it cannot be known).
// cron: timing::next_fire_time. systemd_calendar: next_calendar_run below. once: its time, when
// still ahead. The others have no wall-clock next run.
std::string next_run_of(const JobRow& job, std::chrono::sys_seconds after,
                        const date::time_zone& zone);

// systemd's OnCalendar=: timing::next_calendar_elapse in the host's zone (or the zone the
// expression names), "" when it never elapses again.
std::string next_calendar_run(const std::string& expression, std::chrono::sys_seconds after,
                              const date::time_zone& zone);

// The instant the report computes next runs from: the scan's finished_at (its started_at if it
// never finished), so two reports on one catalog agree whatever the clock says.
std::string reference_time(const catalog::ScanSummary& scan);

// Fills schedule.next_run / schedule.zone (in cron_tz, else the host's zone, else UTC) and
// same_job_hosts. Pure apart from reading the tz database.
void compute_derived_fields(Snapshot& snapshot);

} // namespace digger::report
