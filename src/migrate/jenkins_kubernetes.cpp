#include "digger/migrate/builders.hpp"
#include "digger/migrate/expressions.hpp"
#include "digger/migrate/names.hpp"

#include <fmt/format.h>

#include <cctype>

namespace digger::migrate {
namespace {

using json = nlohmann::ordered_json;

// A Groovy single-quoted string: no interpolation; backslash, quote and line ends escaped.
std::string groovy_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case '\'':
      out += "\\'";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      out += c;
    }
  }
  return out + "'";
}

bool is_identifier(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

std::string jenkins_pipeline(const crontab::Job& job, const JobFacts& facts,
                             const std::vector<std::string>& lines, Conversion& out) {
  std::string spec = facts.zone.empty() ? "" : "TZ=" + facts.zone + "\n";
  for (size_t i = 0; i < lines.size(); ++i) {
    spec += (i > 0 ? "\n" : "") + lines[i];
  }
  // The host's own agent keeps the job on its host; with no host known, any agent.
  const std::string agent =
      facts.host.empty() ? std::string("any") : "{ label " + groovy_quote(facts.host) + " }";
  std::string text = fmt::format("// {}\npipeline {{\n  agent {}\n", facts.description, agent);
  text += fmt::format("  triggers {{\n    cron({})\n  }}\n", groovy_quote(spec));
  std::string environment;
  for (const auto& env : job.environment) {
    if (is_identifier(env.name)) {
      environment += fmt::format("    {} = {}\n", env.name, groovy_quote(env.value));
    } else {
      out.lost.push_back({"environment", LossLevel::impossible,
                          fmt::format("'{}' is not a Groovy identifier, so the environment block "
                                      "cannot set it",
                                      env.name)});
    }
  }
  if (!environment.empty()) {
    text += "  environment {\n" + environment + "  }\n";
  }
  // The sh step runs its script with "sh -xe"; a child shell keeps cron's semantics for
  // command lists (no stop at the first failing command).
  const std::string step =
      fmt::format("{} -c {}", shell_word(facts.shell), shell_quote(command_with_stdin(job)));
  text += fmt::format("  stages {{\n    stage('cron job') {{\n      steps {{\n        sh {}\n"
                      "      }}\n    }}\n  }}\n}}\n",
                      groovy_quote(step));
  return text;
}

} // namespace

void build_jenkins(const crontab::Job& job, const JobFacts& facts,
                   std::set<std::string>& used_names, Conversion& out) {
  const auto lines = jenkins_lines(job.schedule);
  const std::string name = unique_name(facts.base_name, used_names, name_rules(Target::jenkins));
  out.schedules = lines;
  out.definitions.push_back({"jenkins-pipeline", name, jenkins_pipeline(job, facts, lines, out)});
}

void build_kubernetes(const crontab::Job& job, const JobFacts& facts,
                      std::set<std::string>& used_names, Conversion& out) {
  const std::string schedule = kubernetes_schedule(job.schedule);
  const std::string name = unique_name(facts.base_name, used_names, name_rules(Target::kubernetes));
  json env = json::array();
  for (const auto& e : job.environment) {
    env.push_back({{"name", e.name}, {"value", e.value}});
  }
  json container = {{"name", "job"},
                    {"image", "<IMAGE>"},
                    {"command", json::array({facts.shell, "-c", command_with_stdin(job)})},
                    {"env", env}};
  if (facts.uid) {
    container["securityContext"] = {{"runAsUser", *facts.uid}};
  }
  json spec = {{"schedule", schedule}};
  if (!facts.zone.empty()) {
    spec["timeZone"] = facts.zone; // never CRON_TZ= inside schedule: rejected since 1.29
  }
  // cron starts every run even while the last one is still going (Allow); a job under
  // `flock -n` skips instead, which is Forbid (flock itself would not see other pods).
  spec["concurrencyPolicy"] = facts.nonblocking_lock ? "Forbid" : "Allow";
  spec["jobTemplate"] = {
      {"spec",
       {{"template",
         {{"spec", {{"restartPolicy", "Never"}, {"containers", json::array({container})}}}}}}}};
  json manifest = {
      {"apiVersion", "batch/v1"},
      {"kind", "CronJob"},
      {"metadata", {{"name", name}, {"annotations", {{"digger/source", facts.description}}}}},
      {"spec", spec}};
  out.schedules = {schedule};
  out.definitions.push_back({"k8s-cronjob", name, manifest});
}

} // namespace digger::migrate
