// The one enrichment of a job, whatever its source: command analysis, redaction, fingerprint
// (enrich), then language from the inspected program, flags, markers and verdict (judge).
#include "digger/collect/host_context.hpp"
#include "digger/collect/job.hpp"
#include "digger/collect/job_judgement.hpp"
#include "digger/command/command.hpp"
#include "digger/judge/fingerprint.hpp"

#include <algorithm>

namespace digger::collect {
namespace {

void analyse(Job& job) {
  auto& row = job.row;
  auto analysis = command::analyze_command(row.command);
  row.language = std::string(analysis.language_name());
  row.evidence = std::move(analysis.evidence);
  row.target = job.command_is_target ? row.command : std::move(analysis.target);
  job.command_language = analysis.language;
  job.runs_directory = std::move(analysis.run_parts_dir);
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
}

} // namespace digger::collect
