#pragma once

#include "digger/catalog/records.hpp"
#include "digger/collect/host_context.hpp"
#include "digger/command/runtime.hpp"
#include "digger/crontab/crontab.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace digger::collect {

// What a row builder knows about one job beyond its row: where it sits and what surrounds it.
struct JobSurroundings {
  std::string_view source_kind; // catalog word: user, system, cron.d, anacrontab, ...
  std::string_view source_path;
  std::string_view owner;                     // the crontab's owner (or the unit's file owner)
  std::optional<std::string> entry_marker;    // from the comment line above the job
  std::optional<std::string> migrated_marker; // "# digger: migrated to ..." above it
  std::optional<std::string> file_marker;     // a whole-file configuration-management marker
  std::optional<std::string> mailto;          // nullopt: MAILTO unset
  command::Language command_language = command::Language::unknown;
  // Facts to use when the target was not inspected (a run-parts file read by the collector).
  const command::ProgramFacts* fallback_program = nullptr;
};

// Refines the language from the target program, sets flags and the verdict of a job or
// disabled-job row whose command, target and run_as are filled in. The row's text must
// already be redacted (see redact_row).
void judge_job(catalog::EntryRow& row, const JobSurroundings& around, const HostContext& host);

// Replaces secrets in the row's raw line, command, stdin and target, and in the value of an env
// line
// (`env`: its parsed setting, whose whole value goes when the name looks secret); adds the
// "secret-in-command" flag to jobs. Returns whether anything changed.
bool redact_row(catalog::EntryRow& row, const crontab::EnvSetting* env = nullptr);

// The fingerprint of a job whose schedule is not a cron schedule (anacron, timers, run-parts):
// the same digest as judge::job_fingerprint over the normalized schedule text.
std::string text_fingerprint(std::string_view run_as, std::string_view normalized_schedule,
                             std::string_view command);

// Tracks the comment lines above the next job of a file that is not a crontab (crontabs use
// judge::markers_above, which also knows Puppet's and Chef's env lines).
class MarkerTracker {
public:
  // Feed every line in order; `comment` is true for comment lines, `job` for job lines
  // (enabled or disabled). Returns the markers that apply to this line when it is a job.
  struct Markers {
    std::optional<std::string> entry;
    std::optional<std::string> migrated;
  };
  Markers see(std::string_view raw, bool comment, bool blank, bool job);

private:
  Markers pending_;
};

} // namespace digger::collect
