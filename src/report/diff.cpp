#include "digger/report/diff.hpp"

#include "digger/timing/next_runs.hpp"
#include "digger/util/enum_names.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

namespace digger::report {
namespace {

using Key = std::tuple<std::string, std::string, std::string>;
using KeyOf = std::function<Key(const JobRow&)>;

// Pairs jobs of `before` and `after` with equal keys, in file order; paired jobs are removed
// from both lists and handed to `on_pair`.
template <class OnPair>
void pair_off(std::vector<JobRow>& before, std::vector<JobRow>& after, const KeyOf& key_of,
              OnPair on_pair) {
  std::multimap<Key, std::size_t> waiting;
  for (std::size_t i = 0; i < before.size(); ++i) {
    waiting.emplace(key_of(before[i]), i);
  }
  std::vector<bool> before_used(before.size()), after_used(after.size());
  for (std::size_t j = 0; j < after.size(); ++j) {
    auto found = waiting.find(key_of(after[j]));
    if (found != waiting.end()) {
      before_used[found->second] = after_used[j] = true;
      on_pair(before[found->second], after[j]);
      waiting.erase(found);
    }
  }
  auto keep = [](std::vector<JobRow>& jobs, const std::vector<bool>& used) {
    std::vector<JobRow> left;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (!used[i]) {
        left.push_back(std::move(jobs[i]));
      }
    }
    jobs = std::move(left);
  };
  keep(before, before_used);
  keep(after, after_used);
}

void compare_jobs(std::vector<JobRow> before, std::vector<JobRow> after, HostDiff& host) {
  auto ignore = [](const JobRow&, const JobRow&) {};
  pair_off(
      before, after,
      [](const JobRow& j) {
        return Key{j.owner + '\n' + j.file, j.schedule.normalized, j.command};
      },
      ignore);
  auto record = [&host](JobChange::Kind kind) {
    return [&host, kind](const JobRow& b, const JobRow& a) {
      host.changes.push_back({kind, b, a});
    };
  };
  pair_off(
      before, after,
      [](const JobRow& j) {
        return Key{j.owner, j.file, j.command};
      },
      record(JobChange::Kind::schedule_changed));
  pair_off(
      before, after,
      [](const JobRow& j) {
        return Key{j.owner, j.file, j.schedule.normalized};
      },
      record(JobChange::Kind::command_changed));
  for (auto& job : before) {
    host.changes.push_back({JobChange::Kind::removed, std::move(job), std::nullopt});
  }
  for (auto& job : after) {
    host.changes.push_back({JobChange::Kind::added, std::nullopt, std::move(job)});
  }
}

// Each host's jobs (or migrated lines), by host index, in one pass over the snapshot.
std::vector<std::vector<const JobRow*>> jobs_by_host(const Snapshot& snapshot,
                                                     const std::vector<JobRow>& jobs) {
  std::vector<std::vector<const JobRow*>> by_host(snapshot.hosts.size());
  for (const auto& job : jobs) {
    by_host.at(job.host).push_back(&job);
  }
  return by_host;
}

// The migrated lines a host had in one scan.
struct MigratedLines {
  const std::vector<const JobRow*>* before = nullptr;
  const std::vector<const JobRow*>* after = nullptr;
};

bool same_job(const JobRow& a, const JobRow& b) {
  return a.owner == b.owner && a.command == b.command;
}

// A removed job whose command now sits in a disabled line marked migrated (new since the
// earlier scan) was not lost: it was moved to another scheduler on purpose.
void find_migrated(HostDiff& host, const MigratedLines& lines) {
  if (lines.after == nullptr) {
    return;
  }
  std::vector<bool> used(lines.after->size());
  for (auto& change : host.changes) {
    if (change.kind != JobChange::Kind::removed) {
      continue;
    }
    for (std::size_t i = 0; i < lines.after->size(); ++i) {
      const JobRow& line = *(*lines.after)[i];
      const bool already_there =
          lines.before != nullptr &&
          std::any_of(lines.before->begin(), lines.before->end(), [&](const JobRow* old) {
            return same_job(*old, line) && old->file == line.file;
          });
      if (!used[i] && !already_there && same_job(*change.before, line)) {
        used[i] = true;
        change.kind = JobChange::Kind::migrated;
        change.after = line;
        break;
      }
    }
  }
}

std::vector<JobRow> copies(const std::vector<const JobRow*>& jobs) {
  std::vector<JobRow> out;
  out.reserve(jobs.size());
  for (const JobRow* job : jobs) {
    out.push_back(*job);
  }
  return out;
}

const JobRow& shown(const JobChange& change) {
  return change.after ? *change.after : *change.before;
}

void sort_changes(HostDiff& host) {
  std::stable_sort(
      host.changes.begin(), host.changes.end(), [](const JobChange& a, const JobChange& b) {
        return std::tie(shown(a).file, shown(a).line) < std::tie(shown(b).file, shown(b).line);
      });
}

// Turns an added job on one host and a removed job with its fingerprint on another into a move.
void find_moves(Diff& diff) {
  std::multimap<std::string, std::pair<std::size_t, std::size_t>> removed; // fp -> host, change
  for (std::size_t h = 0; h < diff.hosts.size(); ++h) {
    const auto& changes = diff.hosts[h].changes;
    for (std::size_t c = 0; c < changes.size(); ++c) {
      if (changes[c].kind == JobChange::Kind::removed && !changes[c].before->fingerprint.empty()) {
        removed.emplace(changes[c].before->fingerprint, std::make_pair(h, c));
      }
    }
  }
  std::vector<std::vector<bool>> moved(diff.hosts.size());
  for (std::size_t h = 0; h < diff.hosts.size(); ++h) {
    moved[h].resize(diff.hosts[h].changes.size());
  }
  for (std::size_t h = 0; h < diff.hosts.size(); ++h) {
    for (std::size_t c = 0; c < diff.hosts[h].changes.size(); ++c) {
      const auto& change = diff.hosts[h].changes[c];
      if (change.kind != JobChange::Kind::added) {
        continue;
      }
      auto [first, last] = removed.equal_range(change.after->fingerprint);
      auto source =
          std::find_if(first, last, [h](const auto& item) { return item.second.first != h; });
      if (source == last) {
        continue;
      }
      const auto [from_h, from_c] = source->second;
      const HostDiff& from_host = diff.hosts[from_h];
      diff.moves.push_back({from_host.name, from_host.port, diff.hosts[h].name, diff.hosts[h].port,
                            *from_host.changes[from_c].before, *change.after});
      moved[h][c] = moved[from_h][from_c] = true;
      removed.erase(source);
    }
  }
  for (std::size_t h = 0; h < diff.hosts.size(); ++h) {
    auto& changes = diff.hosts[h].changes;
    std::vector<JobChange> kept;
    for (std::size_t c = 0; c < changes.size(); ++c) {
      if (!moved[h][c]) {
        kept.push_back(std::move(changes[c]));
      }
    }
    changes = std::move(kept);
  }
  std::sort(diff.moves.begin(), diff.moves.end(), [](const JobMove& a, const JobMove& b) {
    return std::tie(a.after.fingerprint, a.from_host, a.from_port, a.to_host, a.to_port) <
           std::tie(b.after.fingerprint, b.from_host, b.from_port, b.to_host, b.to_port);
  });
}

bool under(const std::string& file, const std::string& path) {
  return file == path || (file.size() > path.size() && file.starts_with(path) &&
                          (path.ends_with('/') || file[path.size()] == '/'));
}

// Drops the jobs whose file lies under an uncompared path.
void drop_uncompared(std::vector<JobRow>& jobs, const std::vector<std::string>& paths) {
  std::erase_if(jobs, [&paths](const JobRow& job) {
    return std::any_of(paths.begin(), paths.end(),
                       [&job](const std::string& path) { return under(job.file, path); });
  });
}

HostDiff compare_host(const HostRow* before, const std::vector<const JobRow*>& before_jobs,
                      const HostRow* after, const std::vector<const JobRow*>& after_jobs,
                      const MigratedLines& migrated) {
  HostDiff host;
  const HostRow& any = after != nullptr ? *after : *before;
  host.name = any.name;
  host.port = any.port;
  host.status_before = before != nullptr ? before->status : "";
  host.status_after = after != nullptr ? after->status : "";
  std::vector<JobRow> jobs_before, jobs_after;
  if (before != nullptr) {
    jobs_before = copies(before_jobs);
    host.jobs_before = jobs_before.size();
  }
  if (after != nullptr) {
    jobs_after = copies(after_jobs);
    host.jobs_after = jobs_after.size();
  }
  if ((before != nullptr && !before->scanned()) || (after != nullptr && !after->scanned())) {
    host.state = HostDiff::State::unknown;
    host.reason = after != nullptr && !after->scanned() ? after->reason : before->reason;
    return host;
  }
  host.state = before == nullptr  ? HostDiff::State::added
               : after == nullptr ? HostDiff::State::gone
                                  : HostDiff::State::compared;
  if (before != nullptr && after != nullptr) {
    auto& paths = host.uncompared_paths;
    paths = before->unreadable_paths;
    paths.insert(paths.end(), after->unreadable_paths.begin(), after->unreadable_paths.end());
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    drop_uncompared(jobs_before, paths);
    drop_uncompared(jobs_after, paths);
  }
  compare_jobs(std::move(jobs_before), std::move(jobs_after), host);
  find_migrated(host, migrated);
  return host;
}

constexpr util::EnumNames<JobChange::Kind, JobChange::Kind::migrated> change_names{
    {"added", "removed", "schedule-changed", "command-changed", "migrated"}};

constexpr util::EnumNames<HostDiff::State, HostDiff::State::unknown> host_state_names{
    {"compared", "new", "gone", "unknown"}};

} // namespace

