#include "digger/migrate/target.hpp"

#include "digger/migrate/builders.hpp"
#include "digger/migrate/target_spec.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace digger::migrate {
namespace {

// The target table: one row per export target, the first is the default. Each spec lives
// beside its builder (aws.cpp, jenkins_kubernetes.cpp, systemd.cpp).
std::vector<const TargetSpec*>& rows() {
  static std::vector<const TargetSpec*> table = {
      &eventbridge_target, &eventbridge_rule_target, &batch_target,
      &jenkins_target,     &kubernetes_target,       &systemd_target,
  };
  return table;
}

} // namespace

Target::Target() : spec_(rows().front()) {}

std::string_view target_name(Target target) {
  return target->name;
}

std::optional<Target> parse_target(std::string_view name) {
  for (const TargetSpec* spec : rows()) {
    if (spec->name == name) {
      return Target(*spec);
    }
    for (std::string_view alias : spec->aliases) {
      if (alias == name) {
        return Target(*spec);
      }
    }
  }
  return std::nullopt;
}

Target target_named(std::string_view name) {
  if (auto target = parse_target(name)) {
    return *target;
  }
  throw std::out_of_range(fmt::format("no export target '{}'", name));
}

std::vector<Target> export_targets() {
  std::vector<Target> out;
  for (const TargetSpec* spec : rows()) {
    out.emplace_back(*spec);
  }
  return out;
}

std::vector<std::string> target_choices() {
  std::vector<std::string> out;
  for (const TargetSpec* spec : rows()) {
    out.emplace_back(spec->name);
    for (std::string_view alias : spec->aliases) {
      out.emplace_back(alias);
    }
  }
  return out;
}

std::string target_help(std::string_view lead) {
  std::string out = fmt::format("{}:", lead);
  for (const TargetSpec* spec : rows()) {
    out += fmt::format("{} {} ({})", out.back() == ':' ? "" : ",", spec->name, spec->summary);
  }
  return out;
}

void register_target_for_tests(const TargetSpec& spec) {
  for (const TargetSpec* row : rows()) {
    if (row->name == spec.name) {
      return; // registered by an earlier test case
    }
  }
  rows().push_back(&spec);
}

std::string_view loss_level_name(LossLevel level) {
  return level == LossLevel::impossible ? "impossible" : "workaround";
}

} // namespace digger::migrate
