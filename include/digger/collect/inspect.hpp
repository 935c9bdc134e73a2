#pragma once

// The second round trip: after the collector, one more exec on the same SSH session runs a
// fixed inspect script that reads the target programs' paths from STDIN (NUL-terminated, never
// on the command line) and reports, per path, stat facts, sha256, the first bytes and the Go
// build info blob of ELF files. Same framing as the collector (framing.hpp).

#include "digger/collect/snapshot.hpp"
#include "digger/cron/program.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace digger::collect {

struct InspectLimits {
  std::size_t max_targets = 256;             // paths per host
  std::size_t max_path_bytes = 4096;         // one path
  std::size_t max_payload_bytes = 96u << 10; // all paths: one xargs command line on any host
  std::size_t max_blob_bytes = 4u << 20;     // Go build info bytes of one host together
  std::size_t max_output_bytes = 8u << 20;   // what the client reads back
};

std::string_view inspect_script();
// `xargs -0` turns stdin into the script's arguments (no shell ever parses them).
std::string inspect_command(bool use_sudo, const InspectLimits& limits);

inline constexpr std::string_view inspect_start_marker = "@@digger-inspect@@ 1\n";

// Which targets go to the host, as the follow-up's stdin.
struct InspectionPlan {
  std::string payload;                                       // each path followed by a NUL
  std::vector<std::string> paths;                            // sent, in order (distinct)
  std::vector<std::string> over_bound;                       // valid, left out by a bound
  std::vector<std::pair<std::string, std::string>> rejected; // path, why (relative, ...)
  std::size_t requested = 0;                                 // distinct valid targets
  std::string note; // "bound hit: 256 of 310 targets inspected", or ""
};
InspectionPlan plan_inspection(const std::vector<std::string>& targets,
                               const InspectLimits& limits = {});

struct InspectDecoded {
  std::vector<cron::ProgramFacts> programs; // in the order the host reported them
  bool started = false;
  bool complete = false;
  std::string error;
};
// Pure and bounded, like decode_collector_output.
InspectDecoded decode_inspection_output(std::string_view stdout_bytes);

// Fills snapshot.programs and inspection_note from the plan and the follow-up's result:
// every planned path gets a ProgramFacts (an error says why when the host did not report it),
// targets left out by a bound or rejected get one with the reason. `failure` is "" when the
// inspection ran, else why it did not (the snapshot's crontab results are kept either way).
void apply_inspection(HostSnapshot& snapshot, const InspectionPlan& plan,
                      std::string_view inspect_stdout, std::string_view failure);

} // namespace digger::collect
