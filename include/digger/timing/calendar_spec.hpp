#pragma once

#include "digger/util/result.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Howard Hinnant's date: only the zone type is named here (its users include <date/tz.h>).
namespace date {
class time_zone;
} // namespace date

namespace digger::timing {

// One element of a comma list in an OnCalendar= field, as systemd stores it
// (src/shared/calendarspec.c): "start", "start..stop" (repeat 1), "start/repeat",
// "start..stop/repeat". stop = -1 when there is no upper bound.
struct CalendarComponent {
  int start = 0;
  int stop = -1;
  int repeat = 0;

  friend bool operator==(const CalendarComponent&, const CalendarComponent&) = default;
};

// A parsed systemd OnCalendar= expression (systemd.time(7)), kept in systemd's own
// representation so the normalized form and the next elapses agree with systemd-analyze.
// An empty component list means '*'. Seconds are microseconds, as in systemd: "4.5" is
// 4500000, and '*' there is {0, -1, 1000000}.
struct CalendarSpec {
  int weekdays_bits = -1;    // bit 0 = Monday ... bit 6 = Sunday; -1 = any day
  bool end_of_month = false; // '~': days count back from the end of the month
  bool utc = false;
  std::string timezone; // an IANA zone named at the end ("Europe/Paris"), else empty
  std::vector<CalendarComponent> year, month, day, hour, minute, microsecond;

  friend bool operator==(const CalendarSpec&, const CalendarSpec&) = default;
};

inline constexpr int calendar_max_year = 2199;      // systemd's MAX_YEAR: nothing elapses later
inline constexpr int calendar_max_components = 240; // CALENDARSPEC_COMPONENTS_MAX per field

// Parses like systemd's calendar_spec_from_string: shorthands (minutely hourly daily weekly
// monthly yearly annually quarterly semiannually ...), weekday lists and ranges, date and time
// with lists, ranges "..", repetitions "/", '~' for days before the month's end, fractional
// seconds, "@EPOCH", a trailing " UTC" or IANA zone name. A trailing abbreviation of the
// host's own zone ("CET") is only understood when it is also a zone name in the tz database.
// Error: "Failed to parse calendar specification '...'" as systemd-analyze prints it.
util::Result<CalendarSpec> parse_calendar_spec(std::string_view text);

// Exactly systemd-analyze calendar's "Normalized form:" ("Mon..Fri *-*-* 02:30:00").
std::string normalized_calendar_spec(const CalendarSpec& spec);

// The first elapse strictly after `after`, computed with systemd's own search (find_next in
// calendarspec.c) over the wall clock of `zone` (or the spec's zone or UTC when it names one),
// including how glibc's mktime() resolves skipped and repeated wall times across DST.
// Fractions of seconds are truncated in the result. nullopt when it never elapses again
// (past calendar_max_year, impossible dates like "*-02-30").
std::optional<std::chrono::sys_seconds> next_calendar_elapse(const CalendarSpec& spec,
                                                             std::chrono::sys_seconds after,
                                                             const date::time_zone* zone);

// Plain English: "Every day at 00:00", "Monday through Friday at 02:30",
// "On the last day of every month at 23:00", "Every 15 minutes", "At 04:05:06.5 on ...".
std::string describe_calendar_spec(const CalendarSpec& spec);

} // namespace digger::timing
