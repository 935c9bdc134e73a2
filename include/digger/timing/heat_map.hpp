#pragma once

#include "digger/crontab/schedule.hpp"

#include <array>

namespace digger::timing {

// When a job runs in a typical week: cell [weekday][hour] (weekday 0 = Sunday, hour 0..23 of
// wall-clock time) holds the average number of starts per week in that hour.
//
// Definition: count every wall-clock minute of the reference year 2024 (a leap year, so every
// calendar date from Jan 1 to Dec 31, Feb 29 included, occurs exactly once) that the schedule
// matches, by weekday and hour; divide each weekday's counts by how often that weekday occurs
// in 2024 (53 Mondays and Tuesdays, 52 of each other day). No time zone and no DST: wall time
// as written in the crontab. So "*/15 * * * *" gives 4.0 in every cell, "0 3 * * 1-5" gives
// 1.0 at 03:00 on weekdays, "@monthly" spreads 12 starts over the weekdays its 1sts fell on
// in 2024 (e.g. Monday 00:00 = 3/53), "0 0 29 2 *" gives 1/52 on Thursday 00:00. Randomized
// (`~`) fields count every value cron may pick. @reboot and never-firing schedules are all 0.
using WeeklyHeatMap = std::array<std::array<double, 24>, 7>;

WeeklyHeatMap weekly_fire_counts(const crontab::Schedule& schedule);

} // namespace digger::timing
