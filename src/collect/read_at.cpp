// at(1) job files of atd's spool (/var/spool/cron/atjobs on Debian, /var/spool/at on RHEL):
// each one is a one-off job, run once at the time its name encodes (units/at_job.hpp).
#include "digger/collect/readers.hpp"
#include "digger/judge/markers.hpp"
#include "digger/units/at_job.hpp"

#include <fmt/format.h>

namespace digger::collect {
namespace {

// "2026-12-08 03:00 UTC" from "2026-12-08T03:00:00+00:00".
std::string readable_time(const std::string& iso) {
  return iso.size() >= 16 ? iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC" : iso;
}

std::string description_of(const units::AtJobName& name, const std::string& iso) {
  if (name.queue == '=') {
    return fmt::format("running now (due {})", readable_time(iso));
  }
  if (units::is_batch_queue(name.queue)) {
    return fmt::format("once, from {} when the load allows (batch queue {})", readable_time(iso),
                       name.queue);
  }
  return fmt::format("once at {} (queue {})", readable_time(iso), name.queue);
}

} // namespace

SourceRead read_at(const CronSource& source, const ReadContext& context) {
  SourceRead read{base_source_row(source, context.host), {}};
  auto& row = read.row;
  note_truncation(row, source);
  const auto name = units::parse_at_job_name(base_name(source.path));
  if (!name) { // .SEQ, atd's lock or output files: not jobs
    row.loaded_by_daemon = false;
    row.not_loaded_reason = "not an at job: atd reads only names like a0000301c6f2b1";
    return read;
  }
  // The environment lines are never kept (secrets): only the header and the user's lines.
  const auto script = units::parse_at_job(source.content);
  if (auto skip = units::at_skip_reason(*name, script, source.mode, source.uid)) {
    row.loaded_by_daemon = false;
    row.not_loaded_reason = std::move(*skip);
  }
  if (script.heredoc && !script.heredoc_closed) {
    row.load_notes.push_back("the end of the job's command lines is missing");
  }
  if (script.first_line == 0) {
    row.load_notes.push_back("no command lines found after the cd line");
    return read;
  }
  Job job;
  auto& entry = job.row;
  entry.line_number = script.first_line;
  entry.kind = "job";
  entry.raw = script.commands;
  entry.schedule_text = units::utc_iso8601(name->run_time);
  entry.normalized_schedule = "at " + entry.schedule_text;
  entry.description = description_of(*name, entry.schedule_text);
  entry.command = script.commands;
  entry.run_as = source.file_owner; // atd runs it as the file's owner (the header must agree)
  job.has_command = true;
  if (name->queue == '=') {
    job.reader_flags.push_back("at-running");
  }
  job.owner = source.file_owner;
  job.mailto = script.mail_user; // atd mails the output there, not to a MAILTO
  job.file_marker = judge::file_marker(script.commands);
  read.jobs.push_back(std::move(job));
  return read;
}

} // namespace digger::collect
