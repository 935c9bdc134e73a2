#pragma once

// Run evidence of one host's jobs (docs/evidence.md): the cron log bytes the collector read,
// parsed and attributed (evidence stage) on top of the totals the catalog kept from the
// previous scans. Pure.

#include "digger/catalog/records.hpp"
#include "digger/collect/pipeline.hpp"
#include "digger/collect/snapshot.hpp"

#include <optional>
#include <string>

namespace digger::collect {

// Sets `row.run` on every cron job of `jobs` (user, system, cron.d and anacrontab entries) and
// returns the host's new state: cursors where this read stopped, totals per job key. `before`
// is the catalog's state for the host (null: first scan).
catalog::EvidenceState apply_run_evidence(HostJobs& jobs, const HostSnapshot& snapshot,
                                          const catalog::EvidenceState* before);

// The host's UTC offset in seconds from the collector's clock fact ("+0900 1732496461").
std::optional<int> utc_offset(const HostSnapshot& snapshot);

// After apply_run_evidence: sets, on every judged job, its cron mails in the host's spool
// (count and last date, from headers only) and the mtime of the file its output goes to
// (docs/evidence.md, "Mail spool", "Output file freshness").
void apply_spool_evidence(HostJobs& jobs, const HostSnapshot& snapshot);

// Once every job of the host is read (Laravel tasks included): sets the run verdict of the
// jobs no cron log line names, from the job that runs them (run-parts scripts, Laravel tasks)
// or from systemd's timer table (the collector's systemctl_timers fact). A job whose parent
// has no verdict stays without one (docs/evidence.md, "Jobs without log lines of their own").
void apply_derived_evidence(HostJobs& jobs, const HostSnapshot& snapshot);

// The collector's argument for the host: one "DEVICE:INODE:OFFSET" or "-" per log path it
// reads, in its order, from the catalog's cursors (digits only: nothing else ever travels).
std::string log_cursor_argument(const catalog::EvidenceState* before);

} // namespace digger::collect
