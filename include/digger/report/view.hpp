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
  std::int64_t hidden = 0; // of those jobs, how many are hidden batches
};

struct OwnerCount {
  std::string owner;
  std::int64_t jobs = 0, hosts = 0;
  std::vector<std::string> languages; // sorted
  std::int64_t hidden = 0;
};

// Managed jobs per kind of manager: the part of managed_by before ':' ("package", "ansible",
// "puppet", "chef", "salt", "registry", ...).
struct ManagerCount {
  std::string manager;
  std::int64_t jobs = 0;
};

// One fingerprint that runs on several hosts: one batch run N times.
struct Duplicate {
  std::string fingerprint;
  std::int64_t hosts = 0; // fleet-wide, in this scan
  std::int64_t jobs = 0;
  const JobRow* example = nullptr;     // first job in report order
  std::vector<std::string> host_names; // sorted, fleet-wide
};

// In-application schedulers (docs/architecture.md, "Application schedulers"): the listed jobs
// that run one (flag app-scheduler-expanded or app-scheduler-not-expanded), and the Laravel
// tasks read from an application's source (kind laravel-task), both in snapshot order.
struct AppSchedulers {
  std::vector<const JobRow*> schedulers;
  std::vector<const JobRow*> tasks;
  bool empty() const { return schedulers.empty() && tasks.empty(); }
};

// The reason a scheduler job gives ("app scheduler: 12 Laravel task(s) read ..."), or "".
std::string app_scheduler_reason(const JobRow& job);

struct Group {
  std::string key; // "(none)" for a host without the label
  std::vector<const JobRow*> jobs;
  bool hidden = false; // a group of hidden batches (they come first)
};

struct Totals {
  std::int64_t hosts = 0, hosts_scanned = 0, hosts_failed = 0, jobs = 0, languages = 0, owners = 0,
               duplicated_jobs = 0;
  std::int64_t hidden = 0;   // listed jobs that are hidden batches
  std::int64_t managed = 0;  // jobs the filter matches that are managed, listed or not
  std::int64_t migrated = 0; // disabled lines marked migrated, on the filter's hosts
};

struct ReportView {
  const Snapshot* snapshot = nullptr;
  std::string filter_text;
  GroupBy group_by;
  std::vector<const HostRow*> hosts;        // the filter's hosts, by name
  std::vector<const HostRow*> failed_hosts; // of those, not ok/partial
  // Hidden batches' groups first, then the other listed jobs' groups; each part sorted by key,
  // jobs in snapshot order.
  std::vector<Group> groups;
  std::vector<LanguageCount> by_language;        // listed jobs; most jobs first, then name
  std::vector<OwnerCount> by_owner;              // listed jobs; most jobs first, then name
  std::vector<LanguageCount> hidden_by_language; // hidden batches only
  std::vector<OwnerCount> hidden_by_owner;       // hidden batches only
  std::vector<ManagerCount> managers;            // managed jobs; most first, then name
  // Managed jobs are counted but not listed unless --all, or the filter asks about verdicts.
  bool managed_listed = false;
  // Some job of the scan has a verdict. False for scans recorded before verdicts existed
  // (catalog schema < 3): the report then says so instead of "no hidden batches".
  bool verdicts_known = false;
  std::vector<Duplicate> duplicates; // most hosts first, then fingerprint
  AppSchedulers app_schedulers;
  // Workers the filter matches (as_job: no schedule, so schedule terms never match), in snapshot
  // order.
  std::vector<const WorkerRow*> workers;
  Totals totals;
  std::size_t job_count() const;
  const HostRow& host_of(const JobRow& job) const { return snapshot->hosts.at(job.host); }
};

// `list_managed` (--all): list managed jobs like the others instead of only counting them.
ReportView build_view(const Snapshot& snapshot, const Filter& filter, std::string filter_text,
                      GroupBy group_by, bool list_managed = false);

// "412 jobs managed (380 by packages, 32 by Ansible) not shown; --all shows them", or "...,
// listed below" when they are listed; "" when no job is managed.
std::string managed_summary(const ReportView& view);
// "packages", "Ansible", "the registry", ... for a ManagerCount::manager.
std::string manager_label(std::string_view manager);

} // namespace digger::report