void count_changes(Diff& diff) {
  auto& n = diff.counts;
  n = Diff::Counts{};
  n.moved = diff.moves.size();
  for (const auto& change : diff.workers) {
    ++(change.added ? n.workers_added : n.workers_removed);
  }
  for (const auto& host : diff.hosts) {
    n.hosts_new += host.state == HostDiff::State::added ? 1 : 0;
    n.hosts_gone += host.state == HostDiff::State::gone ? 1 : 0;
    n.hosts_unknown += host.state == HostDiff::State::unknown ? 1 : 0;
    for (const auto& change : host.changes) {
      switch (change.kind) {
      case JobChange::Kind::added:
        ++n.added;
        break;
      case JobChange::Kind::removed:
        ++n.removed;
        break;
      case JobChange::Kind::schedule_changed:
        ++n.schedule_changed;
        break;
      case JobChange::Kind::command_changed:
        ++n.command_changed;
        break;
      case JobChange::Kind::migrated:
        ++n.migrated;
        break;
      }
    }
  }
}

std::string_view change_name(JobChange::Kind kind) {
  return change_names.name_of(kind);
}

std::string_view host_state_name(HostDiff::State state) {
  return host_state_names.name_of(state);
}

bool Diff::anything_changed() const {
  return counts.added + counts.removed + counts.schedule_changed + counts.command_changed +
             counts.moved + counts.migrated + counts.hosts_new + counts.hosts_gone +
             counts.workers_added + counts.workers_removed >
         0;
}

