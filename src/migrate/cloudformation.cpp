// The AWS targets as CloudFormation templates (JSON). The conversion's definitions are API
// inputs (CreateSchedule, PutRule + PutTargets, RegisterJobDefinition); CloudFormation's
// resource properties carry the same names (PascalCase), so the mapping is one to one, and
// the operator's placeholders become template parameters.

#include "digger/migrate/export_files.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <set>
#include <utility>

namespace digger::migrate {
namespace {

using json = nlohmann::ordered_json;

struct Placeholder {
  std::string_view text;
  std::string_view parameter; // a template parameter, or a pseudo parameter (AWS::Region)
  std::string_view description;
};

constexpr std::array<Placeholder, 6> placeholders = {{
    {"<SCHEDULER_ROLE_ARN>", "SchedulerRoleArn",
     "IAM role EventBridge Scheduler assumes to call the target (ssm:SendCommand or "
     "batch:SubmitJob)"},
    {"<EVENTS_ROLE_ARN>", "EventsRoleArn",
     "IAM role EventBridge assumes to run the SSM Run Command document"},
    {"<JOB_QUEUE_ARN>", "JobQueueArn", "AWS Batch job queue the schedules submit to"},
    {"<IMAGE>", "Image",
     "Container image of the Batch jobs: it must hold the jobs' programs and users"},
    {"<REGION>", "AWS::Region", ""},
    {"<ACCOUNT_ID>", "AWS::AccountId", ""},
}};

struct TemplateBuilder {
  json resources = json::object();
  std::set<std::string> parameters; // used, in placeholder order when written
  std::set<std::string> logical_ids;

  json ref(const Placeholder& p) {
    if (!std::string_view(p.parameter).starts_with("AWS::")) {
      parameters.insert(std::string(p.parameter));
    }
    return {{"Ref", std::string(p.parameter)}};
  }

  // A whole-string placeholder becomes a Ref; anything else stays as written (host text that
  // happens to contain "<IMAGE>" is never rewritten).
  void replace_exact(json& value) {
    if (value.is_structured()) {
      for (auto& child : value) {
        replace_exact(child);
      }
      return;
    }
    if (!value.is_string()) {
      return;
    }
    for (const auto& p : placeholders) {
      if (value.get<std::string>() == p.text) {
        value = ref(p);
        return;
      }
    }
  }

  // Placeholders inside a string that holds no host text (a Batch SubmitJob input, an ARN):
  // Fn::Join, never Fn::Sub, which would also expand any "${...}" in the text.
  json join_placeholders(const std::string& text) {
    json parts = json::array();
    std::string literal;
    size_t pos = 0;
    while (pos < text.size()) {
      const Placeholder* hit = nullptr;
      for (const auto& p : placeholders) {
        if (text.compare(pos, p.text.size(), p.text) == 0) {
          hit = &p;
        }
      }
      if (hit == nullptr) {
        literal += text[pos++];
        continue;
      }
      if (!literal.empty()) {
        parts.push_back(literal);
        literal.clear();
      }
      parts.push_back(ref(*hit));
      pos += hit->text.size();
    }
    if (!literal.empty()) {
      parts.push_back(literal);
    }
    if (parts.size() == 1 && parts[0].is_string()) {
      return parts[0];
    }
    return {{"Fn::Join", json::array({"", parts})}};
  }

  std::string logical_id(std::string_view prefix, std::string_view name) {
    std::string id(prefix);
    bool upper = true;
    for (char c : name) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 128 && std::isalnum(u)) {
        id += upper ? static_cast<char>(std::toupper(u)) : c;
        upper = false;
      } else {
        upper = true;
      }
    }
    id.resize(std::min<size_t>(id.size(), 200)); // limit 255
    std::string unique = id;
    for (int n = 2; logical_ids.count(unique) != 0; ++n) {
      unique = fmt::format("{}{}", id, n);
    }
    logical_ids.insert(unique);
    return unique;
  }
};

// RegisterJobDefinition's camelCase keys are CloudFormation's PascalCase property names.
json pascal_keys(const json& value) {
  if (value.is_array()) {
    json out = json::array();
    for (const auto& child : value) {
      out.push_back(pascal_keys(child));
    }
    return out;
  }
  if (!value.is_object()) {
    return value;
  }
  json out = json::object();
  for (const auto& [key, child] : value.items()) {
    std::string name = key;
    if (!name.empty()) {
      name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    }
    out[name] = pascal_keys(child);
  }
  return out;
}

