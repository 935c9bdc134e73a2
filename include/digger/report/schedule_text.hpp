#pragma once

// The one place a job's schedule is written for people: cron fields as written, anacron and
// run-parts schedules and systemd timers spelled out, so no table shows "1 5 cron.daily".

#include "digger/report/snapshot.hpp"

#include <string>

namespace digger::report {

// "*/5 * * * *" (cron, as written), "anacron: every 30 days, delay 45 min",
// "run-parts cron.daily (06:25)", "run-parts cron.daily (anacron: every day, delay 5 min)",
// "timer: OnCalendar=*-*-* 02:00:00". Raw host bytes: the caller escapes them.
std::string schedule_text(const JobRow& job);

} // namespace digger::report
