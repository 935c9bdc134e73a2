#include "digger/migrate/utc_shift.hpp"

#include "digger/migrate/days.hpp"

#include <fmt/format.h>

namespace digger::migrate {
namespace {

// A fixed UTC offset turned into an hour shift for UTC-only rules. Refused when a shifted
// hour crosses midnight while the days are restricted by date or month (the date would have
// to move too), or when the hours do not all cross it the same way.
std::optional<crontab::Schedule> shift_to_utc(const crontab::Schedule& local,
                                              std::chrono::minutes offset) {
  if (offset.count() % 60 != 0) {
    return std::nullopt;
  }
  const int shift = static_cast<int>(offset.count() / 60);
  crontab::Schedule utc = local;
  utc.hours.reset();
  std::optional<int> day_delta;
  for (int h = 0; h < 24; ++h) {
    if (!local.hours.test(static_cast<size_t>(h))) {
      continue;
    }
    const int u = h - shift;
    const int delta = u < 0 ? -1 : (u > 23 ? 1 : 0);
    if (day_delta && *day_delta != delta) {
      return std::nullopt;
    }
    day_delta = delta;
    utc.hours.set(static_cast<size_t>((u + 24) % 24));
  }
  if (!day_delta || *day_delta == 0) {
    return utc;
  }
  const DayRule days = resolve_days(local);
  const bool all_months = (local.months >> 1).count() == 12;
  if (!all_months || (days.kind != DayKind::every_day && days.kind != DayKind::dow_only)) {
    return std::nullopt;
  }
  utc.days_of_week.reset();
  for (int d = 0; d < 7; ++d) {
    if (days.dow.test(static_cast<size_t>(d))) {
      utc.days_of_week.set(static_cast<size_t>((d + *day_delta + 7) % 7));
    }
  }
  if (utc.days_of_week.test(0)) {
    utc.days_of_week.set(7);
  }
  return utc;
}

std::string offset_text(std::chrono::minutes offset) {
  const auto total = offset.count();
  const auto magnitude = total < 0 ? -total : total;
  return fmt::format("{}{:02}:{:02}", total < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

} // namespace

UtcSchedule utc_rule_schedule(const crontab::Schedule& local, const JobFacts& facts) {
  const ZoneFacts& zone = facts.zone_facts;
  if (facts.zone.empty() || zone.is_utc) {
    return {local, std::nullopt};
  }
  if (zone.has_dst) {
    return {std::nullopt,
            Lost{"utc-only", LossLevel::impossible,
                 fmt::format("EventBridge rules run in UTC only and {} changes its UTC offset "
                             "for daylight saving time: no UTC schedule matches the job all "
                             "year. Use --target eventbridge (Scheduler takes the zone)",
                             facts.zone)}};
  }
  auto shifted = shift_to_utc(local, zone.offset);
  if (!shifted) {
    return {std::nullopt,
            Lost{"utc-only", LossLevel::impossible,
                 fmt::format("EventBridge rules run in UTC only; moving the job from {} "
                             "(UTC{}) to UTC would move its days as well. Use --target "
                             "eventbridge (Scheduler takes the zone)",
                             facts.zone, offset_text(zone.offset))}};
  }
  return {shifted, Lost{"utc-only", LossLevel::workaround,
                        fmt::format("EventBridge rules run in UTC only: the hours were moved by "
                                    "{}'s fixed offset (UTC{})",
                                    facts.zone, offset_text(zone.offset))}};
}

} // namespace digger::migrate
