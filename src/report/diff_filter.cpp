#include "digger/report/diff_filter.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace digger::report {
namespace {

using HostKey = std::pair<std::string, int>;

// Each host as the newer scan knows it, else as the older one did.
std::map<HostKey, const HostRow*> host_rows(const Snapshot& from, const Snapshot& to) {
  std::map<HostKey, const HostRow*> rows;
  for (const auto& host : to.hosts) {
    rows.emplace(HostKey{host.name, host.port}, &host);
  }
  for (const auto& host : from.hosts) {
    rows.emplace(HostKey{host.name, host.port}, &host); // kept when `to` had it
  }
  return rows;
}

// The job a change is about: after it, except for what is gone (removed, migrated).
const JobRow& subject(const JobChange& change) {
  const bool gone = !change.after || change.kind == JobChange::Kind::migrated;
  return gone ? *change.before : *change.after;
}

} // namespace

void filter_diff(Diff& diff, const Filter& filter, const Snapshot& from, const Snapshot& to) {
  if (filter.terms.empty()) {
    return;
  }
  const bool job_terms = std::any_of(filter.terms.begin(), filter.terms.end(),
                                     [](const FilterTerm& term) { return !term.about_host(); });
  const auto rows = host_rows(from, to);
  std::erase_if(diff.moves, [&](const JobMove& move) {
    const auto row = rows.find(HostKey{move.to_host, move.to_port});
    return row == rows.end() || !filter.matches_job(move.after, *row->second);
  });
  std::set<HostKey> moved; // hosts a kept move leaves or reaches
  for (const auto& move : diff.moves) {
    moved.insert(HostKey{move.from_host, move.from_port});
    moved.insert(HostKey{move.to_host, move.to_port});
  }
  std::erase_if(diff.workers, [&](const WorkerChange& change) {
    const auto row = rows.find(HostKey{change.host, change.port});
    return row == rows.end() || !filter.matches_job(as_job(change.worker), *row->second);
  });
  std::erase_if(diff.hosts, [&](HostDiff& host) {
    const auto row = rows.find(HostKey{host.name, host.port});
    if (row == rows.end() || !filter.matches_host(*row->second)) {
      return true;
    }
    std::erase_if(host.changes, [&](const JobChange& change) {
      return !filter.matches_job(subject(change), *row->second);
    });
    const bool inventory_change =
        host.state == HostDiff::State::added || host.state == HostDiff::State::gone;
    return job_terms && inventory_change && host.changes.empty() &&
           !moved.contains(HostKey{host.name, host.port});
  });
  count_changes(diff);
}

} // namespace digger::report
