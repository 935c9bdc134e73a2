#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace digger::migrate {

enum class Target {
  eventbridge,      // EventBridge Scheduler (the default AWS target)
  eventbridge_rule, // classic EventBridge scheduled rules (UTC only)
  batch,            // AWS Batch job definition + its EventBridge Scheduler schedule
  jenkins,          // Jenkins Pipeline `triggers { cron(...) }`
  kubernetes,       // Kubernetes batch/v1 CronJob
  systemd,          // systemd timer + service
};

std::string_view target_name(Target target); // "eventbridge", "eventbridge-rule", ..., "k8s"
std::optional<Target> parse_target(std::string_view name);

// What does not carry over to a target: `workaround` when the definition (or a documented
// manual step) restores it, `impossible` when the target cannot do it at all.
enum class LossLevel { workaround, impossible };
std::string_view loss_level_name(LossLevel level);

struct Lost {
  std::string feature; // short stable key: "reboot", "stdin", "mail", "run-as-user", ...
  LossLevel level = LossLevel::workaround;
  std::string detail; // one or two sentences for the operator

  friend bool operator==(const Lost&, const Lost&) = default;
};

} // namespace digger::migrate
