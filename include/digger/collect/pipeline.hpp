#pragma once

// One host's jobs through the one pipeline: every collected file read by its source table
// row's reader (child sources last, scheduled by the parent jobs that expand them), each job
// enriched once; the inspection is planned from those jobs, and the host's record is built from
// the same jobs once judged (docs/architecture.md, "One job pipeline").

#include "digger/catalog/records.hpp"
#include "digger/collect/decode.hpp"
#include "digger/collect/host_context.hpp"
#include "digger/collect/host_status.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/job.hpp"
#include "digger/collect/line_cap.hpp"
#include "digger/collect/snapshot.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace digger::collect {

// When a child source's files run, from the parent job that runs their directory.
struct DirSchedule {
  std::string schedule_text, macro, normalized, description, cron_tz;
  std::string origin; // "/etc/crontab:17"
  bool from_anacron = false;
};

// The directories named by parent jobs (`run-parts DIR`). Where anacron and cron both name a
// directory (Debian's /etc/crontab runs cron.daily only when anacron is absent), anacron's wins.
class Expansions {
public:
  void note(const std::string& dir, DirSchedule schedule);
  const DirSchedule* find(std::string_view dir) const;

private:
  std::map<std::string, DirSchedule, std::less<>> dirs_;
};

// Every collected file of a host, read and enriched, in the snapshot's order.
struct HostJobs {
  std::vector<SourceRead> sources;
};

// Reads every source of `snapshot` through its table row and enriches every job once.
// `host` needs no programs (they come later) and no registry.
HostJobs read_host(const HostSnapshot& snapshot, const HostContext& host);

// The programs the jobs run, with their run-as users, for the inspection (sorted, unique).
std::vector<InspectionTarget> inspection_targets(const HostJobs& jobs);

// Judges every job against `host` (with its inspected programs and registry) and returns the
// source rows with their entries, in the snapshot's order.
std::vector<catalog::SourceRow> judged_rows(HostJobs&& jobs, const HostContext& host);

// What the scan keeps of a host between planning its inspection and recording it: the decoded
// snapshot (line cap applied), the collection's verdict (judged before the cap) and the jobs.
struct PreparedHost {
  Decoded decoded;
  HostVerdict collection;
  LineCap cap;
  HostJobs jobs;
};

// Decodes the collector's output, judges the collection, applies the line cap, reads and
// enriches the jobs. The caller only plans an inspection when decoded.complete.
PreparedHost prepare_host(std::string_view stdout_bytes, std::string_view remote_stderr,
                          bool stdout_truncated, std::size_t max_lines);

} // namespace digger::collect
