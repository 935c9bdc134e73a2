// Files of /etc/cron.{hourly,daily,weekly,monthly}: each one run-parts would run is a job
// with the schedule of the line that runs its directory.
#include "digger/collect/job_judgement.hpp"
#include "digger/collect/source_rows.hpp"
#include "digger/command/command.hpp"
#include "digger/judge/markers.hpp"
#include "digger/units/run_parts.hpp"

#include <fmt/format.h>

namespace digger::collect {
namespace {

constexpr std::size_t head_bytes = 256;

// Debian's cron runs Debian's run-parts; cronie hosts (and unknown ones) the crontabs package's.
units::RunPartsFlavor flavor_of(std::string_view daemon) {
  return daemon == "vixie" ? units::RunPartsFlavor::debian : units::RunPartsFlavor::cronie;
}

// What the collector itself read, for when the file was not inspected in the second trip.
command::ProgramFacts facts_from_source(const CronSource& source) {
  command::ProgramFacts facts;
  facts.path = source.path;
  facts.exists = true;
  facts.type = "file";
  facts.size = source.size;
  facts.mode = source.mode;
  facts.uid = source.uid;
  facts.owner = source.file_owner;
  facts.mtime = source.mtime;
  facts.head = source.content.substr(0, head_bytes);
  facts.elf = facts.head.starts_with("\x7f" "ELF");
  return facts;
}

} // namespace

catalog::SourceRow run_parts_source_row(const CronSource& source, const HostContext& host,
                                        const RunPartsDirs& dirs) {
  catalog::SourceRow row = base_source_row(source, host);
  const std::string dir = parent_directory(source.path);
  if (auto skip = units::run_parts_skip_reason(base_name(source.path), source.mode, true,
                                              flavor_of(host.daemon))) {
    row.loaded_by_daemon = false;
    row.not_loaded_reason = *skip;
    return row;
  }
  const DirSchedule* schedule = dirs.find(dir);
  if (!schedule) {
    row.loaded_by_daemon = false;
    row.not_loaded_reason = fmt::format("no crontab or anacrontab line runs {}", dir);
    return row;
  }
  catalog::EntryRow entry;
  entry.line_number = 0; // the whole file is the job
  entry.kind = "job";
  entry.schedule_text = schedule->schedule_text;
  entry.macro = schedule->macro;
  entry.normalized_schedule = schedule->normalized;
  entry.description = schedule->description;
  entry.cron_tz = schedule->cron_tz;
  entry.schedule_origin = schedule->origin;
  entry.command = source.path;
  entry.run_as = "root";
  auto analysis = command::analyze_command(source.path);
  entry.language = std::string(analysis.language_name());
  entry.evidence = analysis.evidence;
  entry.target = source.path;
  entry.fingerprint = text_fingerprint(entry.run_as, entry.normalized_schedule, entry.command);
  redact_row(entry);

  auto own_facts = facts_from_source(source);
  JobSurroundings around;
  around.source_kind = row.kind;
  around.source_path = source.path;
  around.owner = source.file_owner;
  around.file_marker = judge::file_marker(source.content);
  around.command_language = analysis.language;
  around.fallback_program = &own_facts;
  judge_job(entry, around, host);
  row.entries.push_back(std::move(entry));
  return row;
}

} // namespace digger::collect
