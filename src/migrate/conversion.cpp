#include "digger/migrate/conversion.hpp"

#include "digger/migrate/builders.hpp"
#include "digger/migrate/days.hpp"
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

// A fixed UTC offset turned into an hour shift for UTC-only rules. Refused when a shifted
// hour crosses midnight while the days are restricted by date or month (the date would have
// to move too), or when the hours do not all cross it the same way.
std::optional<crontab::Schedule> shift_to_utc(const crontab::Schedule& local,
                                              std::chrono::minutes offset) {
  if (offset.count() % 60 != 0) {
    return std::nullopt;
  }
  const int shift = static_cast<int>(offset.count() / 60);
  crontab::Schedule utc = local;
  utc.hours.reset();
  std::optional<int> day_delta;
  for (int h = 0; h < 24; ++h) {
    if (!local.hours.test(static_cast<size_t>(h))) {
      continue;
    }
    const int u = h - shift;
    const int delta = u < 0 ? -1 : (u > 23 ? 1 : 0);
    if (day_delta && *day_delta != delta) {
      return std::nullopt;
    }
    day_delta = delta;
    utc.hours.set(static_cast<size_t>((u + 24) % 24));
  }
  if (!day_delta || *day_delta == 0) {
    return utc;
  }
  const DayRule days = resolve_days(local);
  const bool all_months = (local.months >> 1).count() == 12;
  if (!all_months || (days.kind != DayKind::every_day && days.kind != DayKind::dow_only)) {
    return std::nullopt;
  }
  utc.days_of_week.reset();
  for (int d = 0; d < 7; ++d) {
    if (days.dow.test(static_cast<size_t>(d))) {
      utc.days_of_week.set(static_cast<size_t>((d + *day_delta + 7) % 7));
    }
  }
  if (utc.days_of_week.test(0)) {
    utc.days_of_week.set(7);
  }
  return utc;
}

std::string offset_text(std::chrono::minutes offset) {
  const auto total = offset.count();
  const auto magnitude = total < 0 ? -total : total;
  return fmt::format("{}{:02}:{:02}", total < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

// EventBridge rules read cron() in UTC only (migration-targets.md §1.3).
std::optional<crontab::Schedule> rule_schedule(const crontab::Job& job, const JobFacts& facts,
                                               Conversion& out, std::optional<Lost>& refusal) {
  const ZoneFacts& zone = facts.zone_facts;
  if (facts.zone.empty() || zone.is_utc) {
    return job.schedule;
  }
  if (zone.has_dst) {
    refusal = Lost{"utc-only", LossLevel::impossible,
                   fmt::format("EventBridge rules run in UTC only and {} changes its UTC offset "
                               "for daylight saving time: no UTC schedule matches the job all "
                               "year. Use --target eventbridge (Scheduler takes the zone)",
                               facts.zone)};
    return std::nullopt;
  }
  auto shifted = shift_to_utc(job.schedule, zone.offset);
  if (!shifted) {
    refusal = Lost{"utc-only", LossLevel::impossible,
                   fmt::format("EventBridge rules run in UTC only; moving the job from {} "
                               "(UTC{}) to UTC would move its days as well. Use --target "
                               "eventbridge (Scheduler takes the zone)",
                               facts.zone, offset_text(zone.offset))};
    return std::nullopt;
  }
  out.lost.push_back({"utc-only", LossLevel::workaround,
                      fmt::format("EventBridge rules run in UTC only: the hours were moved by "
                                  "{}'s fixed offset (UTC{})",
                                  facts.zone, offset_text(zone.offset))});
  return shifted;
}

} // namespace

Conversion convert_job(const crontab::Job& job, const JobContext& context, Target target,
                       std::set<std::string>& used_names) {
  const JobFacts facts = job_facts(job, context);
  if (!facts.zone.empty() && !facts.zone_facts.known) {
    return refused(target, {"time-zone", LossLevel::impossible,
                            fmt::format("the zone '{}' is not in the tz database: the job's "
                                        "times cannot be placed",
                                        facts.zone)});
  }
  if (!is_portable_user_name(facts.run_as)) {
    return refused(target, {"run-as-user", LossLevel::impossible,
                            fmt::format("'{}' is not a user name the targets accept",
                                        printable(facts.run_as))});
  }
  if (auto problem = schedule_problem(job.schedule, target)) {
    return refused(target, *problem);
  }
  Conversion out;
  out.target = target;
  switch (target) {
  case Target::eventbridge_rule: {
    std::optional<Lost> refusal;
    auto schedule = rule_schedule(job, facts, out, refusal);
    if (!schedule) {
      return refused(target, *refusal);
    }
    if (auto problem = schedule_problem(*schedule, target)) {
      return refused(target, *problem);
    }
    build_eventbridge(job, *schedule, facts, target, used_names, out);
    break;
  }
  case Target::eventbridge:
  case Target::batch:
    build_eventbridge(job, job.schedule, facts, target, used_names, out);
    break;
  case Target::jenkins:
    build_jenkins(job, facts, used_names, out);
    break;
  case Target::kubernetes:
    build_kubernetes(job, facts, used_names, out);
    break;
  case Target::systemd:
    build_systemd(job, facts, used_names, out);
    break;
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