Diff diff_snapshots(const Snapshot& from, const Snapshot& to) {
  Diff diff;
  diff.from = from.scan;
  diff.to = to.scan;
  std::map<std::pair<std::string, int>, std::pair<std::size_t, std::size_t>> hosts;
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  for (std::size_t i = 0; i < from.hosts.size(); ++i) {
    hosts[{from.hosts[i].name, from.hosts[i].port}] = {i, none};
  }
  for (std::size_t i = 0; i < to.hosts.size(); ++i) {
    auto [entry, inserted] = hosts.try_emplace({to.hosts[i].name, to.hosts[i].port}, none, i);
    entry->second.second = i;
  }
  const auto from_jobs = jobs_by_host(from, from.jobs);
  const auto to_jobs = jobs_by_host(to, to.jobs);
  const auto from_migrated = jobs_by_host(from, from.migrated);
  const auto to_migrated = jobs_by_host(to, to.migrated);
  const std::vector<const JobRow*> no_jobs;
  for (const auto& [identity, indexes] : hosts) {
    const auto [b, a] = indexes;
    const MigratedLines migrated{b == none ? nullptr : &from_migrated[b],
                                 a == none ? nullptr : &to_migrated[a]};
    diff.hosts.push_back(compare_host(
        b == none ? nullptr : &from.hosts[b], b == none ? no_jobs : from_jobs[b],
        a == none ? nullptr : &to.hosts[a], a == none ? no_jobs : to_jobs[a], migrated));
  }
  find_moves(diff);
  for (auto& host : diff.hosts) {
    sort_changes(host);
  }
  diff_workers(from, to, diff);
  count_changes(diff);
  return diff;
}

std::optional<catalog::ScanSummary>
default_from_scan(const std::vector<catalog::ScanSummary>& scans, const catalog::ScanSummary& to) {
  auto utc = timing::find_time_zone("UTC");
  auto to_start = timing::parse_iso8601(to.started_at, **utc);
  std::optional<catalog::ScanSummary> previous;
  for (const auto& scan : scans) {
    if (scan.id >= to.id || scan.status != catalog::ScanStatus::complete) {
      continue;
    }
    if (!previous) {
      previous = scan; // newest complete scan before `to`
    }
    auto start = timing::parse_iso8601(scan.started_at, **utc);
    if (to_start && start && *start <= *to_start - std::chrono::hours(24 * 7)) {
      return scan;
    }
  }
  return previous;
}

} // namespace digger::report
