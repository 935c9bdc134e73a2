#pragma once

// Internal to the migrate stage: the built-in rows of the target table, each defined beside
// its builder, and what the builders share.

#include "digger/crontab/crontab.hpp"
#include "digger/migrate/conversion.hpp"
#include "digger/migrate/job_facts.hpp"
#include "digger/migrate/target_spec.hpp"

#include <chrono>

namespace digger::migrate {

extern const TargetSpec eventbridge_target;      // aws.cpp: EventBridge Scheduler
extern const TargetSpec eventbridge_rule_target; // aws.cpp: EventBridge scheduled rules
extern const TargetSpec batch_target;            // aws.cpp: AWS Batch + Scheduler
extern const TargetSpec jenkins_target;          // jenkins_kubernetes.cpp
extern const TargetSpec kubernetes_target;       // jenkins_kubernetes.cpp
extern const TargetSpec systemd_target;          // systemd.cpp

// The lost items every target shares, read from the spec's data (mail, stdin, random delay,
// zone, DST, and what an anacron or timer job loses).
void add_common_losses(const crontab::Job& job, const JobFacts& facts, Target target,
                       std::chrono::sys_seconds reference, Conversion& out);

} // namespace digger::migrate
