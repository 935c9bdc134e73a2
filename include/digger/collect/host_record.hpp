#pragma once

#include "digger/catalog/records.hpp"
#include "digger/collect/decode.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/pipeline.hpp"
#include "digger/collect/snapshot.hpp"
#include "digger/judge/registry.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace digger::collect {

// Fills the collected part of a host record (facts, sources with their judged jobs, the
// inspected programs) from the decoded snapshot; identity, status and timings are the
// caller's. `registry` (may be null) is the user's list of known jobs.
void add_snapshot(catalog::HostRecord& record, const HostSnapshot& snapshot,
                  const judge::Registry* registry = nullptr);
// The same from jobs already read and enriched from `snapshot` (pipeline.hpp): they are judged
// against the snapshot's inspected programs, once.
void add_host_jobs(catalog::HostRecord& record, const HostSnapshot& snapshot, HostJobs&& jobs,
                   const judge::Registry* registry = nullptr);

// The absolute paths of the programs the host's jobs run (and of its run-parts files), with
// the run-as users of those jobs, for the inspection round trip: sorted by path and unique
// (the caller bounds how many it sends).
std::vector<InspectionTarget> inspection_targets(const HostSnapshot& snapshot);
// The same from the host's enriched jobs: what the scan plans from (ScanRequest).
std::vector<InspectionTarget> targets_to_inspect(const HostJobs& jobs);

// Hex SHA-256 of a byte string.
std::string sha256_hex(std::string_view bytes);

} // namespace digger::collect
