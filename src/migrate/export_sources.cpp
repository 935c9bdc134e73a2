#include "digger/migrate/export_sources.hpp"

#include "digger/migrate/job_facts.hpp"
#include "digger/timing/calendar_spec.hpp"
#include "digger/units/anacrontab.hpp"
#include "digger/units/at_job.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bitset>
#include <charconv>

namespace digger::migrate {
namespace {

std::string file_text(const FileLines& lines) {
  std::string text;
  if (lines) {
    for (const auto& line : *lines) {
      text += line.raw + "\n";
    }
  }
  return text;
}

// The stored lines at their own line numbers (the catalog keeps only env and job lines; a
// line joined by backslashes holds its newlines): anacron's parser numbers the lines it reads.
std::string numbered_text(const FileLines& lines) {
  std::string text;
  int at = 1;
  if (lines) {
    for (const auto& line : *lines) {
      for (; at < line.number; ++at) {
        text += '\n';
      }
      text += line.raw + "\n";
      at += 1 + static_cast<int>(std::count(line.raw.begin(), line.raw.end(), '\n'));
    }
  }
  return text;
}

bool is_anacron_schedule(const ExportJob& source) {
  return source.normalized_schedule.starts_with("anacron ");
}

// The days (cron's day-of-month, month and weekday fields) and their words for an anacron
// period that has a calendar form; weekly runs on Sundays, as cron.weekly does on Debian.
std::optional<std::pair<std::string, std::string>> anacron_days(const units::AnacronJob& job) {
  if (job.period_days == 1 || job.period_macro == "daily") {
    return std::pair<std::string, std::string>{"* * *", "every day"};
  }
  if (job.period_days == 7 || job.period_macro == "weekly") {
    return std::pair<std::string, std::string>{"* * 0", "on Sundays"};
  }
  if (job.period_macro == "monthly") {
    return std::pair<std::string, std::string>{"1 * *", "on the 1st of the month"};
  }
  if (job.period_macro == "yearly") {
    return std::pair<std::string, std::string>{"1 1 *", "on 1 January"};
  }
  return std::nullopt;
}

// The cron job an anacrontab line amounts to: once per period, DELAY minutes after anacron
// starts (START_HOURS_RANGE's first hour under cronie, 07:30 on Debian), with catch-up.
util::Result<SourceJob> anacron_job(const FileLines& lines, int number) {
  const units::ParsedAnacrontab parsed = units::parse_anacrontab(numbered_text(lines));
  const units::AnacronJob* found = nullptr;
  for (const auto& line : parsed.lines) {
    if (line.number == number && line.job) {
      found = &*line.job;
    }
  }
  if (found == nullptr) {
    return util::Error{
        fmt::format("line {} of the anacrontab is not in the catalog as a job", number)};
  }
  SourceJob out;
  out.context.catch_up = true;
  const long start =
      parsed.start_hours_range ? parsed.start_hours_range->first * 60L + 1 : 7 * 60L + 30;
  const long at = start + std::max(0L, static_cast<long>(found->delay_minutes));
  const auto days = anacron_days(*found);
  if (!days) {
    out.context.schedule_refusal =
        Lost{"anacron-period", LossLevel::impossible,
             fmt::format("anacron runs the job every {} days counted from its last run; no "
                         "calendar schedule fires every {} days",
                         found->period_text, found->period_text)};
  } else if (at >= 24 * 60) {
    out.context.schedule_refusal =
        Lost{"anacron-period", LossLevel::impossible,
             fmt::format("a delay of {} minutes moves the run past midnight of the day anacron "
                         "starts it: no calendar day matches",
                         found->delay_minutes)};
  } else if (auto schedule =
                 crontab::parse_schedule(fmt::format("{} {} {}", at % 60, at / 60, days->first))) {
    out.job.schedule = *schedule;
    out.context.origin_losses.push_back(
        {"anacron-start", LossLevel::workaround,
         fmt::format("anacron starts the job {} minutes after anacron itself starts (07:30 on "
                     "Debian, START_HOURS_RANGE's first hour under cronie, and at boot); the "
                     "definition runs it {} at {:02}:{:02}",
                     found->delay_minutes, days->second, at / 60, at % 60)});
  }
  out.job.schedule_text = units::anacron_schedule_text(*found);
  out.job.command = found->command;
  for (const auto& env : parsed.environment) {
    if (env.name != "START_HOURS_RANGE") { // anacron's own setting, not the job's
      out.job.environment.push_back(env);
    }
  }
  return out;
}

util::Result<SourceJob> crontab_job(const FileLines& lines, const std::string& path, int number) {
  crontab::ParseOptions options;
  const bool system = path == "/etc/crontab" || path.starts_with("/etc/cron.d/");
  options.flavor = system ? crontab::CrontabFlavor::system : crontab::CrontabFlavor::user;
  options.privileged_owner = true;
  const crontab::ParsedCrontab parsed = crontab::parse_crontab(file_text(lines), options);
  for (size_t i = 0; lines && i < lines->size() && i < parsed.lines.size(); ++i) {
    if ((*lines)[i].number == number && parsed.lines[i].job &&
        parsed.lines[i].kind == crontab::LineKind::job) {
      return SourceJob{*parsed.lines[i].job, {}};
    }
  }
  return util::Error{
      fmt::format("line {} of {} is not in the catalog as a cron job line", number, path)};
}

// A run-parts script on the schedule of the line that runs its directory.
util::Result<SourceJob> run_parts_job(const ExportJob& source) {
  const auto colon = source.schedule_origin.rfind(':');
  int number = 0;
  if (colon != std::string::npos) {
    const char* first = source.schedule_origin.data() + colon + 1;
    const char* last = source.schedule_origin.data() + source.schedule_origin.size();
    std::from_chars(first, last, number);
  }
  if (number <= 0 || !source.origin_lines) {
    return util::Error{fmt::format("the line that runs {} ('{}') is not in the catalog",
                                   source.file, source.schedule_origin)};
  }
  const std::string path = source.schedule_origin.substr(0, colon);
  auto out = is_anacron_schedule(source) ? anacron_job(source.origin_lines, number)
                                         : crontab_job(source.origin_lines, path, number);
  if (!out) {
    return out;
  }
  // run-parts executes the file itself, no shell, no arguments.
  out->job.command = shell_quote(source.file);
  out->job.stdin_data.reset();
  out->context.origin_losses.push_back(
      {"run-parts", LossLevel::workaround,
       fmt::format("run-parts ran this script in turn with the other scripts of its directory "
                   "({}); the definition runs it on its own, at the same times",
                   source.schedule_origin)});
  return out;
}

// A timer trigger line: the systemd target keeps the line; the others get cron fields when
// they are exact.
util::Result<SourceJob> timer_job(const ExportJob& source) {
  std::string_view line = source.raw_line;
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    line.remove_prefix(1);
  }
  if (line.empty()) {
    return util::Error{"the timer's trigger line is not in the catalog"};
  }
  SourceJob out;
  out.job.command = source.command;
  out.job.schedule_text = std::string(line);
  out.context.no_mail = true; // systemd mails nothing: nothing to lose
  out.context.timer_triggers = {std::string(line)};
  std::string zone;
  std::optional<crontab::Schedule> schedule;
  if (line.starts_with("OnCalendar=")) {
    schedule = calendar_as_schedule(line.substr(11), zone);
  }
  if (schedule) {
    out.job.schedule = *schedule;
    out.job.cron_tz = zone;
  } else {
    out.context.schedule_refusal =
        Lost{"timer-trigger", LossLevel::impossible,
             line.starts_with("OnCalendar=")
                 ? "the timer's calendar has no exact cron form (seconds, years, '~' or a "
                   "repetition cron cannot write)"
                 : "the timer counts from an event (boot, last run), not the clock: only "
                   "systemd has such triggers"};
  }
  out.context.origin_losses.push_back(
      {"unit-settings", LossLevel::workaround,
       "the service's ExecStart= is run as a shell command line; its other settings "
       "(Environment=, WorkingDirectory=, limits, sandboxing) are not carried over"});
  return out;
}

// One systemd calendar field as cron's bits; false when a value is out of cron's range.
template <size_t N>
bool field_bits(const std::vector<timing::CalendarComponent>& list, int low, int high,
                std::bitset<N>& bits, bool& star) {
  star = list.empty();
  if (list.empty()) {
    for (int v = low; v <= high; ++v) {
      bits.set(static_cast<size_t>(v));
    }
    return true;
  }
  for (const auto& c : list) {
    const int stop = c.repeat == 0 ? c.start : (c.stop < 0 ? high : c.stop);
    const int step = c.repeat == 0 ? 1 : c.repeat;
    if (c.start < low || c.start > high || stop > high) {
      return false;
    }
    for (int v = c.start; v <= stop; v += step) {
      bits.set(static_cast<size_t>(v));
    }
  }
  return true;
}

// An at job: its commands, run once at the time its spool file's name holds (atd's own
// record of it). Targets without a one-off schedule refuse it (conversion.cpp).
util::Result<SourceJob> at_job(const ExportJob& source) {
  const auto name = at_job_name(source.file);
  if (!name || source.command.empty()) {
    return util::Error{"the at job's time or commands are not in the catalog"};
  }
  SourceJob out;
  out.job.command = source.command;
  out.job.schedule_text = source.schedule;
  out.job.cron_tz = "UTC"; // the run time is an instant: written in UTC, no DST applies
  out.context.run_once = std::chrono::sys_seconds{std::chrono::seconds{name->run_time}};
  out.context.origin_losses.push_back(
      {"at-environment", LossLevel::workaround,
       "atd runs the job with the environment and directory of the shell that queued it (the "
       "spool file's export and cd lines, not kept by the scan): the definition runs the "
       "commands alone"});
  return out;
}

util::Result<SourceJob> job_of_kind(const ExportJob& source) {
  const auto& clock = source.source_traits.clock; // what the job's schedule is written for
  if (clock == "anacron") {
    return anacron_job(source.file_lines, source.line);
  }
  if (clock == "inherited") {
    return run_parts_job(source);
  }
  if (clock == "systemd") {
    return timer_job(source);
  }
  if (clock == "once") {
    return at_job(source);
  }
  return util::Error{fmt::format("jobs from '{}' sources are not exported", source.source_kind)};
}

} // namespace

