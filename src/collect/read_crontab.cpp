// Crontab files (spool, /etc/crontab, /etc/cron.d): one job per line, like cron reads them.
#include "digger/collect/readers.hpp"
#include "digger/crontab/crontab.hpp"
#include "digger/judge/markers.hpp"
#include "digger/timing/describe.hpp"

namespace digger::collect {
namespace {

std::optional<std::string> env_value(const crontab::Job& job, std::string_view name) {
  auto value = job.environment.get(name);
  return value ? std::optional<std::string>(std::string(*value)) : std::nullopt;
}

} // namespace

Job crontab_line_job(const crontab::Line& line, std::string_view owner) {
  Job out;
  catalog::EntryRow& row = out.row;
  row.line_number = line.number;
  row.kind = std::string(crontab::line_kind_name(line.kind));
  row.raw = line.raw;
  row.error = line.error;
  out.env = line.env;
  out.owner = std::string(owner);
  if (!line.job) {
    return out;
  }
  const crontab::Job& job = *line.job;
  out.has_command =
      line.kind == crontab::LineKind::job || line.kind == crontab::LineKind::disabled_job;
  out.cron_schedule = job.schedule;
  out.not_logged = job.no_syslog;
  out.mailto = env_value(job, "MAILTO");
  row.schedule_text = job.schedule_text;
  row.macro = std::string(crontab::macro_name(job.schedule.macro));
  if (!row.macro.empty()) {
    row.macro.erase(0, 1); // stored without '@'
  }
  row.normalized_schedule = job.schedule.normalized();
  row.command = job.command;
  row.stdin_data = job.stdin_data;
  row.run_as = job.user.value_or(std::string(owner));
  row.cron_tz = job.cron_tz;
  row.description = timing::describe(job.schedule);
  return out;
}

SourceRead read_crontab(const CronSource& source, const ReadContext& context) {
  SourceRead read{base_source_row(source, context.host), {}};
  const auto& spec = source_spec(source.kind);
  crontab::ParseOptions options;
  const bool user = spec.flavour == CrontabFlavour::user;
  options.flavor = user ? crontab::CrontabFlavor::user : crontab::CrontabFlavor::system;
  options.privileged_owner = !user || source.owner == "root";
  auto parsed = crontab::parse_crontab(source.content, options);
  read.row.loads_under_cronie = parsed.loads_under_cronie;
  read.row.loads_under_vixie = parsed.loads_under_vixie;
  read.row.load_notes = parsed.load_notes;
  note_truncation(read.row, source);
  // Configuration management writes whole-file markers in system files only.
  auto file_marker = user ? std::nullopt : judge::file_marker(source.content);
  read.jobs.reserve(parsed.lines.size());
  for (std::size_t i = 0; i < parsed.lines.size(); ++i) {
    Job job = crontab_line_job(parsed.lines[i], source.owner);
    if (job.has_command) {
      auto markers = judge::markers_above(parsed, i);
      job.entry_marker = std::move(markers.entry);
      job.migrated_marker = std::move(markers.migrated);
      job.file_marker = file_marker;
    }
    read.jobs.push_back(std::move(job));
  }
  return read;
}

} // namespace digger::collect
