#pragma once

// An export target as the rest of the program sees it: a handle on one row of the target
// table (target_spec.hpp), looked up by name. Names, aliases and help text live in the table
// only: the CLI's option lists are built from it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::migrate {

struct TargetSpec;

// A row of the target table. Cheap to copy; compares by identity.
class Target {
public:
  Target();                                        // the table's first row (EventBridge Scheduler)
  Target(const TargetSpec& spec) : spec_(&spec) {} // NOLINT: implicit on purpose
  const TargetSpec& spec() const { return *spec_; }
  const TargetSpec* operator->() const { return spec_; }
  friend bool operator==(Target a, Target b) { return a.spec_ == b.spec_; }

private:
  const TargetSpec* spec_;
};

std::string_view target_name(Target target); // "eventbridge", "eventbridge-rule", ..., "k8s"
std::optional<Target> parse_target(std::string_view name); // a name or an alias
// For callers that name a target the table must hold: throws std::out_of_range otherwise.
Target target_named(std::string_view name);

std::vector<Target> export_targets();           // in table order
std::vector<std::string> target_choices();      // every name and alias, for option checks
std::string target_help(std::string_view lead); // "lead: eventbridge (EventBridge ...), ..."

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
