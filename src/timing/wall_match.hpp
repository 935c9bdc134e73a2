#pragma once

#include "digger/crontab/schedule.hpp"

#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <optional>

namespace digger::timing {

// A Schedule packed into machine words for fast matching against local wall-clock time,
// without any time zone: the building block of next_fire_time and the heat map.
class WallMatcher {
public:
  explicit WallMatcher(const crontab::Schedule& schedule);

  bool month_matches(unsigned month) const { return (months_ >> month) & 1U; }
  bool hour_matches(unsigned hour) const { return (hours_ >> hour) & 1U; }
  // cronie's rule: with a '*'-led day field both must match, otherwise either.
  bool day_matches(const date::year_month_day& ymd, date::weekday weekday) const {
    return day_matches(static_cast<unsigned>(ymd.day()), weekday.c_encoding());
  }
  bool day_matches(unsigned day_of_month, unsigned weekday) const { // weekday: Sunday = 0
    const bool dom = (days_of_month_ >> day_of_month) & 1U;
    const bool dow = (days_of_week_ >> weekday) & 1U;
    return and_rule_ ? dom && dow : dom || dow;
  }
  int minutes_per_hour() const; // how many minutes of a matching hour fire

  // The first matching minute of the day at or after `minute_of_day`, or -1.
  int next_time_of_day(int minute_of_day) const;

  // The first matching wall-clock minute in [from, limit), from rounded up to a minute.
  std::optional<date::local_seconds> next_match(date::local_seconds from,
                                                date::local_seconds limit) const;

private:
  std::uint64_t minutes_ = 0;
  std::uint32_t hours_ = 0;
  std::uint32_t days_of_month_ = 0;
  std::uint32_t months_ = 0;
  std::uint32_t days_of_week_ = 0; // bits 0..6, Sunday = 0
  bool and_rule_ = false;
};

} // namespace digger::timing
