#include "wall_match.hpp"

#include <date/tz.h>

#include <bit>

namespace digger::timing {
namespace {

// Index of the first set bit at or above `from`, or -1.
int next_bit(std::uint64_t bits, int from) {
  if (from >= 64) {
    return -1;
  }
  const std::uint64_t rest = bits >> from;
  return rest == 0 ? -1 : from + std::countr_zero(rest);
}

} // namespace

WallMatcher::WallMatcher(const crontab::Schedule& schedule)
    : minutes_(schedule.minutes.to_ullong()),
      hours_(static_cast<std::uint32_t>(schedule.hours.to_ulong())),
      days_of_month_(static_cast<std::uint32_t>(schedule.days_of_month.to_ulong()) & ~1U),
      months_(static_cast<std::uint32_t>(schedule.months.to_ulong()) & ~1U),
      // Bit 7 (Sunday as 7) always mirrors bit 0; date::weekday encodes Sunday as 0.
      days_of_week_(static_cast<std::uint32_t>(schedule.days_of_week.to_ulong()) & 0x7FU),
      and_rule_(schedule.dom_star || schedule.dow_star) {}

int WallMatcher::minutes_per_hour() const {
  return std::popcount(minutes_);
}

int WallMatcher::next_time_of_day(int minute_of_day) const {
  const int start_hour = minute_of_day / 60;
  for (int hour = next_bit(hours_, start_hour); hour >= 0 && hour < 24;
       hour = next_bit(hours_, hour + 1)) {
    // Only the starting hour is entered part-way; later hours start at minute 0.
    const int from_minute = hour == start_hour ? minute_of_day % 60 : 0;
    if (const int m = next_bit(minutes_, from_minute); m >= 0 && m < 60) {
      return hour * 60 + m;
    }
  }
  return -1;
}

std::optional<date::local_seconds> WallMatcher::next_match(date::local_seconds from,
                                                           date::local_seconds limit) const {
  using std::chrono::minutes;
  const auto start = date::ceil<minutes>(from);
  auto day = date::floor<date::days>(start);
  int minute_of_day = static_cast<int>((start - day) / minutes{1});
  while (day < limit) {
    const date::year_month_day ymd{day};
    if (!month_matches(static_cast<unsigned>(ymd.month()))) {
      // Skip the whole month: the common case for yearly and quarterly jobs.
      day = date::local_days{(ymd.year() / ymd.month() + date::months{1}) / 1};
      minute_of_day = 0;
      continue;
    }
    if (day_matches(ymd, date::weekday{day})) {
      if (const int t = next_time_of_day(minute_of_day); t >= 0) {
        const auto found = date::local_seconds{day} + minutes{t};
        if (found < limit) {
          return found;
        }
        return std::nullopt;
      }
    }
    day += date::days{1};
    minute_of_day = 0;
  }
  return std::nullopt;
}

} // namespace digger::timing
