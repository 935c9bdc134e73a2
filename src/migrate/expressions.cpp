#include "digger/migrate/expressions.hpp"

#include "digger/migrate/days.hpp"
#include "digger/migrate/field_syntax.hpp"
#include "digger/migrate/target_spec.hpp"
#include "digger/util/runs.hpp"

#include <fmt/format.h>

#include <array>

namespace digger::migrate {
namespace {

constexpr FieldSyntax cron_syntax{"-", StepForm::cron};
constexpr FieldSyntax eventbridge_syntax{"-", StepForm::start_only};
constexpr FieldSyntax eventbridge_dow_syntax{"-", StepForm::none}; // dow steps: unverified
// systemd repetitions ("0/7", "*-*-1/5") skip their first value after the next larger
// component rolls over (systemd#22665; reproduced with systemd-analyze 252 on minutes and
// hours too: "*:0/7" after 23:59 gives 00:07, not 00:00), so systemd gets lists and ranges.
constexpr FieldSyntax systemd_syntax{"..", StepForm::none};

struct TimeFields {
  std::vector<int> minutes;
  std::vector<int> hours;
  std::vector<int> months;
};

TimeFields time_fields(const crontab::Schedule& s) {
  return {values_of(s.minutes, 0, 59), values_of(s.hours, 0, 23), values_of(s.months, 1, 12)};
}

std::vector<int> dom_values(const DayRule& rule) {
  return values_of(rule.dom, 1, 31);
}
std::vector<int> dow_values(const DayRule& rule) {
  return values_of(rule.dow, 0, 6);
}

// A schedule in a five-field cron dialect's `syntax`: "minute hour", the day of month and the
// month; each dialect writes the weekday and combines the day fields its own way.
struct FiveFields {
  DayRule days;
  std::string head;
  std::string dom;
  std::string month;
};

FiveFields five_fields(const crontab::Schedule& schedule, const FieldSyntax& syntax) {
  const TimeFields t = time_fields(schedule);
  FiveFields out;
  out.days = resolve_days(schedule);
  out.head = fmt::format("{} {}", render_field(t.minutes, 0, 59, syntax),
                         render_field(t.hours, 0, 23, syntax));
  out.dom = render_field(dom_values(out.days), 1, 31, syntax);
  out.month = render_field(t.months, 1, 12, syntax);
  return out;
}

std::string render_cron_dow(const DayRule& rule) {
  return render_field(dow_values(rule), 0, 6, cron_syntax);
}

// EventBridge numbers weekdays 1-7 from Sunday: cron's 0 (and 7) is 1, Saturday 6 is 7.
std::string render_eventbridge_dow(const DayRule& rule) {
  std::vector<int> shifted;
  for (int d : dow_values(rule)) {
    shifted.push_back(d + 1);
  }
  return render_field(shifted, 1, 7, eventbridge_dow_syntax);
}

// systemd weeks start on Monday, so ranges are built in Mon..Sun order.
std::string render_systemd_weekdays(const DayRule& rule) {
  static constexpr std::array<std::string_view, 7> names = {"Mon", "Tue", "Wed", "Thu",
                                                            "Fri", "Sat", "Sun"};
  std::vector<int> monday_first;
  for (int i = 0; i < 7; ++i) {
    if (rule.dow.test(static_cast<size_t>((i + 1) % 7))) {
      monday_first.push_back(i);
    }
  }
  std::string out;
  for (const auto& run : util::consecutive_runs(monday_first)) {
    if (!out.empty()) {
      out += ',';
    }
    out += names[static_cast<size_t>(run.first)];
    if (run.last > run.first) {
      // Two days are a list, not a range: "Mon,Tue".
      out += fmt::format("{}{}", run.last == run.first + 1 ? "," : "..",
                         names[static_cast<size_t>(run.last)]);
    }
  }
  return out;
}

} // namespace

std::optional<Lost> schedule_problem(const crontab::Schedule& schedule, Target target) {
  if (schedule.is_reboot()) {
    if (target->boot_trigger) {
      return std::nullopt;
    }
    return Lost{"reboot", LossLevel::impossible,
                fmt::format("@reboot runs once when crond starts after a boot; {} schedules are "
                            "time-based only and have no boot trigger",
                            target_name(target))};
  }
  if (schedule.randomized) {
    return Lost{"random-field", LossLevel::impossible,
                "a '~' field makes cron pick one value at random each time it loads the "
                "crontab; the value in effect is not known. Write the value you want in the "
                "crontab and convert again"};
  }
  if (never_fires(schedule)) {
    return Lost{"never-fires", LossLevel::impossible,
                "cron accepts this schedule but it never fires (a reversed range such as 5-2, "
                "or only days that no selected month has); nothing is generated"};
  }
  const DayKind kind = resolve_days(schedule).kind;
  if (kind == DayKind::dom_and_dow && !target->ands_day_fields) {
    return Lost{"day-and-rule", LossLevel::impossible,
                target->day_and_detail.empty()
                    ? std::string("the days cannot be combined as cron combines them")
                    : std::string(target->day_and_detail)};
  }
  return std::nullopt;
}

std::vector<std::string> eventbridge_expressions(const crontab::Schedule& schedule) {
  const FiveFields f = five_fields(schedule, eventbridge_syntax);
  auto expression = [&f](const std::string& dom, const std::string& dow) {
    return fmt::format("cron({} {} {} {} *)", f.head, dom, f.month, dow);
  };
  switch (f.days.kind) {
  case DayKind::dom_only:
    return {expression(f.dom, "?")};
  case DayKind::dow_only:
    return {expression("?", render_eventbridge_dow(f.days))};
  case DayKind::dom_or_dow:
    return {expression(f.dom, "?"), expression("?", render_eventbridge_dow(f.days))};
  default:
    return {expression("*", "?")};
  }
}

std::vector<std::string> jenkins_lines(const crontab::Schedule& schedule) {
  const FiveFields f = five_fields(schedule, cron_syntax);
  auto line = [&f](const std::string& d, const std::string& w) {
    return fmt::format("{} {} {} {}", f.head, d, f.month, w);
  };
  switch (f.days.kind) {
  case DayKind::dom_only:
    return {line(f.dom, "*")};
  case DayKind::dow_only:
    return {line("*", render_cron_dow(f.days))};
  case DayKind::dom_and_dow: // Jenkins ANDs every field (CronTab.check)
    return {line(f.dom, render_cron_dow(f.days))};
  case DayKind::dom_or_dow:
    return {line(f.dom, "*"), line("*", render_cron_dow(f.days))};
  default:
    return {line("*", "*")};
  }
}

std::string kubernetes_schedule(const crontab::Schedule& schedule) {
  const FiveFields f = five_fields(schedule, cron_syntax);
  // robfig ANDs the day fields when one of them is a plain '*' and ORs them otherwise; a
  // restricted field is never rendered as '*' (a '*/n' step carries no star bit there).
  switch (f.days.kind) {
  case DayKind::dom_only:
    return fmt::format("{} {} {} *", f.head, f.dom, f.month);
  case DayKind::dow_only:
    return fmt::format("{} * {} {}", f.head, f.month, render_cron_dow(f.days));
  case DayKind::dom_or_dow:
    return fmt::format("{} {} {} {}", f.head, f.dom, f.month, render_cron_dow(f.days));
  default:
    return fmt::format("{} * {} *", f.head, f.month);
  }
}

std::vector<std::string> systemd_calendars(const crontab::Schedule& schedule,
                                           std::string_view zone) {
  const TimeFields t = time_fields(schedule);
  const DayRule days = resolve_days(schedule);
  const std::string month = render_field(t.months, 1, 12, systemd_syntax);
  const std::string time = fmt::format("{}:{}:00", render_field(t.hours, 0, 23, systemd_syntax),
                                       render_field(t.minutes, 0, 59, systemd_syntax));
  const std::string suffix = zone.empty() ? "" : fmt::format(" {}", zone);
  const std::string dom = render_field(dom_values(days), 1, 31, systemd_syntax);
  // systemd rejects '*' as a weekday: an unrestricted weekday is left out.
  auto calendar = [&](const std::string& weekdays, const std::string& d) {
    return fmt::format("{}*-{}-{} {}{}", weekdays.empty() ? "" : weekdays + " ", month, d, time,
                       suffix);
  };
  switch (days.kind) {
  case DayKind::dom_only:
    return {calendar("", dom)};
  case DayKind::dow_only:
    return {calendar(render_systemd_weekdays(days), "*")};
  case DayKind::dom_and_dow: // systemd ANDs the weekday and the date (systemd.time(7))
    return {calendar(render_systemd_weekdays(days), dom)};
  case DayKind::dom_or_dow:
    return {calendar("", dom), calendar(render_systemd_weekdays(days), "*")};
  default:
    return {calendar("", "*")};
  }
}

} // namespace digger::migrate
