#pragma once

#include "digger/crontab/schedule.hpp"
#include "digger/util/result.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Howard Hinnant's date: only the zone type is named here (its users include <date/tz.h>).
namespace date {
class time_zone;
} // namespace date

namespace digger::timing {

// One moment at which cron starts the job: the instant, and the zone's UTC offset at that
// instant so it can be shown as local wall time ("2024-01-01T03:15:00+01:00").
struct FireTime {
  std::chrono::sys_seconds utc;
  std::chrono::seconds utc_offset{0};

  friend bool operator==(const FireTime&, const FireTime&) = default;
};

// How far ahead the search looks before deciding a schedule never fires. 29 years covers the
// 28-year cycle after which Feb 29 falls on the same weekday again ("0 0 29 2 */7").
inline constexpr int search_span_years = 29;

// False when no date can ever match: an empty field (a reversed range such as "5-2"), or a
// day-of-month that no selected month has ("0 0 30 2 *", "0 0 31 4 *"). Cheap, no search.
bool can_ever_fire(const crontab::Schedule& schedule);

// The zone from the system tz database (/usr/share/zoneinfo), or an error naming it.
// Resolve once and reuse the zone for many schedules: the lookup costs more than a search.
util::Result<const date::time_zone*> find_time_zone(std::string_view name);

// The first time strictly after `after` at which cron (cronie, Debian's Vixie cron) starts the
// job, in the daemon's zone `zone`. Wall-clock matching uses cronie's day rule
// (`(dom_star || dow_star) ? dom && dow : dom || dow`). Across DST it follows the daemon's
// main loop, not crontab(5):
//  - clock jumps forward by 5..179 minutes: fixed-time jobs (neither the minute nor the hour
//    field starts with '*'; @daily is fixed, @hourly is not) whose wall time was skipped run
//    at the instant of the jump; wildcard jobs run only at wall times that exist. Jumps of
//    1..4 minutes catch up every job; jumps of 3 hours or more catch up nothing.
//  - clock jumps back by up to 181 minutes: fixed-time jobs run in the first pass only;
//    wildcard jobs run in both passes. Longer jumps back rerun every job.
// Several catch-up runs at the same instant are reported once. Randomized (`~`) fields are
// searched over every value the range allows; callers should flag such results.
// nullopt for @reboot and when nothing fires within `search_span_years`.
std::optional<FireTime> next_fire_time(const crontab::Schedule& schedule,
                                       std::chrono::sys_seconds after, const date::time_zone& zone);

// Up to `count` consecutive fire times after `after`. Empty for @reboot and for schedules that
// never fire; an error only for an unknown zone.
std::vector<FireTime> next_fire_times(const crontab::Schedule& schedule,
                                      std::chrono::sys_seconds after, const date::time_zone& zone,
                                      std::size_t count);
util::Result<std::vector<FireTime>> next_fire_times(const crontab::Schedule& schedule,
                                                    std::chrono::sys_seconds after,
                                                    std::string_view time_zone, std::size_t count);

// Local wall time with its offset: "2024-03-31T03:00:00+02:00". The offset has seconds only
// for historic local-mean-time offsets ("+00:53:28").
std::string to_iso8601(const FireTime& time);

// Reads "YYYY-MM-DDTHH:MM[:SS]" (or a blank instead of 'T', or a date alone for midnight)
// followed by "Z", "+HH:MM", "+HHMM" or "+HH". Without an offset the text is wall time in
// `zone`; a wall time that occurs twice means the first, one skipped by DST the jump instant.
util::Result<std::chrono::sys_seconds> parse_iso8601(std::string_view text,
                                                     const date::time_zone& zone);

} // namespace digger::timing
