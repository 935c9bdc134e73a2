#pragma once

#include "digger/crontab/schedule.hpp"

#include <string>

namespace digger::timing {

// A short plain-English reading of when the job runs, for reports and `digger-scan next`:
//   "At 03:15 on Monday through Friday", "Every 15 minutes", "At minute 5 past every hour",
//   "Every 2 hours from 09:00 through 17:00", "At reboot",
//   "At 00:00 on day-of-month 1 and 15, or on Friday"            (cronie's OR rule)
//   "At 00:00 on every 2nd day-of-month if it is a Sunday"        (AND: a '*'-led day field)
//   "Never (reversed range)", "Never (no such date)".
// It works from the parsed sets, so "*/15" and "0,15,30,45" read the same. A randomized (`~`)
// schedule gets a note: the sets then hold every value cron may pick, not the one it picked.
std::string describe(const crontab::Schedule& schedule);

} // namespace digger::timing
