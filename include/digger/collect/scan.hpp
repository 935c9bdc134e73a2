#pragma once

#include "digger/catalog/records.hpp"
#include "digger/collect/decode.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/line_cap.hpp"
#include "digger/collect/pipeline.hpp"
#include "digger/collect/script.hpp"
#include "digger/inventory/plan.hpp"
#include "digger/judge/registry.hpp"
#include "digger/ssh/fanout.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace digger::catalog {
class Writer;
}
namespace digger::ssh {
class KeyRing;
} // namespace digger::ssh

namespace digger::collect {

struct ScanRequest {
  std::vector<inventory::ScanTarget> targets;
  ssh::Options ssh;
  bool use_sudo = false;
  // With use_sudo: the password sudo asks for (sudo -S, answered on stdin after a per-scan
  // random prompt); null: sudo -n. Owned by the caller, who wipes it after the scan.
  const ssh::SecretString* sudo_password = nullptr;
  CollectorLimits limits;
  // The programs to inspect on a host (the follow-up in the collector's own command), from
  // its enriched jobs; called on a worker thread, so it must be thread-safe. Empty
  // function: no inspection. collect::targets_to_inspect (host_record.hpp) is the scan's.
  std::function<std::vector<InspectionTarget>(const HostJobs&)> inspection_targets;
  InspectLimits inspect;
  const judge::Registry* registry = nullptr; // the user's known jobs (--registry); may be null
  ScriptMode script_mode = ScriptMode::automatic;
  std::size_t max_lines_per_host = default_max_lines_per_host; // crontab lines kept per host
  // Run evidence (docs/evidence.md): each host's log cursors and job totals from the catalog,
  // so the collector reads on from where the last scan stopped. A host not in it reads the
  // last 4 MiB of its logs.
  std::map<catalog::HostIdentity, catalog::EvidenceState> evidence_before;
};

// The SSH half of a scan, without the catalog: every target runs the collector and, when
// asked, the inspection. `on_host` gets each finished host (index into request.targets) with
// the inspection plan used for it (nullptr when no inspection was asked); decode_host turns
// the pair into a snapshot. Calls come from several worker threads AT ONCE (ssh::run_fanout):
// `on_host` locks what it shares, and must not throw.
ssh::FanoutReport collect_hosts(
    const ScanRequest& request, ssh::KeyRing& keys, ssh::HostKeyStore& host_keys,
    const std::function<void(std::size_t, ssh::Outcome&&, const InspectionPlan*)>& on_host,
    const std::atomic<bool>& stop);

// The whole collection of one scan: every target is reached over SSH, runs the collector,
// and becomes one catalog record handed to `writer` (parsed and classified on the worker
// thread that finished it, outside any lock; only the hand-over to `writer` is serialised).
// `on_host` sees each record just before it is handed over (progress, verbose output; calls
// are serialised). Returns when every started host is done; setting `stop` starts no new host.
// A host Digger cannot turn into a record is recorded as a failed host. A catalog error
// (database locked past the busy timeout, disk full) never escapes: it sets `stop`, the hosts
// still in flight are not recorded, and its one-line message is returned in catalog_error.
struct ScanOutcome {
  ssh::FanoutReport fanout;
  std::string catalog_error; // "" when the catalog took every record
};
ScanOutcome scan_hosts(const ScanRequest& request, ssh::KeyRing& keys, ssh::HostKeyStore& host_keys,
                       catalog::Writer& writer,
                       const std::function<void(const catalog::HostRecord&)>& on_host,
                       std::atomic<bool>& stop);

// What the scan does when a host's collector ends: decode its output, read and enrich its jobs
// (pipeline.hpp) and plan the inspection of what they run (`targets`). The plan carries the
// prepared host, so host_record builds the record from the same jobs. Pure.
InspectionPlan
plan_host_inspection(const ssh::Outcome& first, const InspectLimits& limits, std::size_t max_lines,
                     const std::function<std::vector<InspectionTarget>(const HostJobs&)>& targets);

// The record of one host from its SSH outcome: pure, exposed for tests. `plan` is the
// inspection asked of this host (nullptr: none was asked). Past `max_lines` crontab lines the
// host is partial and its files cut (line_cap.hpp).
catalog::HostRecord host_record(const inventory::ScanTarget& target, ssh::Outcome&& outcome,
                                const InspectionPlan* plan = nullptr,
                                const judge::Registry* registry = nullptr,
                                std::size_t max_lines = default_max_lines_per_host,
                                const catalog::EvidenceState* evidence_before = nullptr);

// The snapshot of one host: the collector's records plus, when `plan` is given, the
// inspected programs and the inspection note. Pure.
Decoded decode_host(const ssh::Outcome& outcome, const InspectionPlan* plan);

} // namespace digger::collect
