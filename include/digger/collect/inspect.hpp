#pragma once

// The second round trip: after the collector, the same shell runs a fixed inspect script that
// reads the target programs' paths and run-as users from STDIN (NUL-terminated, never on the
// command line) and reports, per path, stat facts and, only where a run-as user could read the
// file itself, its sha256, the bytes that tell its language and the Go build info. Same framing
// as the collector (framing.hpp). docs/collector.md, "Inspection reads".

#include "digger/collect/snapshot.hpp"
#include "digger/command/program.hpp"

#include <cstddef>
#include <memory>
#include <set>
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
  // Everything the inspection of one host reads or hashes: first bytes, sha256 input, the Go
  // marker grep and build info, counted before each read by the host's script.
  std::size_t max_read_bytes = 256u << 20;
  std::size_t max_app_sources = 8; // application source files per host (4 Laravel apps)
};

// A program to inspect and the accounts its jobs run as (sorted, distinct): its bytes are read
// only when one of them could read the file itself.
struct InspectionTarget {
  std::string path;
  std::vector<std::string> users;
  // An application source file (a Laravel app's Kernel.php): read whole up to
  // max_app_source_bytes, under the same rule (a run-as user must be able to read it), and
  // parsed on this side; it need not be executable or world-readable. Sent as "=USERS/PATH".
  bool app_source = false;
  // A file a job's output is redirected to: only stat'ed, and only reported when a run-as
  // user could search every directory above it (its mtime is a freshness hint). ">USERS/PATH".
  bool output_file = false;

  friend bool operator==(const InspectionTarget&, const InspectionTarget&) = default;
};

std::string_view inspect_script();
// `xargs -0` turns stdin into the script's arguments (no shell ever parses them).
std::string inspect_command(bool use_sudo, const InspectLimits& limits);

inline constexpr std::string_view inspect_start_marker = "@@digger-inspect@@ 1\n";

struct PreparedHost; // pipeline.hpp

// Which targets go to the host, as the follow-up's stdin.
struct InspectionPlan {
  std::string payload;            // "+BUDGET", then "USERS/PATH" per target, each followed by a NUL
  std::vector<std::string> paths; // sent, in order (distinct)
  std::set<std::string, std::less<>> app_paths;              // the app source targets, sent or not
  std::set<std::string, std::less<>> output_paths;           // the output file targets, likewise
  std::vector<std::string> over_bound;                       // valid, left out by a bound
  std::vector<std::pair<std::string, std::string>> rejected; // path, why (relative, ...)
  std::size_t requested = 0;                                 // distinct valid targets
  std::string note; // "bound hit: 256 of 310 targets inspected", or ""
  // The scan's: the host's decoded output and enriched jobs the plan was made from, so that
  // its record is built from the same jobs (host_record consumes them). Null in plain plans.
  std::shared_ptr<PreparedHost> prepared;
};
InspectionPlan plan_inspection(const std::vector<InspectionTarget>& targets,
                               const InspectLimits& limits = {});

struct InspectDecoded {
  std::vector<command::ProgramFacts> programs; // in the order the host reported them
  bool started = false;
  bool complete = false;
  bool budget_hit = false; // the host's read budget (InspectLimits::max_read_bytes) ran out
  std::string error;
};

// What is kept of a program's first bytes: only what tells its language. A shebang line (at
// most 128 bytes, through secrets::redact_secrets), the ELF identification (20 bytes), "<?php"
// (after a BOM) or a zip header; nothing else.
std::string language_head(std::string_view first_bytes);
// Pure and bounded, like decode_collector_output.
InspectDecoded decode_inspection_output(std::string_view stdout_bytes);

// Fills snapshot.programs and inspection_note from the plan and the follow-up's result:
// every planned path gets a ProgramFacts (an error says why when the host did not report it),
// targets left out by a bound or rejected get one with the reason. `failure` is "" when the
// inspection ran, else why it did not (the snapshot's crontab results are kept either way).
void apply_inspection(HostSnapshot& snapshot, const InspectionPlan& plan,
                      std::string_view inspect_stdout, std::string_view failure);

} // namespace digger::collect
