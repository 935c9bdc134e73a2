// Crontab files (spool, /etc/crontab, /etc/cron.d) as catalog rows.
#include "digger/collect/job_judgement.hpp"
#include "digger/collect/load_rules.hpp"
#include "digger/collect/source_rows.hpp"
#include "digger/command/command.hpp"
#include "digger/crontab/crontab.hpp"
#include "digger/judge/fingerprint.hpp"
#include "digger/judge/markers.hpp"
#include "digger/secrets/secrets.hpp"
#include "digger/timing/describe.hpp"

#include <fmt/format.h>

namespace digger::collect {
namespace {

struct JobText {
  catalog::EntryRow row;
  command::CommandAnalysis analysis;
};

JobText job_row(const crontab::Line& line, const std::string& owner) {
  JobText out;
  catalog::EntryRow& row = out.row;
  row.line_number = line.number;
  row.kind = std::string(crontab::line_kind_name(line.kind));
  row.raw = line.raw;
  row.error = line.error;
  if (!line.job) {
    return out;
  }
  const crontab::Job& job = *line.job;
  row.schedule_text = job.schedule_text;
  row.macro = std::string(crontab::macro_name(job.schedule.macro));
  if (!row.macro.empty()) {
    row.macro.erase(0, 1); // stored without '@'
  }
  row.normalized_schedule = job.schedule.normalized();
  row.command = job.command;
  row.stdin_data = job.stdin_data;
  row.run_as = job.user.value_or(owner);
  row.cron_tz = job.cron_tz;
  out.analysis = command::analyze_command(job.command);
  row.language = std::string(out.analysis.language_name());
  row.evidence = out.analysis.evidence;
  row.target = out.analysis.target;
  row.description = timing::describe(job.schedule);
  // Over the redacted command: the catalog never derives anything from a clear secret.
  row.fingerprint =
      judge::job_fingerprint(row.run_as, job.schedule, secrets::redact_secrets(job.command).text);
  return out;
}

std::optional<std::string> env_value(const crontab::Job& job, std::string_view name) {
  auto value = job.environment.get(name);
  return value ? std::optional<std::string>(std::string(*value)) : std::nullopt;
}

void note_run_parts(const JobText& job, const crontab::Line& line, const CronSource& source,
                    RunPartsDirs& dirs) {
  if (line.kind != crontab::LineKind::job || !job.analysis.run_parts_dir) {
    return;
  }
  const auto& row = job.row;
  dirs.note(*job.analysis.run_parts_dir,
            DirSchedule{row.schedule_text, row.macro, row.normalized_schedule, row.description,
                        row.cron_tz, fmt::format("{}:{}", source.path, line.number), false});
}

} // namespace

catalog::SourceRow crontab_source_row(const CronSource& source, const HostContext& host,
                                      RunPartsDirs& dirs) {
  catalog::SourceRow row = base_source_row(source, host);
  auto load = daemon_loads(source, host.daemon);
  row.loaded_by_daemon = load.loaded;
  row.not_loaded_reason = load.reason;

  crontab::ParseOptions options;
  const bool user = source.kind == SourceKind::user_crontab;
  options.flavor = user ? crontab::CrontabFlavor::user : crontab::CrontabFlavor::system;
  options.privileged_owner = !user || source.owner == "root";
  auto parsed = crontab::parse_crontab(source.content, options);
  row.loads_under_cronie = parsed.loads_under_cronie;
  row.loads_under_vixie = parsed.loads_under_vixie;
  row.load_notes = parsed.load_notes;
  if (source.truncated) {
    row.load_notes.push_back(fmt::format("truncated: {} of {} bytes read; the last line may be cut",
                                         source.content.size(), source.size));
  }
  auto file_marker = user ? std::nullopt : judge::file_marker(source.content);
  row.entries.reserve(parsed.lines.size());
  for (std::size_t i = 0; i < parsed.lines.size(); ++i) {
    const auto& line = parsed.lines[i];
    auto job = job_row(line, source.owner);
    const bool is_job = line.kind == crontab::LineKind::job || line.kind == crontab::LineKind::disabled_job;
    note_run_parts(job, line, source, dirs);
    redact_row(job.row, line.env ? &*line.env : nullptr);
    if (line.job && is_job) {
      auto markers = judge::markers_above(parsed, i);
      JobSurroundings around;
      around.source_kind = row.kind;
      around.source_path = source.path;
      around.owner = source.owner;
      around.entry_marker = std::move(markers.entry);
      around.migrated_marker = std::move(markers.migrated);
      around.file_marker = file_marker;
      around.mailto = env_value(*line.job, "MAILTO");
      around.command_language = job.analysis.language;
      judge_job(job.row, around, host);
    }
    row.entries.push_back(std::move(job.row));
  }
  return row;
}

} // namespace digger::collect
