#pragma once

// Internal to the migrate stage: EventBridge rules read cron() in UTC only
// (migration-targets.md §1.3), so a job in a fixed-offset zone is moved to UTC.

#include "digger/crontab/schedule.hpp"
#include "digger/migrate/job_facts.hpp"

#include <optional>

namespace digger::migrate {

struct UtcSchedule {
  std::optional<crontab::Schedule> schedule; // nullopt: refused, `item` says why
  std::optional<Lost> item;                  // the refusal, or the workaround when shifted
};

// The job's schedule in UTC: as is when its zone is UTC or unknown, shifted by a fixed offset
// that keeps the days, refused for a zone with DST or a shift that would move the days.
UtcSchedule utc_rule_schedule(const crontab::Schedule& local, const JobFacts& facts);

} // namespace digger::migrate