json resource(TemplateBuilder& builder, const Definition& definition, std::string& type) {
  json properties = definition.content;
  if (definition.kind == "batch-job-definition") {
    type = "AWS::Batch::JobDefinition";
    properties = pascal_keys(properties);
    for (auto& secret : properties["ContainerProperties"]["Secrets"]) {
      secret["ValueFrom"] = builder.join_placeholders(secret["ValueFrom"].get<std::string>());
    }
  } else if (definition.kind == "events-rule") {
    type = "AWS::Events::Rule";
    for (auto& target : properties["Targets"]) {
      target["Arn"] = builder.join_placeholders(target["Arn"].get<std::string>());
    }
  } else {
    type = "AWS::Scheduler::Schedule";
    auto& target = properties["Target"];
    if (target["Arn"].get<std::string>().find(":batch:") != std::string::npos) {
      target["Input"] = builder.join_placeholders(target["Input"].get<std::string>());
    }
  }
  builder.replace_exact(properties);
  return properties;
}

std::string_view id_prefix(const std::string& kind) {
  if (kind == "batch-job-definition") {
    return "JobDefinition";
  }
  return kind == "events-rule" ? "Rule" : "Schedule";
}

// One job's resources; a Batch schedule waits for its job definition.
void add_job(TemplateBuilder& builder, const ExportedJob& job, const std::string& file,
             std::vector<std::string>& locations) {
  std::string definition_id;
  for (const auto& definition : job.conversion.definitions) {
    std::string type;
    json properties = resource(builder, definition, type);
    const std::string id = builder.logical_id(id_prefix(definition.kind), definition.name);
    json entry = {{"Type", type}};
    if (definition.kind == "batch-job-definition") {
      definition_id = id;
    } else if (!definition_id.empty()) {
      entry["DependsOn"] = definition_id;
    }
    entry["Properties"] = std::move(properties);
    builder.resources[id] = std::move(entry);
    locations.push_back(file + "#" + id);
  }
}

json template_json(TemplateBuilder& builder, const ExportPlan& plan, size_t jobs) {
  json parameters = json::object();
  for (const auto& p : placeholders) {
    if (builder.parameters.count(std::string(p.parameter)) != 0) {
      parameters[std::string(p.parameter)] = {{"Type", "String"},
                                              {"Description", std::string(p.description)}};
    }
  }
  json out = {{"AWSTemplateFormatVersion", "2010-09-09"},
              {"Description", fmt::format("digger-scan export: {} cron job(s) of scan {} to {}",
                                          jobs, plan.scan.id, target_name(plan.target))}};
  if (!parameters.empty()) {
    out["Parameters"] = std::move(parameters);
  }
  out["Resources"] = std::move(builder.resources);
  return out;
}

// Jobs grouped into templates of at most cloudformation_max_resources resources.
std::vector<std::vector<size_t>> chunks(const ExportPlan& plan) {
  std::vector<std::vector<size_t>> out(1);
  size_t count = 0;
  for (size_t i = 0; i < plan.jobs.size(); ++i) {
    const size_t n = plan.jobs[i].conversion.definitions.size();
    if (n == 0) {
      continue;
    }
    if (count + n > cloudformation_max_resources && !out.back().empty()) {
      out.emplace_back();
      count = 0;
    }
    out.back().push_back(i);
    count += n;
  }
  return out;
}

} // namespace

void add_cloudformation(const ExportPlan& plan, ExportFiles& out) {
  const auto groups = chunks(plan);
  if (groups.front().empty()) {
    return; // nothing converted: no empty template (CloudFormation rejects one)
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::string file = groups.size() == 1 ? std::string("cloudformation.json")
                                                : fmt::format("cloudformation-{:03}.json", g + 1);
    TemplateBuilder builder;
    for (size_t i : groups[g]) {
      add_job(builder, plan.jobs[i], file, out.locations[i]);
    }
    out.files.push_back({file, json_text(template_json(builder, plan, groups[g].size()))});
  }
}

} // namespace digger::migrate
