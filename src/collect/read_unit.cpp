// systemd *.timer files as catalog rows: one job per trigger line, running the ExecStart of
// the service the timer starts.
#include "digger/collect/readers.hpp"
#include "digger/judge/markers.hpp"
#include "digger/timing/calendar_spec.hpp"
#include "digger/units/unit_file.hpp"

#include <fmt/format.h>

namespace digger::collect {
namespace {

const CronSource* find_service(const CronSource& timer, const units::TimerUnit& unit,
                               const std::vector<CronSource>& units) {
  std::string wanted = unit.unit;
  if (wanted.empty()) {
    auto name = base_name(timer.path);
    wanted =
        std::string(name.substr(0, name.size() - std::string_view(".timer").size())) + ".service";
  }
  const std::string path = parent_directory(timer.path) + "/" + wanted;
  for (const auto& candidate : units) {
    if (candidate.kind == SourceKind::systemd_unit && candidate.path == path) {
      return &candidate;
    }
  }
  return nullptr;
}

// Per-user units run as the user whose home (or user unit directory) holds them.
bool is_user_unit(std::string_view path) {
  return path.find("/.config/systemd/user/") != std::string_view::npos ||
         path.starts_with("/etc/systemd/user/");
}

std::string monotonic_description(std::string_view key, std::chrono::seconds span) {
  auto text = units::describe_timespan(span);
  if (key == "OnBootSec") {
    return fmt::format("{} after boot", text);
  }
  if (key == "OnStartupSec") {
    return fmt::format("{} after the service manager starts", text);
  }
  if (key == "OnActiveSec") {
    return fmt::format("{} after the timer is activated", text);
  }
  if (key == "OnUnitActiveSec") {
    return fmt::format("every {} after the service last started", text);
  }
  return fmt::format("{} after the service last finished", text);
}

// Fills the schedule columns from one trigger line; false when systemd would reject it.
bool fill_schedule(catalog::EntryRow& entry, const units::TimerTrigger& trigger) {
  entry.schedule_text = trigger.value;
  if (trigger.key == "OnCalendar") {
    auto spec = timing::parse_calendar_spec(trigger.value);
    if (!spec) {
      entry.error = spec.error();
      return false;
    }
    entry.normalized_schedule = "OnCalendar=" + timing::normalized_calendar_spec(*spec);
    entry.description = timing::describe_calendar_spec(*spec);
    return true;
  }
  auto span = units::parse_timespan(trigger.value);
  if (!span) {
    entry.error = fmt::format("bad time span for {}=", trigger.key);
    return false;
  }
  entry.normalized_schedule = fmt::format("{}={}s", trigger.key, span->count());
  entry.description = monotonic_description(trigger.key, *span);
  return true;
}

} // namespace

// A *.timer: one job per trigger line, running its service's ExecStart. A *.service file is
// recorded (digest, package) without entries: its jobs belong to the timer.
SourceRead read_unit(const CronSource& timer, const ReadContext& context) {
  SourceRead read{base_source_row(timer, context.host), {}};
  if (!timer.path.ends_with(".timer")) {
    return read;
  }
  auto& row = read.row;
  auto timer_unit = units::read_timer(units::parse_unit_file(timer.content));
  const CronSource* service_file = find_service(timer, timer_unit, context.sources);
  units::ServiceUnit service;
  if (service_file) {
    service = units::read_service(units::parse_unit_file(service_file->content));
  } else {
    row.load_notes.push_back("the service this timer starts was not found beside it");
  }
  const bool enabled = context.host.unit_enabled(base_name(timer.path));
  std::string run_as =
      is_user_unit(timer.path) ? timer.file_owner : (service.user.empty() ? "root" : service.user);
  auto file_marker = judge::file_marker(timer.content);
  if (!file_marker && service_file) {
    file_marker = judge::file_marker(service_file->content);
  }
  for (const auto& trigger : timer_unit.triggers) {
    Job job;
    auto& entry = job.row;
    entry.line_number = trigger.line;
    entry.kind = "job";
    entry.raw = trigger.key + "=" + trigger.value;
    if (!fill_schedule(entry, trigger)) {
      entry.kind = "invalid";
      read.jobs.push_back(std::move(job));
      continue;
    }
    entry.command = service.exec_start.empty() ? "" : service.exec_start.front();
    entry.run_as = run_as;
    job.has_command = true;
    job.timer_unit = base_name(timer.path);
    job.user_timer = is_user_unit(timer.path);
    if (!enabled) {
      job.reader_flags.push_back("timer-disabled");
    }
    job.owner = timer.file_owner;
    job.file_marker = file_marker;
    read.jobs.push_back(std::move(job));
  }
  return read;
}

} // namespace digger::collect