std::optional<crontab::Schedule> calendar_as_schedule(std::string_view calendar,
                                                      std::string& zone) {
  const auto spec = timing::parse_calendar_spec(calendar);
  if (!spec || !spec->year.empty() || spec->end_of_month || spec->microsecond.size() != 1 ||
      spec->microsecond[0] != timing::CalendarComponent{0, -1, 0}) {
    return std::nullopt;
  }
  crontab::Schedule out;
  bool month_star = false;
  if (!field_bits(spec->minute, 0, 59, out.minutes, out.minute_star) ||
      !field_bits(spec->hour, 0, 23, out.hours, out.hour_star) ||
      !field_bits(spec->day, 1, 31, out.days_of_month, out.dom_star) ||
      !field_bits(spec->month, 1, 12, out.months, month_star)) {
    return std::nullopt;
  }
  const bool any_weekday = spec->weekdays_bits < 0 || (spec->weekdays_bits & 0x7f) == 0x7f;
  for (int d = 0; d < 7; ++d) { // systemd: bit 0 = Monday; cron: 0 and 7 = Sunday
    if (any_weekday || (spec->weekdays_bits & (1 << d)) != 0) {
      out.days_of_week.set(static_cast<size_t>((d + 1) % 7));
    }
  }
  if (out.days_of_week.test(0)) {
    out.days_of_week.set(7);
  }
  // systemd ANDs weekday and date; cron ANDs them when either day field is a '*'.
  const bool any_date = out.dom_star;
  out.dom_star = any_date || !any_weekday;
  out.dow_star = any_weekday;
  zone = spec->utc ? "UTC" : spec->timezone;
  return out;
}

std::optional<units::AtJobName> at_job_name(std::string_view spool_path) {
  const auto slash = spool_path.find_last_of('/');
  return units::parse_at_job_name(
      spool_path.substr(slash == std::string_view::npos ? 0 : slash + 1));
}

util::Result<SourceJob> read_source_job(const ExportJob& source) {
  auto out = job_of_kind(source);
  if (out) {
    out->context.host = source.host;
    out->context.host_zone = source.host_zone;
    out->context.owner = source.owner.empty() ? "root" : source.owner;
  }
  return out;
}

} // namespace digger::migrate
