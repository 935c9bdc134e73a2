// The one enrichment of a job, whatever its source: command analysis, redaction, fingerprint
// (enrich), then language from the inspected program, flags, markers and verdict (judge).
#include "digger/collect/host_context.hpp"
#include "digger/collect/job.hpp"
#include "digger/collect/job_judgement.hpp"
#include "digger/command/command.hpp"
#include "digger/command/laravel_schedule.hpp"
#include "digger/judge/fingerprint.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace digger::collect {
namespace {

// Redirection targets a stat can check: absolute, and nothing the shell would expand at run
// time (`$(date +%F).log`, `$HOME/x`, globs, `~`): those are not guessed.
std::vector<std::string> static_output_files(const std::vector<std::string>& files) {
  std::vector<std::string> out;
  for (const auto& file : files) {
    if (file.starts_with('/') && file.find_first_of("$`*?[~\\") == std::string::npos &&
        std::find(out.begin(), out.end(), file) == out.end()) {
      out.push_back(file);
    }
  }
  return out;
}

void analyse(Job& job) {
  auto& row = job.row;
  if (job.fixed_language) {
    row.language = std::string(command::language_name(*job.fixed_language));
    row.evidence = job.fixed_evidence;
    row.target.clear();
    job.command_language = *job.fixed_language;
    return;
  }
  auto analysis = command::analyze_command(row.command);
  if (auto dir = command::laravel_app_directory(analysis); !dir.empty()) {
    job.app_directory = std::move(dir);
  }
  job.app_scheduler = command::app_scheduler(analysis);
  row.language = std::string(analysis.language_name());
  row.evidence = std::move(analysis.evidence);
  row.target = job.command_is_target ? row.command : std::move(analysis.target);
  job.command_language = analysis.language;
  job.runs_directory = std::move(analysis.run_parts_dir);
  job.output_files = static_output_files(analysis.output_files);
}

void add_reader_flags(Job& job) {
  auto& flags = job.row.flags;
  for (auto& flag : job.reader_flags) {
    if (std::find(flags.begin(), flags.end(), flag) == flags.end()) {
      flags.push_back(std::move(flag));
    }
  }
  job.reader_flags.clear();
}

void add_flag(catalog::EntryRow& row, std::string_view flag) {
  if (std::find(row.flags.begin(), row.flags.end(), flag) == row.flags.end()) {
    row.flags.emplace_back(flag);
  }
}

// A job that runs an in-app scheduler: its tasks are hidden batches of their own, expanded
// (Laravel's, when the application's files could be read) or only named.
void note_app_scheduler(Job& job) {
  auto& row = job.row;
  if (job.app_directory && job.app_tasks) {
    add_flag(row, "app-scheduler-expanded");
    row.verdict_reasons.push_back(
        fmt::format("app scheduler: {} Laravel task(s) read from the source of {}", *job.app_tasks,
                    *job.app_directory));
  } else if (job.app_directory) {
    add_flag(row, "app-scheduler-not-expanded");
    row.verdict_reasons.push_back(
        fmt::format("app scheduler: tasks not expanded (Laravel in {}: {})", *job.app_directory,
                    job.app_note.empty() ? "its files were not inspected" : job.app_note));
  } else if (!job.app_scheduler.empty()) {
    add_flag(row, "app-scheduler-not-expanded");
    row.verdict_reasons.push_back(
        fmt::format("app scheduler: tasks not expanded ({})", job.app_scheduler));
  }
}

} // namespace

void enrich(Job& job) {
  if (job.has_command) {
    analyse(job);
    job.log_command = job.row.command;
  }
  redact_row(job.row, job.env ? &*job.env : nullptr);
  add_reader_flags(job);
  if (!job.has_command) {
    return;
  }
  // Over the redacted command: the catalog never derives anything from a clear secret, and the
  // same line gives the same id in a scan and in `digger-scan parse`.
  auto& row = job.row;
  row.fingerprint = job.cron_schedule
                        ? judge::job_fingerprint(row.run_as, *job.cron_schedule, row.command)
                        : text_fingerprint(row.run_as, row.normalized_schedule, row.command);
}

void judge(Job& job, std::string_view source_kind, std::string_view source_path,
           const HostContext& host) {
  if (!job.has_command) {
    return;
  }
  JobSurroundings around;
  around.source_kind = source_kind;
  around.source_path = source_path;
  around.owner = job.owner;
  around.entry_marker = std::move(job.entry_marker);
  around.migrated_marker = std::move(job.migrated_marker);
  around.file_marker = std::move(job.file_marker);
  around.mailto = std::move(job.mailto);
  around.command_language = job.command_language;
  around.fallback_program = job.fallback_program ? &*job.fallback_program : nullptr;
  judge_job(job.row, around, host);
  if (job.row.kind == "job") {
    note_app_scheduler(job);
  }
  auto& reasons = job.row.verdict_reasons;
  reasons.insert(reasons.end(), job.notes.begin(), job.notes.end());
}

} // namespace digger::collect
