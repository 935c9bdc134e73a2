#include "digger/migrate/builders.hpp"
#include "digger/migrate/expressions.hpp"
#include "digger/migrate/names.hpp"

#include <fmt/format.h>

namespace digger::migrate {
namespace {

using json = nlohmann::ordered_json;

// Scheduler reaches SSM and Batch as "universal targets" (migration-targets.md §1.5, §2.1);
// the role, queue and image are the operator's to fill in.
constexpr std::string_view ssm_send_command = "arn:aws:scheduler:::aws-sdk:ssm:sendCommand";
constexpr std::string_view batch_submit_job = "arn:aws:scheduler:::aws-sdk:batch:submitJob";

json host_targets(const JobFacts& facts) {
  return json::array({{{"Key", "tag:Name"}, {"Values", json::array({facts.host})}}});
}

json flexible_window(const JobFacts& facts) {
  if (!facts.random_delay_minutes) {
    return {{"Mode", "OFF"}};
  }
  return {{"Mode", "FLEXIBLE"},
          {"MaximumWindowInMinutes", std::min(*facts.random_delay_minutes, 1440)}};
}

json scheduler_target(const crontab::Job& job, const JobFacts& facts, Target target,
                      const std::string& batch_name) {
  if (target == Target::batch) {
    const json input = {
        {"JobName", batch_name}, {"JobQueue", "<JOB_QUEUE_ARN>"}, {"JobDefinition", batch_name}};
    return {
        {"Arn", batch_submit_job}, {"RoleArn", "<SCHEDULER_ROLE_ARN>"}, {"Input", input.dump()}};
  }
  const json input = {{"DocumentName", "AWS-RunShellScript"},
                      {"Targets", host_targets(facts)},
                      {"Parameters", {{"commands", json::array({host_script(job, facts)})}}}};
  return {{"Arn", ssm_send_command}, {"RoleArn", "<SCHEDULER_ROLE_ARN>"}, {"Input", input.dump()}};
}

std::string part_note(size_t index, size_t count) {
  return count > 1 ? fmt::format(" (part {} of {}: cron ORs the day fields)", index + 1, count)
                   : std::string();
}

json scheduler_schedule(const crontab::Job& job, const JobFacts& facts, Target target,
                        const std::string& name, const std::string& expression,
                        const std::string& batch_name, const std::string& description) {
  json content = {{"Name", name}, {"GroupName", "default"}, {"ScheduleExpression", expression}};
  if (!facts.zone.empty()) {
    content["ScheduleExpressionTimezone"] = facts.zone;
  }
  content["FlexibleTimeWindow"] = flexible_window(facts);
  content["State"] = "ENABLED";
  content["Description"] = description.substr(0, 512);
  content["Target"] = scheduler_target(job, facts, target, batch_name);
  return content;
}

json events_rule(const crontab::Job& job, const JobFacts& facts, const std::string& name,
                 const std::string& expression, const std::string& description) {
  const json input = {{"commands", json::array({host_script(job, facts)})}};
  const json target = {{"Id", "digger-ssm"},
                       {"Arn", "arn:aws:ssm:<REGION>::document/AWS-RunShellScript"},
                       {"RoleArn", "<EVENTS_ROLE_ARN>"},
                       {"Input", input.dump()},
                       {"RunCommandParameters", {{"RunCommandTargets", host_targets(facts)}}}};
  return {{"Name", name},
          {"ScheduleExpression", expression},
          {"State", "ENABLED"},
          {"Description", description.substr(0, 512)},
          {"Targets", json::array({target})}};
}

json batch_job_definition(const crontab::Job& job, const JobFacts& facts, const std::string& name) {
  json environment = json::array();
  for (const auto& env : job.environment) {
    if (!env.name.starts_with("AWS_BATCH")) { // reserved by Batch (API_ContainerProperties)
      environment.push_back({{"name", env.name}, {"value", env.value}});
    }
  }
  json container = {
      {"image", "<IMAGE>"},
      {"command", json::array({facts.shell, "-c", command_with_stdin(job)})},
      {"environment", environment},
      {"user", facts.run_as},
      {"resourceRequirements",
       json::array({{{"type", "VCPU"}, {"value", "1"}}, {{"type", "MEMORY"}, {"value", "2048"}}})}};
  return {{"jobDefinitionName", name},
          {"type", "container"},
          {"containerProperties", container},
          {"timeout", {{"attemptDurationSeconds", facts.batch_timeout_seconds}}}};
}

} // namespace

void build_eventbridge(const crontab::Job& job, const crontab::Schedule& schedule,
                       const JobFacts& facts, Target target, std::set<std::string>& used_names,
                       Conversion& out) {
  const auto expressions = eventbridge_expressions(schedule);
  std::string batch_name;
  if (target == Target::batch) {
    batch_name = unique_name(facts.base_name, used_names, name_rules(Target::batch));
    out.definitions.push_back(
        {"batch-job-definition", batch_name, batch_job_definition(job, facts, batch_name)});
  }
  const NameRules rules = name_rules(target == Target::batch ? Target::eventbridge : target);
  for (size_t i = 0; i < expressions.size(); ++i) {
    // The job definition already holds the base name: its schedules say what they are.
    std::string suffix = target == Target::batch ? "-schedule" : "";
    suffix += expressions.size() > 1 ? (i == 0 ? "-dom" : "-dow") : "";
    const std::string name = unique_name(facts.base_name + suffix, used_names, rules);
    const std::string description = facts.description + part_note(i, expressions.size());
    out.schedules.push_back(expressions[i]);
    if (target == Target::eventbridge_rule) {
      out.definitions.push_back(
          {"events-rule", name, events_rule(job, facts, name, expressions[i], description)});
    } else {
      out.definitions.push_back(
          {"scheduler-schedule", name,
           scheduler_schedule(job, facts, target, name, expressions[i], batch_name, description)});
    }
  }
  if (target == Target::batch) {
    out.lost.push_back({"timeout", LossLevel::workaround,
                        fmt::format("cron sets no time limit; the job definition stops an attempt "
                                    "after {} s (timeout.attemptDurationSeconds): adjust it",
                                    facts.batch_timeout_seconds)});
    for (const auto& env : job.environment) {
      if (env.name.starts_with("AWS_BATCH")) {
        out.lost.push_back({"environment", LossLevel::impossible,
                            fmt::format("{} is left out: Batch reserves names starting with "
                                        "AWS_BATCH",
                                        env.name)});
      }
    }
  }
}

} // namespace digger::migrate
