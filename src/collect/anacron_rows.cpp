// /etc/anacrontab as catalog rows: one entry per line, like a crontab.
#include "digger/collect/job_judgement.hpp"
#include "digger/collect/source_rows.hpp"
#include "digger/command/command.hpp"
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

catalog::EntryRow anacron_job_row(const units::AnacronLine& line,
                                  const units::ParsedAnacrontab& file,
                                  command::CommandAnalysis& analysis) {
  const units::AnacronJob& job = *line.job;
  catalog::EntryRow row;
  row.schedule_text = fmt::format("{} {} {}", job.period_text, job.delay_minutes, job.job_id);
  row.macro = anacron_macro(job);
  row.normalized_schedule = units::normalized_anacron_schedule(job);
  row.description = units::describe_anacron_job(job, file);
  row.command = job.command;
  row.run_as = "root"; // anacron runs every job as the user that runs anacron: root
  analysis = command::analyze_command(job.command);
  row.language = std::string(analysis.language_name());
  row.evidence = analysis.evidence;
  row.target = analysis.target;
  return row;
}

} // namespace

catalog::SourceRow anacrontab_source_row(const CronSource& source, const HostContext& host,
                                         RunPartsDirs& dirs) {
  catalog::SourceRow row = base_source_row(source, host);
  if (source.truncated) {
    row.load_notes.push_back(fmt::format("truncated: {} of {} bytes read; the last line may be cut",
                                         source.content.size(), source.size));
  }
  auto parsed = units::parse_anacrontab(source.content);
  auto mailto = parsed.environment.get("MAILTO");
  auto file_marker = judge::file_marker(source.content);
  MarkerTracker markers;
  for (const auto& line : parsed.lines) {
    catalog::EntryRow entry;
    command::CommandAnalysis analysis;
    if (line.job) {
      entry = anacron_job_row(line, parsed, analysis);
    }
    entry.line_number = line.number;
    entry.kind = std::string(crontab::line_kind_name(line.kind));
    entry.raw = line.raw;
    entry.error = line.error;
    auto around_markers = markers.see(line.raw, line.kind == crontab::LineKind::comment,
                                      line.kind == crontab::LineKind::blank, line.job.has_value());
    if (line.job && analysis.run_parts_dir && line.kind == crontab::LineKind::job) {
      dirs.note(*analysis.run_parts_dir,
                DirSchedule{entry.schedule_text, entry.macro, entry.normalized_schedule,
                            entry.description, "", fmt::format("{}:{}", source.path, line.number),
                            true});
    }
    redact_row(entry, line.env ? &*line.env : nullptr);
    if (line.job) {
      entry.fingerprint = text_fingerprint(entry.run_as, entry.normalized_schedule, entry.command);
      JobSurroundings around;
      around.source_kind = row.kind;
      around.source_path = source.path;
      around.owner = "root";
      around.entry_marker = around_markers.entry;
      around.migrated_marker = around_markers.migrated;
      around.file_marker = file_marker;
      if (mailto) {
        around.mailto = std::string(*mailto);
      }
      around.command_language = analysis.language;
      judge_job(entry, around, host);
    }
    row.entries.push_back(std::move(entry));
  }
  return row;
}

} // namespace digger::collect
