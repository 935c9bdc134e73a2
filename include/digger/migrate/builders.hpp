#pragma once

// Internal to the migrate stage: one builder per target family. Each is called only after
// the schedule was found expressible (schedule_problem), and fills schedules, definitions
// and the target-specific lost items of `out`.

#include "digger/crontab/crontab.hpp"
#include "digger/migrate/conversion.hpp"
#include "digger/migrate/job_facts.hpp"

#include <set>
#include <string>

namespace digger::migrate {

// `schedule` may differ from job.schedule (EventBridge rules: shifted to UTC).
void build_eventbridge(const crontab::Job& job, const crontab::Schedule& schedule,
                       const JobFacts& facts, Target target, std::set<std::string>& used_names,
                       Conversion& out);
void build_jenkins(const crontab::Job& job, const JobFacts& facts,
                   std::set<std::string>& used_names, Conversion& out);
void build_kubernetes(const crontab::Job& job, const JobFacts& facts,
                      std::set<std::string>& used_names, Conversion& out);
void build_systemd(const crontab::Job& job, const JobFacts& facts,
                   std::set<std::string>& used_names, Conversion& out);

// The lost items that follow from the job and the target alone (mail, user, stdin, host,
// overlap, DST, zone, delay), shared by every builder.
void add_common_losses(const crontab::Job& job, const JobFacts& facts, Target target,
                       std::chrono::sys_seconds reference, Conversion& out);

} // namespace digger::migrate
