#pragma once

#include "digger/crontab/schedule.hpp"
#include "digger/migrate/target.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::migrate {

// Why this schedule cannot be written for the target at all (then nothing is generated):
// @reboot outside systemd, a schedule that never fires, a `~` field, or days that the
// target cannot combine the way cron does. nullopt when the expressions below are exact.
std::optional<Lost> schedule_problem(const crontab::Schedule& schedule, Target target);

// Each function below expects schedule_problem() to have returned nullopt for its target.
// When cron ORs day-of-month and day-of-week, the targets that AND them (or forbid both)
// get two expressions whose union is the cron job.

// EventBridge (Scheduler and rules): "cron(min hour dom month dow year)", Sunday = 1.
std::vector<std::string> eventbridge_expressions(const crontab::Schedule& schedule);

// Jenkins spec lines (5 fields, numbers only, no H). Several lines fire on their union.
std::vector<std::string> jenkins_lines(const crontab::Schedule& schedule);

// Kubernetes spec.schedule, written for robfig/cron's star rule and 0-6 weekdays.
std::string kubernetes_schedule(const crontab::Schedule& schedule);

// systemd OnCalendar= values; `zone` (an IANA name, may be empty) is appended to each.
std::vector<std::string> systemd_calendars(const crontab::Schedule& schedule,
                                           std::string_view zone);

} // namespace digger::migrate
