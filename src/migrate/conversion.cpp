#include "digger/migrate/conversion.hpp"

#include "digger/migrate/builders.hpp"
#include "digger/migrate/expressions.hpp"

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
  if (!facts.timer_triggers.empty() && target->takes_timer_triggers) {
    return std::nullopt; // the timer's own lines are written as they are
  }
  if (context.schedule_refusal) {
    return context.schedule_refusal;
  }
  return schedule_problem(job.schedule, target);
}

} // namespace

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
