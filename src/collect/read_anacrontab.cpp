// /etc/anacrontab: one entry per line, like a crontab; every job runs as root.
#include "digger/collect/job_judgement.hpp"
#include "digger/collect/readers.hpp"
#include "digger/judge/markers.hpp"
#include "digger/units/anacrontab.hpp"

#include <fmt/format.h>

namespace digger::collect {
namespace {

std::string anacron_macro(const units::AnacronJob& job) {
  if (!job.period_macro.empty()) {
    return job.period_macro;
  }
  if (job.period_days == 1) {
    return "daily";
  }
  return job.period_days == 7 ? "weekly" : "";
}

void fill_job(catalog::EntryRow& row, const units::AnacronJob& job,
              const units::ParsedAnacrontab& file) {
  row.schedule_text = fmt::format("{} {} {}", job.period_text, job.delay_minutes, job.job_id);
  row.macro = anacron_macro(job);
  row.normalized_schedule = units::normalized_anacron_schedule(job);
  row.description = units::describe_anacron_job(job, file);
  row.command = job.command;
  row.run_as = "root"; // anacron runs every job as the user that runs anacron: root
}

} // namespace

SourceRead read_anacrontab(const CronSource& source, const ReadContext& context) {
  SourceRead read{base_source_row(source, context.host), {}};
  note_truncation(read.row, source);
  auto parsed = units::parse_anacrontab(source.content);
  auto mailto = parsed.environment.get("MAILTO");
  auto file_marker = judge::file_marker(source.content);
  MarkerTracker markers;
  read.jobs.reserve(parsed.lines.size());
  for (const auto& line : parsed.lines) {
    Job job;
    job.row.line_number = line.number;
    job.row.kind = std::string(crontab::line_kind_name(line.kind));
    job.row.raw = line.raw;
    job.row.error = line.error;
    job.env = line.env;
    job.owner = "root";
    auto above = markers.see(line.raw, line.kind == crontab::LineKind::comment,
                             line.kind == crontab::LineKind::blank, line.job.has_value());
    if (line.job) {
      fill_job(job.row, *line.job, parsed);
      job.has_command = true;
      job.entry_marker = std::move(above.entry);
      job.migrated_marker = std::move(above.migrated);
      job.file_marker = file_marker;
      if (mailto) {
        job.mailto = std::string(*mailto);
      }
    }
    read.jobs.push_back(std::move(job));
  }
  return read;
}

} // namespace digger::collect
