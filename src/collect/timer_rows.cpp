// systemd *.timer files as catalog rows: one job per trigger line, running the ExecStart of
// the service the timer starts.
#include "digger/collect/job_judgement.hpp"
#include "digger/collect/source_rows.hpp"
#include "digger/command/command.hpp"
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
    wanted = std::string(name.substr(0, name.size() - std::string_view(".timer").size())) +
             ".service";
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

catalog::SourceRow timer_source_row(const CronSource& timer, const std::vector<CronSource>& units,
                                    const HostContext& host) {
  catalog::SourceRow row = base_source_row(timer, host);
  auto timer_unit = units::read_timer(units::parse_unit_file(timer.content));
  const CronSource* service_file = find_service(timer, timer_unit, units);
  units::ServiceUnit service;
  if (service_file) {
    service = units::read_service(units::parse_unit_file(service_file->content));
  } else {
    row.load_notes.push_back("the service this timer starts was not found beside it");
  }
  const bool enabled = host.unit_enabled(base_name(timer.path));
  std::string run_as = is_user_unit(timer.path) ? timer.file_owner
                                                : (service.user.empty() ? "root" : service.user);
  auto file_marker = judge::file_marker(timer.content);
  if (!file_marker && service_file) {
    file_marker = judge::file_marker(service_file->content);
  }
  for (const auto& trigger : timer_unit.triggers) {
    catalog::EntryRow entry;
    entry.line_number = trigger.line;
    entry.kind = "job";
    entry.raw = trigger.key + "=" + trigger.value;
    if (!fill_schedule(entry, trigger)) {
      entry.kind = "invalid";
      redact_row(entry);
      row.entries.push_back(std::move(entry));
      continue;
    }
    entry.command = service.exec_start.empty() ? "" : service.exec_start.front();
    entry.run_as = run_as;
    auto analysis = command::analyze_command(entry.command);
    entry.language = std::string(analysis.language_name());
    entry.evidence = analysis.evidence;
    entry.target = analysis.target;
    redact_row(entry);
    entry.fingerprint = text_fingerprint(entry.run_as, entry.normalized_schedule, entry.command);
    if (!enabled) {
      entry.flags.push_back("timer-disabled");
    }
    JobSurroundings around;
    around.source_kind = row.kind;
    around.source_path = timer.path;
    around.owner = timer.file_owner;
    around.file_marker = file_marker;
    around.command_language = analysis.language;
    judge_job(entry, around, host);
    row.entries.push_back(std::move(entry));
  }
  return row;
}

} // namespace digger::collect
