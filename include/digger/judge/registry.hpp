#pragma once

#include "digger/util/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace digger::judge {

// One row of the user's registry of known jobs (--registry known.csv; format in
// docs/hidden-batches.md): a job fingerprint, or host/owner/command glob patterns, and who
// owns the job ("team-billing", "jenkins", ...).
struct RegistryEntry {
  int line = 0; // where the row starts in the file (1 = the header)
  std::string fingerprint, host, owner, command, managed_by;

  friend bool operator==(const RegistryEntry&, const RegistryEntry&) = default;
};

class Registry {
public:
  // The first row that matches: a non-empty fingerprint equal to `fingerprint`
  // (case-insensitive hex), or an empty fingerprint and host, owner and command patterns
  // that all match (`*` any run, `?` one byte, `[a-z]` a set, `\` escapes; empty = any).
  const RegistryEntry* match(std::string_view fingerprint, std::string_view host,
                             std::string_view owner, std::string_view command) const;
  std::size_t size() const { return entries.size(); }

  std::vector<RegistryEntry> entries;
};

// RFC 4180 CSV with a header row naming the columns fingerprint, host, owner, command and
// managed_by (any order; other columns are ignored). Errors are one line naming the file and
// line: "known.csv:7: unterminated quote".
util::Result<Registry> parse_registry(std::string_view csv_text, std::string_view file_name);

} // namespace digger::judge
