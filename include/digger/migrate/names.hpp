#pragma once

#include "digger/migrate/target.hpp"

#include <set>
#include <string>
#include <string_view>

namespace digger::migrate {

// A target's rules for resource names (migration-targets.md §1.6, §2.2, §4.2).
struct NameRules {
  size_t max_length = 64;
  std::string_view punctuation = "-_."; // allowed besides ASCII letters and digits
  bool lowercase = false;               // Kubernetes: DNS subdomain
};

NameRules name_rules(Target target);

// A name for a proposed base ("web01-root-backup.sh"), within the target's limits and not
// in `used`: characters outside the allowed set become '-', the result is cut to the length
// limit, and a "-2", "-3", ... suffix (kept within the limit) makes it unique. The name is
// added to `used`.
std::string unique_name(std::string_view proposed, std::set<std::string>& used,
                        const NameRules& rules);

// The program a command line runs, for names: the base name of its first word that is not
// an environment assignment or a wrapper (sudo, nice, flock, timeout, ...). "job" if none.
std::string program_name(std::string_view command);

} // namespace digger::migrate
