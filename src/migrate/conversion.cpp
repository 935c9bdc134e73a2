#include "digger/migrate/conversion.hpp"

#include "digger/migrate/builders.hpp"
#include "digger/migrate/expressions.hpp"
#include "digger/units/at_job.hpp"

#include <fmt/format.h>

namespace digger::migrate {
namespace {

Conversion refused(Target target, Lost reason) {
  Conversion out;
  out.target = target;
  out.converted = false;
  out.lost.push_back(std::move(reason));
  return out;
}

// An at job runs once: only a target with a run-once schedule keeps that promise, and only
// while its time is still ahead (a definition for a past time would never run, or run late).
std::optional<Lost> one_off_refusal(std::chrono::sys_seconds run_once,
                                    std::chrono::sys_seconds reference, Target target) {
  if (!target->takes_one_off) {
    return Lost{"one-off", LossLevel::impossible,
                fmt::format("an at job runs once; {} has no one-off schedule, and a recurring "
                            "one would run it again",
                            target->name)};
  }
  if (run_once <= reference) {
    return Lost{"one-off", LossLevel::impossible,
                fmt::format("the at job was due at {} UTC, before the scan: it has run or is "
                            "running, so nothing is left to schedule",
                            run_once_utc(run_once))};
  }
  return std::nullopt;
}

// Why nothing can be generated for this job on this target, before any builder runs.
std::optional<Lost> refusal(const crontab::Job& job, const JobContext& context,
                            const JobFacts& facts, Target target) {
  if (!facts.zone.empty() && !facts.zone_facts.known) {
    return Lost{"time-zone", LossLevel::impossible,
                fmt::format("the zone '{}' is not in the tz database: the job's times cannot be "
                            "placed",
                            facts.zone)};
  }
  if (!is_portable_user_name(facts.run_as)) {
    return Lost{"run-as-user", LossLevel::impossible,
                fmt::format("'{}' is not a user name the targets accept", printable(facts.run_as))};
  }
  if (facts.run_once) {
    return one_off_refusal(*facts.run_once, context.reference, target);
  }
  if (!facts.timer_triggers.empty() && target->takes_timer_triggers) {
    return std::nullopt; // the timer's own lines are written as they are
  }
  if (context.schedule_refusal) {
    return context.schedule_refusal;
  }
  return schedule_problem(job.schedule, target);
}

} // namespace

std::string run_once_utc(std::chrono::sys_seconds time) {
  return units::utc_iso8601(time.time_since_epoch().count()).substr(0, 19);
}

Conversion convert_job(const crontab::Job& job, const JobContext& context, Target target,
                       std::set<std::string>& used_names) {
  const JobFacts facts = job_facts(job, context);
  if (auto reason = refusal(job, context, facts, target)) {
    return refused(target, *reason);
  }
  Conversion out;
  out.target = target;
  if (auto reason = target->build({job, facts, target, used_names}, out)) {
    return refused(target, *reason);
  }
  for (const auto& item : context.origin_losses) {
    out.lost.push_back(item);
  }
  add_common_losses(job, facts, target, context.reference, out);
  out.converted = true;
  return out;
}

nlohmann::ordered_json to_json(const Conversion& conversion) {
  nlohmann::ordered_json definitions = nlohmann::ordered_json::array();
  for (const auto& d : conversion.definitions) {
    definitions.push_back({{"kind", d.kind}, {"name", d.name}, {"content", d.content}});
  }
  nlohmann::ordered_json lost = nlohmann::ordered_json::array();
  for (const auto& l : conversion.lost) {
    lost.push_back(
        {{"feature", l.feature}, {"level", loss_level_name(l.level)}, {"detail", l.detail}});
  }
  return {{"target", target_name(conversion.target)},
          {"converted", conversion.converted},
          {"schedules", conversion.schedules},
          {"definitions", definitions},
          {"lost", lost}};
}

} // namespace digger::migrate
