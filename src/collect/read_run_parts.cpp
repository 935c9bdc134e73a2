// Files of /etc/cron.{hourly,daily,weekly,monthly}: each one run-parts would run is a child job
// with the schedule of the parent job that runs its directory.
#include "digger/collect/pipeline.hpp"
#include "digger/collect/readers.hpp"
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
  facts.elf = facts.head.starts_with("\x7f"
                                     "ELF");
  return facts;
}

} // namespace

SourceRead read_run_parts(const CronSource& source, const ReadContext& context) {
  SourceRead read{base_source_row(source, context.host), {}};
  auto& row = read.row;
  const std::string dir = parent_directory(source.path);
  if (auto skip = units::run_parts_skip_reason(base_name(source.path), source.mode, true,
                                               flavor_of(context.host.daemon))) {
    row.loaded_by_daemon = false;
    row.not_loaded_reason = *skip;
    return read;
  }
  const DirSchedule* schedule = context.expansions.find(dir);
  if (!schedule) {
    row.loaded_by_daemon = false;
    row.not_loaded_reason = fmt::format("no crontab or anacrontab line runs {}", dir);
    return read;
  }
  Job job;
  auto& entry = job.row;
  entry.line_number = 0; // the whole file is the job
  entry.kind = "job";
  entry.schedule_text = schedule->schedule_text;
  entry.macro = schedule->macro;
  entry.normalized_schedule = schedule->normalized;
  entry.description = schedule->description;
  entry.cron_tz = schedule->cron_tz;
  entry.schedule_origin = schedule->origin;
  job.parent_origin = schedule->origin;
  job.runs_with_parent = true;
  entry.command = source.path;
  entry.run_as = "root";
  job.has_command = true;
  job.command_is_target = true;
  job.owner = source.file_owner;
  job.file_marker = judge::file_marker(source.content);
  job.fallback_program = facts_from_source(source);
  read.jobs.push_back(std::move(job));
  return read;
}

} // namespace digger::collect
