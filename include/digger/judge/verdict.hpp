#pragma once

#include "digger/command/program.hpp"
#include "digger/judge/registry.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::judge {

// Everything the verdict looks at for one job; the rules are in docs/hidden-batches.md.
struct VerdictInput {
  std::string_view source_kind; // catalog words: user, system, cron.d, anacrontab, run-parts, timer
  std::string_view source_path;
  std::string_view host;
  std::string_view owner;   // crontab owner
  std::string_view run_as;  // "" = root
  std::string_view package; // the package owning the source file, "" none
  // The package's file was edited on the host (dpkg's conffile md5 differs, rpm -V says 5):
  // a line added to the distribution's /etc/crontab is not the package's job.
  bool package_modified = false;
  std::optional<std::string> entry_marker, file_marker, migrated_marker;
  const RegistryEntry* registry_match = nullptr;
  bool registry_given = false;
  std::optional<std::string_view> mailto;         // nullopt = unset
  std::string_view target;                        // the program or script the job runs, as written
  const command::ProgramFacts* program = nullptr; // the inspected target, when there is one
  bool disabled = false;                          // a commented-out job line
};

struct Verdict {
  std::string verdict;              // "managed", "hidden" or "migrated"
  std::string managed_by;           // "package:cron", "ansible:backup", "registry:team-a", ""
  std::vector<std::string> reasons; // readable sentences, most telling first
};

// Pure: the same input gives the same verdict and the same reasons in the same order.
Verdict decide_verdict(const VerdictInput& input);

// "target-missing": inspected and absent. "target-writable": someone other than root and
// the run-as user can change the file or its directory ("" run_as = root).
std::vector<std::string> program_flags(const command::ProgramFacts& program,
                                       std::string_view run_as);

} // namespace digger::judge
