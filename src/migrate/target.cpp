#include "digger/migrate/target.hpp"

#include <array>
#include <utility>

namespace digger::migrate {
namespace {

constexpr std::array<std::pair<Target, std::string_view>, 6> names = {{
    {Target::eventbridge, "eventbridge"},
    {Target::eventbridge_rule, "eventbridge-rule"},
    {Target::batch, "batch"},
    {Target::jenkins, "jenkins"},
    {Target::kubernetes, "k8s"},
    {Target::systemd, "systemd"},
}};

} // namespace

std::string_view target_name(Target target) {
  for (const auto& [t, name] : names) {
    if (t == target) {
      return name;
    }
  }
  return "";
}

std::optional<Target> parse_target(std::string_view name) {
  if (name == "kubernetes") {
    return Target::kubernetes;
  }
  for (const auto& [t, n] : names) {
    if (n == name) {
      return t;
    }
  }
  return std::nullopt;
}

std::string_view loss_level_name(LossLevel level) {
  return level == LossLevel::impossible ? "impossible" : "workaround";
}

} // namespace digger::migrate
