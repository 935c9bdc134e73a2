// The three AWS rows of the target table: EventBridge Scheduler, EventBridge scheduled rules
// and AWS Batch (a job definition started by a Scheduler schedule). Definitions are API inputs
// (CreateSchedule, PutRule + PutTargets, RegisterJobDefinition), written into CloudFormation
// templates (cloudformation.cpp), every schedule and rule DISABLED until its cut-over step.

#include "digger/migrate/builders.hpp"
#include "digger/migrate/export_files.hpp"
#include "digger/migrate/export_plan.hpp"
#include "digger/migrate/expressions.hpp"
#include "digger/migrate/names.hpp"
#include "digger/migrate/secret_store.hpp"
#include "digger/migrate/utc_shift.hpp"

#include <fmt/format.h>

namespace digger::migrate {
namespace {

using json = nlohmann::ordered_json;

// Scheduler reaches SSM and Batch as "universal targets" (migration-targets.md §1.5, §2.1);
// the role, queue and image are the operator's to fill in.
constexpr std::string_view ssm_send_command = "arn:aws:scheduler:::aws-sdk:ssm:sendCommand";
constexpr std::string_view batch_submit_job = "arn:aws:scheduler:::aws-sdk:batch:submitJob";
// Scheduler: 1-64, ^[0-9a-zA-Z-_.]+$; rules: 1-64, [\.\-_A-Za-z0-9]+.
constexpr NameRules scheduler_names{64, "-_.", false};

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

json ssm_target(const crontab::Job& job, const JobFacts& facts) {
  const json input = {{"DocumentName", "AWS-RunShellScript"},
                      {"Targets", host_targets(facts)},
                      {"Parameters", {{"commands", json::array({host_script(job, facts)})}}}};
  return {{"Arn", ssm_send_command}, {"RoleArn", "<SCHEDULER_ROLE_ARN>"}, {"Input", input.dump()}};
}

json batch_target_of(const std::string& batch_name) {
  const json input = {
      {"JobName", batch_name}, {"JobQueue", "<JOB_QUEUE_ARN>"}, {"JobDefinition", batch_name}};
  return {{"Arn", batch_submit_job}, {"RoleArn", "<SCHEDULER_ROLE_ARN>"}, {"Input", input.dump()}};
}

std::string part_note(size_t index, size_t count) {
  return count > 1 ? fmt::format(" (part {} of {}: cron ORs the day fields)", index + 1, count)
                   : std::string();
}

// Created DISABLED: deployed before the cut-over, the schedule must not run the job a second
// time beside cron. The cut-over step enables it (enable_schedules below).
json scheduler_schedule(const JobFacts& facts, const std::string& name,
                        const std::string& expression, json target,
                        const std::string& description) {
  json content = {{"Name", name}, {"GroupName", "default"}, {"ScheduleExpression", expression}};
  if (!facts.zone.empty()) {
    content["ScheduleExpressionTimezone"] = facts.zone;
  }
  content["FlexibleTimeWindow"] = flexible_window(facts);
  content["State"] = "DISABLED";
  content["Description"] = description.substr(0, 512);
  content["Target"] = std::move(target);
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
          {"State", "DISABLED"},
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
  json secrets = json::array();
  for (const auto& variable : facts.secrets) {
    secrets.push_back({{"name", variable}, {"valueFrom", secret_parameter_arn(facts, variable)}});
  }
  json container = {
      {"image", "<IMAGE>"},
      {"command", json::array({facts.shell, "-c", command_with_stdin(job)})},
      {"environment", environment},
      {"secrets", secrets},
      {"user", facts.run_as},
      {"resourceRequirements",
       json::array({{{"type", "VCPU"}, {"value", "1"}}, {{"type", "MEMORY"}, {"value", "2048"}}})}};
  return {{"jobDefinitionName", name},
          {"type", "container"},
          {"containerProperties", container},
          {"timeout", {{"attemptDurationSeconds", facts.batch_timeout_seconds}}}};
}

// The SSM route shared by Scheduler and rules: the command runs on the host itself.
void add_ssm_losses(const JobFacts& facts, Conversion& out) {
  out.lost.push_back({"command", LossLevel::workaround,
                      "EventBridge runs no command itself: the definition sends the command line "
                      "to SSM Run Command (AWS-RunShellScript), with the user, environment and "
                      "stdin written into the script; fill in the role ARN"});
  out.lost.push_back(
      {"host-binding", LossLevel::workaround,
       fmt::format("SSM selects the instance by the tag Name={}: the instance must carry it and "
                   "run the SSM agent",
                   facts.host.empty() ? std::string("the host") : facts.host)});
}

// One schedule (or rule) per expression: two when cron ORs the day fields.
template <typename Make>
void add_schedules(const crontab::Schedule& schedule, const JobFacts& facts,
                   std::string_view suffix, std::set<std::string>& used_names, Conversion& out,
                   Make make) {
  // An at job: one run-once schedule, its time in UTC (the job's zone is UTC: at_job()).
  const auto expressions =
      facts.run_once
          ? std::vector<std::string>{fmt::format("at({})", run_once_utc(*facts.run_once))}
          : eventbridge_expressions(schedule);
  for (size_t i = 0; i < expressions.size(); ++i) {
    std::string tail(suffix);
    tail += expressions.size() > 1 ? (i == 0 ? "-dom" : "-dow") : "";
    const std::string name = unique_name(facts.base_name + tail, used_names, scheduler_names);
    out.schedules.push_back(expressions[i]);
    out.definitions.push_back(
        make(name, expressions[i], facts.description + part_note(i, expressions.size())));
  }
}

std::optional<Lost> build_scheduler(const BuildInput& in, Conversion& out) {
  add_schedules(
      in.job.schedule, in.facts, "", in.used_names, out,
      [&](const std::string& name, const std::string& expression, const std::string& description) {
        return Definition{"scheduler-schedule", name,
                          scheduler_schedule(in.facts, name, expression,
                                             ssm_target(in.job, in.facts), description)};
      });
  add_ssm_losses(in.facts, out);
  return std::nullopt;
}

std::optional<Lost> build_rule(const BuildInput& in, Conversion& out) {
  const UtcSchedule utc = utc_rule_schedule(in.job.schedule, in.facts);
  if (!utc.schedule) {
    return utc.item;
  }
  if (auto problem = schedule_problem(*utc.schedule, in.target)) {
    return problem;
  }
  if (utc.item) {
    out.lost.push_back(*utc.item);
  }
  add_schedules(
      *utc.schedule, in.facts, "", in.used_names, out,
      [&](const std::string& name, const std::string& expression, const std::string& description) {
        return Definition{"events-rule", name,
                          events_rule(in.job, in.facts, name, expression, description)};
      });
  add_ssm_losses(in.facts, out);
  return std::nullopt;
}

std::optional<Lost> build_batch(const BuildInput& in, Conversion& out) {
  const JobFacts& facts = in.facts;
  const std::string batch_name = unique_name(facts.base_name, in.used_names, batch_target.names);
  out.definitions.push_back(
      {"batch-job-definition", batch_name, batch_job_definition(in.job, facts, batch_name)});
  // The job definition already holds the base name: its schedules say what they are.
  add_schedules(
      in.job.schedule, facts, "-schedule", in.used_names, out,
      [&](const std::string& name, const std::string& expression, const std::string& description) {
        return Definition{
            "scheduler-schedule", name,
            scheduler_schedule(facts, name, expression, batch_target_of(batch_name), description)};
      });
  out.lost.push_back({"timeout", LossLevel::workaround,
                      fmt::format("cron sets no time limit; the job definition stops an attempt "
                                  "after {} s (timeout.attemptDurationSeconds): adjust it",
                                  facts.batch_timeout_seconds)});
  for (const auto& env : in.job.environment) {
    if (env.name.starts_with("AWS_BATCH")) {
      out.lost.push_back({"environment", LossLevel::impossible,
                          fmt::format("{} is left out: Batch reserves names starting with "
                                      "AWS_BATCH",
                                      env.name)});
    }
  }
  out.lost.push_back({"host-binding", LossLevel::impossible,
                      fmt::format("Batch runs the job in a container of a compute environment, "
                                  "not on {}: the host's files, services and credentials are not "
                                  "there; fill in the image and job queue",
                                  facts.host.empty() ? std::string("the host") : facts.host)});
  if (facts.run_as != "root") {
    out.lost.push_back({"run-as-user", LossLevel::workaround,
                        fmt::format("containerProperties.user is {}: that user must exist in "
                                    "the image",
                                    facts.run_as)});
  }
  return std::nullopt;
}

// Scheduler has no "enable" call of its own (UpdateSchedule replaces the whole schedule): the
// template is the source of truth, so the step edits it and updates the stack.
std::vector<std::string> enable_schedules(const Conversion& conversion) {
  std::vector<std::string> out;
  for (const auto& d : conversion.definitions) {
    if (d.kind == "scheduler-schedule") {
      out.push_back(fmt::format("in the CloudFormation template, set \"State\": \"ENABLED\" on "
                                "the schedule {} and update the stack",
                                d.name));
    }
  }
  return out;
}

std::vector<std::string> enable_rules(const Conversion& conversion) {
  std::vector<std::string> out;
  for (const auto& d : conversion.definitions) {
    out.push_back(fmt::format("aws events enable-rule --name {}", d.name));
  }
  return out;
}

// migration-targets.md §1.6: 300 rules per event bus (100 in some Regions).
void rule_notes(const ExportPlan& plan, std::vector<std::string>& out) {
  size_t definitions = 0;
  for (const auto& job : plan.jobs) {
    definitions += job.conversion.definitions.size();
  }
  if (definitions > 100) {
    out.push_back(fmt::format("EventBridge allows 300 rules per event bus (100 in some "
                              "Regions); this export has {}: consider --target eventbridge",
                              definitions));
  }
}

constexpr std::string_view aws_mail =
    "EventBridge only reports failed invocations (DLQ); route job state events to SNS";
constexpr std::string_view aws_day_detail =
    "cron runs only on days matching both the day of month and the weekday (a field starting "
    "with '*' makes cron AND them); EventBridge needs '?' in one of the two fields, so it "
    "cannot restrict both. Add a date test to the command and schedule on one field, or pick "
    "the days by hand";
constexpr std::string_view ssm_secret_store =
    "the SSM SecureString parameter /digger/<job>/<NAME> (fetched on the host by the SSM "
    "command with aws ssm get-parameter; the instance role needs ssm:GetParameter)";

// What every AWS row shares: the day fields' detail, mail, UTC and the CloudFormation layout.
constexpr TargetSpec aws_row(TargetSpec spec) {
  spec.day_and_detail = aws_day_detail;
  spec.mail_route = aws_mail;
  spec.default_zone = "UTC";
  spec.layout = add_cloudformation;
  return spec;
}

// What the rows started by a Scheduler schedule share besides (Scheduler itself and Batch).
constexpr TargetSpec scheduler_row(TargetSpec spec) {
  spec.takes_one_off = true; // at(yyyy-mm-ddThh:mm:ss)
  spec.random_delay = RandomDelay::capped_at_1440;
  spec.repeated_hour = RepeatedHour::once;
  spec.enable = enable_schedules;
  spec.disabled_as = "every schedule is created with \"State\": \"DISABLED\"";
  return aws_row(spec);
}

} // namespace

const TargetSpec eventbridge_target = scheduler_row({
    .name = "eventbridge",
    .summary = "EventBridge Scheduler, commands through SSM Run Command",
    .names = scheduler_names,
    .build = build_scheduler,
    .secret_store = ssm_secret_store,
});

const TargetSpec eventbridge_rule_target = aws_row({
    .name = "eventbridge-rule",
    .summary = "EventBridge scheduled rules, UTC only",
    .names = scheduler_names,
    .random_delay = RandomDelay::impossible,
    .repeated_hour = RepeatedHour::not_applicable,
    .build = build_rule,
    .enable = enable_rules,
    .disabled_as = "every rule is created with \"State\": \"DISABLED\"",
    .secret_store = ssm_secret_store,
    .notes = rule_notes,
});

const TargetSpec batch_target = scheduler_row({
    .name = "batch",
    .summary = "AWS Batch job definitions started by EventBridge Scheduler",
    .names = {128, "-_", false}, // job definition: up to 128, [A-Za-z0-9_-]
    .build = build_batch,
    .secret_store = "the SSM SecureString parameter /digger/<job>/<NAME>, injected by "
                    "containerProperties.secrets (the execution role needs ssm:GetParameters)",
});

} // namespace digger::migrate
