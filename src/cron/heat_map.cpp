#include "digger/cron/heat_map.hpp"

#include "digger/cron/wall_match.hpp"

#include <date/date.h>

namespace digger::cron {

WeeklyHeatMap weekly_fire_counts(const Schedule& schedule) {
  WeeklyHeatMap map{};
  if (schedule.is_reboot()) {
    return map;
  }
  using namespace date::literals;
  const WallMatcher matcher(schedule);
  // Matching days and occurrences per weekday over the reference year; the hours and minutes
  // of a matching day do not depend on the date, so each cell is days x minutes-per-hour.
  std::array<int, 7> matching_days{};
  std::array<int, 7> occurrences{};
  const date::sys_days first{2024_y / 1 / 1};
  const date::sys_days end{2025_y / 1 / 1};
  for (auto day = first; day < end; day += date::days{1}) {
    const date::year_month_day ymd{day};
    const unsigned weekday = date::weekday{day}.c_encoding();
    ++occurrences[weekday];
    if (matcher.month_matches(static_cast<unsigned>(ymd.month())) &&
        matcher.day_matches(ymd, date::weekday{day})) {
      ++matching_days[weekday];
    }
  }
  const int per_hour = matcher.minutes_per_hour();
  for (unsigned weekday = 0; weekday < 7; ++weekday) {
    for (unsigned hour = 0; hour < 24; ++hour) {
      if (matcher.hour_matches(hour)) {
        map[weekday][hour] =
            static_cast<double>(matching_days[weekday] * per_hour) / occurrences[weekday];
      }
    }
  }
  return map;
}

} // namespace digger::cron
