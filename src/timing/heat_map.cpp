#include "digger/timing/heat_map.hpp"

#include <date/date.h>

#include <vector>

#include "wall_match.hpp"

namespace digger::timing {

namespace {

struct ReferenceDay {
  unsigned month;
  unsigned day;
  unsigned weekday; // Sunday = 0
};

// The 366 days of 2024, computed once: calendar arithmetic per job would dominate the cost.
const std::vector<ReferenceDay>& reference_year() {
  static const std::vector<ReferenceDay> days = [] {
    using namespace date::literals;
    std::vector<ReferenceDay> out;
    for (date::sys_days day{2024_y / 1 / 1}; day < date::sys_days{2025_y / 1 / 1};
         day += date::days{1}) {
      const date::year_month_day ymd{day};
      out.push_back({static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     date::weekday{day}.c_encoding()});
    }
    return out;
  }();
  return days;
}

} // namespace

WeeklyHeatMap weekly_fire_counts(const crontab::Schedule& schedule) {
  WeeklyHeatMap map{};
  if (schedule.is_reboot()) {
    return map;
  }
  const WallMatcher matcher(schedule);
  // Matching days and occurrences per weekday over the reference year; the hours and minutes
  // of a matching day do not depend on the date, so each cell is days x minutes-per-hour.
  std::array<int, 7> matching_days{};
  std::array<int, 7> occurrences{};
  for (const ReferenceDay& day : reference_year()) {
    ++occurrences[day.weekday];
    if (matcher.month_matches(day.month) && matcher.day_matches(day.day, day.weekday)) {
      ++matching_days[day.weekday];
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

} // namespace digger::timing
