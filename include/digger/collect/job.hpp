#pragma once

// The one job type every source reader returns, and the two steps every job goes through once:
// enrich() (command analysis, redaction, fingerprint) before the inspection is planned, and
// judge() (language from the inspected program, flags, markers, verdict) once the programs are
// known. The scan and `digger-scan parse` both use them (docs/architecture.md, "One job
// pipeline").

#include "digger/catalog/records.hpp"
#include "digger/command/program.hpp"
#include "digger/command/runtime.hpp"
#include "digger/crontab/crontab.hpp"
#include "digger/crontab/schedule.hpp"

#include <optional>
#include <string>
#include <vector>

namespace digger::collect {

struct HostContext;

// One line (or unit trigger, or run-parts file) of a source. The reader fills `row` with what
// the file says (line, kind, raw text, schedule columns, clear command, run_as) and the inputs
// below; enrich() and judge() fill the rest of `row`.
struct Job {
  catalog::EntryRow row;
  bool has_command = false; // a job or a disabled job: analysed, fingerprinted, judged
  // A crontab schedule is fingerprinted by its normal form (`@weekly` == `0 0 * * 0`); other
  // clocks by row.normalized_schedule.
  std::optional<crontab::Schedule> cron_schedule;
  std::optional<crontab::EnvSetting> env; // an env line: its value is redacted as a value
  bool command_is_target = false;         // the command is the program itself (a run-parts file)
  // Not a shell command (a Laravel task running a job class or a closure): its language and
  // evidence are known from where it was read, and it has no target.
  std::optional<command::Language> fixed_language;
  std::string fixed_evidence;
  std::vector<std::string> reader_flags; // e.g. "timer-disabled", after the redaction's flag
  // Run evidence (run_evidence.hpp): the command before redaction, to match the daemon's log
  // line. Kept in memory for this host only; never stored (the catalog keeps its hash).
  std::string log_command;
  bool not_logged = false; // cronie's '-' prefix: the daemon never logs this job
  // No cron log line names this job: the job that runs it does ("/etc/crontab:17", the line
  // running a run-parts directory or a Laravel app's `schedule:run`), and its run verdict
  // follows that one's (derived_evidence.cpp). Every run of a run-parts line runs each file of
  // its directory, so those children take its counts too.
  std::string parent_origin;
  bool runs_with_parent = false;
  // A systemd timer's unit name ("logrotate.timer"), looked up in systemd's own timer table;
  // a per-user timer runs in the user's manager, which that table does not show.
  std::string timer_unit;
  bool user_timer = false;
  // Absolute, static files its output is redirected to (`>> /var/log/x.log`): stat'ed by the
  // inspection for a freshness hint. Set by enrich(), from the clear command.
  std::vector<std::string> output_files;

  // What the verdict is judged against (job_judgement.hpp).
  std::string owner; // the file's owner as the verdict sees it
  std::optional<std::string> entry_marker, migrated_marker, file_marker;
  std::optional<std::string> mailto;                     // nullopt: MAILTO unset
  std::optional<command::ProgramFacts> fallback_program; // when the target is not inspected

  // Set by enrich().
  command::Language command_language = command::Language::unknown;
  std::optional<std::string> runs_directory; // `run-parts DIR`: the job expands into DIR's files
  std::optional<std::string> app_directory;  // `artisan schedule:run`: a Laravel app's tasks
  std::string app_scheduler; // another in-app scheduler it runs ("celery beat"): not expanded

  // Set by the expansion of app schedulers (pipeline.hpp), for judge(): how many tasks the app
  // gave (nullopt: not expanded, `app_note` says why).
  std::optional<std::size_t> app_tasks;
  std::string app_note;
  // Sentences added to the verdict's reasons once judged (a Laravel task's conditions, ...).
  std::vector<std::string> notes;
};

// One collected file as its reader returns it.
struct SourceRead {
  catalog::SourceRow row; // file facts and load verdict; entries filled from `jobs` at the end
  std::vector<Job> jobs;
};

// Analyses the command, redacts every text field, fingerprints the redacted command. Needs
// nothing of the host: runs once per job, before the inspection is planned.
void enrich(Job& job);

// Refines the language from the inspected program (or the fallback), adds the program flags,
// decides the verdict. Runs once per job, after the inspection.
void judge(Job& job, std::string_view source_kind, std::string_view source_path,
           const HostContext& host);

} // namespace digger::collect
