#include "digger/migrate/builders.hpp"
#include "digger/migrate/export_files.hpp"
#include "digger/migrate/expressions.hpp"
#include "digger/migrate/names.hpp"
#include "digger/migrate/secret_store.hpp"

#include <fmt/format.h>

#include <array>
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

// The step, inside withCredentials when the job reads secrets: each a "secret text"
// credential bound to its variable (Jenkins masks it in the log).
std::string with_credentials(const JobFacts& facts, const std::string& step) {
  if (facts.secrets.empty()) {
    return "        " + step + "\n";
  }
  std::string bindings;
  for (const auto& variable : facts.secrets) {
    bindings +=
        fmt::format("{}string(credentialsId: {}, variable: {})", bindings.empty() ? "" : ", ",
                    groovy_quote(jenkins_credential_id(facts, variable)), groovy_quote(variable));
  }
  return fmt::format("        withCredentials([{}]) {{\n          {}\n        }}\n", bindings,
                     step);
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
  // Created disabled: Jenkins registers the trigger only once the pipeline has run, and no
  // Jenkinsfile setting disables a job, so the stage runs only once DIGGER_ENABLED is 'true'
  // (the cut-over step). A run before that, by hand or by the trigger, does nothing.
  std::string environment = "    DIGGER_ENABLED = 'false'\n";
  for (const auto& env : job.environment) {
    if (is_identifier(env.name) && env.name != "DIGGER_ENABLED") {
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
  text += fmt::format("  stages {{\n    stage('cron job') {{\n"
                      "      when {{ environment name: 'DIGGER_ENABLED', value: 'true' }}\n"
                      "      steps {{\n{}      }}\n    }}\n  }}\n}}\n",
                      with_credentials(facts, "sh " + groovy_quote(step)));
  return text;
}

std::optional<Lost> build_jenkins(const BuildInput& in, Conversion& out) {
  const auto lines = jenkins_lines(in.job.schedule);
  const std::string name = unique_name(in.facts.base_name, in.used_names, in.target->names);
  out.schedules = lines;
  out.definitions.push_back(
      {"jenkins-pipeline", name, jenkins_pipeline(in.job, in.facts, lines, out)});
  const JobFacts& facts = in.facts;
  out.lost.push_back({"host-binding", LossLevel::workaround,
                      fmt::format("the pipeline runs on an agent labelled '{}': an agent must run "
                                  "on that host with that label",
                                  facts.host.empty() ? std::string("the host") : facts.host)});
  out.lost.push_back({"run-as-user", LossLevel::workaround,
                      fmt::format("Jenkins runs the step as the agent's user, not as {}: run the "
                                  "agent as that user or add sudo -u to the step",
                                  facts.run_as)});
  return std::nullopt;
}

std::optional<Lost> build_kubernetes(const BuildInput& in, Conversion& out) {
  const crontab::Job& job = in.job;
  const JobFacts& facts = in.facts;
  const std::string schedule = kubernetes_schedule(job.schedule);
  const std::string name = unique_name(facts.base_name, in.used_names, in.target->names);
  json env = json::array();
  for (const auto& e : job.environment) {
    env.push_back({{"name", e.name}, {"value", e.value}});
  }
  for (const auto& variable : facts.secrets) { // one Secret per CronJob, a key per variable
    env.push_back(
        {{"name", variable},
         {"valueFrom", {{"secretKeyRef", {{"name", name + "-secrets"}, {"key", variable}}}}}});
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
  // Created suspended: applied before the cut-over, it must not run beside cron.
  spec["suspend"] = true;
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
  out.lost.push_back({"host-binding", LossLevel::impossible,
                      fmt::format("the pod runs in a container on any node, not on {}: the "
                                  "host's files and services are not there (a nodeSelector only "
                                  "picks the node); fill in the image",
                                  facts.host.empty() ? std::string("the host") : facts.host)});
  if (!facts.uid) {
    out.lost.push_back({"run-as-user", LossLevel::workaround,
                        fmt::format("runAsUser takes a UID and the UID of {} is not known: set "
                                    "securityContext.runAsUser by hand",
                                    facts.run_as)});
  }
  return std::nullopt;
}

// One directory per job: Jenkins looks for a file named exactly "Jenkinsfile".
void jenkins_layout(const ExportPlan& plan, ExportFiles& out) {
  add_definition_files(plan, out, [](const Definition& d) {
    return Placement{"jenkins/", "", "/Jenkinsfile", content_text(d)};
  });
}

void kubernetes_layout(const ExportPlan& plan, ExportFiles& out) {
  add_definition_files(plan, out, [](const Definition& d) {
    return Placement{"k8s/", ".yaml", "", "---\n" + to_yaml(d.content)};
  });
}

std::vector<std::string> enable_jenkins(const Conversion& conversion) {
  std::vector<std::string> out;
  for (const auto& d : conversion.definitions) {
    out.push_back(fmt::format("in jenkins/{}/Jenkinsfile set DIGGER_ENABLED = 'true' and push it "
                              "(sed -i \"s/DIGGER_ENABLED = 'false'/DIGGER_ENABLED = 'true'/\" "
                              "jenkins/{}/Jenkinsfile)",
                              d.name, d.name));
  }
  return out;
}

std::vector<std::string> enable_kubernetes(const Conversion& conversion) {
  std::vector<std::string> out;
  for (const auto& d : conversion.definitions) {
    out.push_back(
        fmt::format("kubectl patch cronjob {} -p '{{\"spec\":{{\"suspend\":false}}}}'", d.name));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kubernetes_aliases = {"kubernetes"};

} // namespace

const TargetSpec jenkins_target = {
    .name = "jenkins",
    .summary = "Jenkins declarative pipelines with a cron trigger",
    .names = {128, "-_.", false}, // item names: keep to a portable set
    .ands_day_fields = true,      // Jenkins ANDs every field (CronTab.check)
    .mail_route = "add a post { } mail step to the pipeline",
    .random_delay = RandomDelay::impossible,
    .default_zone = "the Jenkins controller's JVM zone",
    .repeated_hour = RepeatedHour::twice,
    .build = build_jenkins,
    .layout = jenkins_layout,
    .enable = enable_jenkins,
    .disabled_as = "every pipeline's stage runs only once DIGGER_ENABLED is 'true' (created "
                   "'false')",
    .secret_store = "the Jenkins secret-text credential digger-<job>-<NAME>, bound by "
                    "withCredentials around the step",
};

const TargetSpec kubernetes_target = {
    .name = "k8s",
    .aliases = kubernetes_aliases,
    .summary = "Kubernetes batch/v1 CronJobs",
    // DNS subdomain, and 52 so the controller can append 11
    .names = {52, "-", true},
    .day_and_detail =
        "cron runs only on days matching both the day of month and the weekday (a field "
        "starting with '*' makes cron AND them); Kubernetes (robfig/cron) ORs two restricted "
        "day fields and ANDs only when one of them is a plain '*'. Add a date test to the "
        "command and schedule on one field",
    .mail_route = "Kubernetes has no mail; collect the pod logs instead",
    .mail_level = LossLevel::impossible,
    .random_delay = RandomDelay::impossible,
    .default_zone = "the kube-controller-manager's zone",
    .repeated_hour = RepeatedHour::twice,
    .build = build_kubernetes,
    .layout = kubernetes_layout,
    .enable = enable_kubernetes,
    .disabled_as = "every CronJob is created with spec.suspend: true",
    .secret_store = "the Kubernetes Secret <cronjob>-secrets, key <NAME> (env valueFrom "
                    "secretKeyRef)",
};

} // namespace digger::migrate
