#pragma once

// Which crontab entry each logged run belongs to, and what that says about each entry
// (docs/evidence.md, "Attribution"). Pure: entries and parsed events in, one verdict per entry
// out. There is no "dead" verdict: the absence of a line is never proof that a job did not run.

#include "digger/crontab/schedule.hpp"
#include "digger/evidence/log_line.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::evidence {

// One scheduled entry of the host, as the daemon would log it.
struct EntryRef {
  std::string user;    // the run-as user (the owner of a user crontab, the sixth field otherwise)
  std::string command; // cut the cronie way (crontab::Job::command, catalog entries.command)
  std::optional<crontab::Schedule> schedule; // none: any minute may match
  bool not_logged = false;                   // cronie's '-' prefix: never logged by design
  std::string anacron_job;                   // the anacrontab job identifier, "" otherwise
};

enum class Verdict { running, ambiguous, no_evidence, log_unreadable };
std::string_view verdict_name(Verdict verdict); // "running", "ambiguous", "no-evidence", ...
std::optional<Verdict> verdict_from_name(std::string_view name);

// What was read on the host: the window the events cover, or why nothing could be read.
struct Coverage {
  bool readable = false;
  std::string source;               // "/var/log/cron", "journal", ...
  std::optional<std::int64_t> from; // first event's time (epoch seconds)
  std::optional<std::int64_t> to;   // last event's time
  std::string unreadable_reason;    // "permission denied", "no cron log found", ...
};

// Per entry, over the window.
struct JobEvidence {
  std::int64_t runs = 0;           // starts attributed to this entry alone
  std::int64_t ambiguous_runs = 0; // starts that this entry or another of the host could own
  std::optional<std::int64_t> last_run;
  std::int64_t failures = 0; // Debian -L 4 and anacron only: the others log no exit status
  std::optional<std::int64_t> last_failure;
  std::optional<int> last_exit_status;
  friend bool operator==(const JobEvidence&, const JobEvidence&) = default;
};

// Adds the events of one read to `evidence` (one element per entry, same order). A later read
// of appended lines is added the same way: the counts grow, the last times move on.
void attribute(const std::vector<EntryRef>& entries, const std::vector<LogEvent>& events,
               std::vector<JobEvidence>& evidence);

// The verdict of one entry, with a one-line reason naming the source and the window, and what
// grants access when the log could not be read (sudo, or the adm / systemd-journal group).
struct Judgement {
  Verdict verdict = Verdict::no_evidence;
  std::string reason;
};
Judgement judge(const EntryRef& entry, const JobEvidence& evidence, const Coverage& coverage);

// The key under which an entry's evidence is kept across scans: user and logged command (both
// daemons' forms may differ; the cronie one is the key), plus the schedule text.
std::string entry_key(const EntryRef& entry);

// Whether a schedule fires at a wall-clock minute (cron's day-of-month / day-of-week rule).
bool fires_at(const crontab::Schedule& schedule, const LocalTime& time);

} // namespace digger::evidence
