#pragma once

// What a report shows, computed once from a Snapshot and shared by every format: the hosts and
// jobs the filter keeps, the jobs in group order, and the summary figures. Pure, no I/O.

#include "digger/report/filter.hpp"
#include "digger/report/snapshot.hpp"
#include "digger/util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace digger::report {

struct GroupBy {
  enum class Kind { language, owner, host, label };
  Kind kind = Kind::language;
  std::string label;        // for Kind::label
  std::string name() const; // "language", ..., "label:env"
};
util::Result<GroupBy> parse_group_by(std::string_view text);

struct LanguageCount {
  std::string language;
  std::int64_t jobs = 0, hosts = 0, owners = 0;
};

struct OwnerCount {
  std::string owner;
  std::int64_t jobs = 0, hosts = 0;
  std::vector<std::string> languages; // sorted
};

// One fingerprint that runs on several hosts: one batch run N times.
struct Duplicate {
  std::string fingerprint;
  std::int64_t hosts = 0; // fleet-wide, in this scan
  std::int64_t jobs = 0;
  const JobRow* example = nullptr;     // first job in report order
  std::vector<std::string> host_names; // sorted, fleet-wide
};

struct Group {
  std::string key; // "(none)" for a host without the label
  std::vector<const JobRow*> jobs;
};

struct Totals {
  std::int64_t hosts = 0, hosts_scanned = 0, hosts_failed = 0, jobs = 0, languages = 0, owners = 0,
               duplicated_jobs = 0;
};

struct ReportView {
  const Snapshot* snapshot = nullptr;
  std::string filter_text;
  GroupBy group_by;
  std::vector<const HostRow*> hosts;        // the filter's hosts, by name
  std::vector<const HostRow*> failed_hosts; // of those, not ok/partial
  std::vector<Group> groups;                // sorted by key; jobs in snapshot order
  std::vector<LanguageCount> by_language;   // most jobs first, then name
  std::vector<OwnerCount> by_owner;         // most jobs first, then name
  std::vector<Duplicate> duplicates;        // most hosts first, then fingerprint
  Totals totals;
  std::size_t job_count() const;
  const HostRow& host_of(const JobRow& job) const { return snapshot->hosts.at(job.host); }
};

ReportView build_view(const Snapshot& snapshot, const Filter& filter, std::string filter_text,
                      GroupBy group_by);

} // namespace digger::report
