#pragma once

// Week-over-week: what changed between two scans (docs/reports.md#diff). The comparison is
// pure: two Snapshots in, a Diff out, no catalog, no clock.

#include "digger/report/snapshot.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace digger::report {

struct JobChange {
  enum class Kind { added, removed, schedule_changed, command_changed, migrated };
  Kind kind = Kind::added;
  std::optional<JobRow> before; // removed, migrated and *_changed
  // added and *_changed; migrated: the disabled line marked `# digger: migrated to ...`
  std::optional<JobRow> after;
};
std::string_view change_name(JobChange::Kind kind); // "added", "schedule-changed", "migrated"...

struct HostDiff {
  // compared: scanned in both. new/gone: in one scan's inventory only. unknown: could not be
  // scanned in at least one of the scans it is in, so its jobs are not compared.
  enum class State { compared, added, gone, unknown };
  std::string name;
  int port = 22;
  State state = State::compared;
  std::string status_before; // "" when absent from that scan
  std::string status_after;
  std::string reason; // why it is unknown (the failing scan's reason)
  std::size_t jobs_before = 0;
  std::size_t jobs_after = 0;
  std::vector<JobChange> changes; // by file and line
  // Paths unreadable in either scan (a `partial` host): jobs in them are not compared.
  std::vector<std::string> uncompared_paths;
};
std::string_view host_state_name(HostDiff::State state); // "compared", "new", "gone", "unknown"

// The same fingerprint (owner + schedule + command) gone from one host and new on another.
struct JobMove {
  std::string from_host;
  int from_port = 22;
  std::string to_host;
  int to_port = 22;
  JobRow before;
  JobRow after;
};

// A worker (Supervisor program, systemd service) present in one scan only, on a host scanned in
// both. A changed command or instance count is a removal and an addition.
struct WorkerChange {
  bool added = true;
  std::string host;
  int port = 22;
  WorkerRow worker; // its `host` indexes the snapshot it comes from
};

struct Diff {
  catalog::ScanSummary from;
  catalog::ScanSummary to;
  std::vector<HostDiff> hosts;       // every host of either scan, by name then port
  std::vector<JobMove> moves;        // by fingerprint, then hosts
  std::vector<WorkerChange> workers; // by host, then removed before added, file and line
  struct Counts {
    std::size_t added = 0, removed = 0, schedule_changed = 0, command_changed = 0, moved = 0,
                hosts_new = 0, hosts_gone = 0, hosts_unknown = 0, migrated = 0, workers_added = 0,
                workers_removed = 0;
  } counts;
  // Added, removed, changed or moved jobs, or hosts new to or gone from the inventory. Hosts
  // that became unknown are reported but are not a change in themselves.
  bool anything_changed() const;
};

// Jobs are matched on one host in three passes, each on what the previous left over:
//  1. same owner, file, schedule (normal form) and command: unchanged;
//  2. same owner, file and command: schedule-changed;
//  3. same owner, file and schedule: command-changed;
// what is left is removed or added, except that a removed job is "migrated" when the later scan
// has, on the same host, a disabled line with the same owner and command marked migrated that
// the earlier scan did not have (find_migrated). Jobs under a path the host could not read in
// either scan are left out on both sides (HostDiff::uncompared_paths), so an unreadable spool
// directory never turns into "all these jobs were removed". Then an added job whose fingerprint was
// removed from another host is a move (the pair leaves added/removed). New hosts' jobs count as
// added and gone hosts' jobs as removed, so a job that followed a renamed host is a move.
Diff diff_snapshots(const Snapshot& from, const Snapshot& to);

// Fills diff.workers: per host scanned (ok or partial) in both scans, the workers whose
// (manager, name, owner, command, instances, restart) is in one scan only.
void diff_workers(const Snapshot& from, const Snapshot& to, Diff& diff);

// Sets diff.counts from its hosts, moves and workers (after a filter removed some).
void count_changes(Diff& diff);

// The default --from: the newest complete scan that started at least 7 days before `to`
// started, else the newest complete scan before `to`. `scans` is newest first (any status).
std::optional<catalog::ScanSummary>
default_from_scan(const std::vector<catalog::ScanSummary>& scans, const catalog::ScanSummary& to);

} // namespace digger::report
