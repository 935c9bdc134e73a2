// Workers added and removed between two scans (issue 18). Workers have no schedule to change:
// one is the same worker when its manager, name, owner, command, instances and restart policy
// are; anything else is one removed and one added.
#include "digger/report/diff.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace digger::report {
namespace {

using HostKey = std::pair<std::string, int>;
using WorkerKey =
    std::tuple<std::string, std::string, std::string, std::string, std::int64_t, std::string>;

WorkerKey key_of(const WorkerRow& worker) {
  return {worker.manager, worker.name,      worker.owner,
          worker.command, worker.instances, worker.restart};
}

// Workers of the hosts the scan could read, by host identity.
std::map<HostKey, std::vector<const WorkerRow*>> by_host(const Snapshot& snapshot) {
  std::map<HostKey, std::vector<const WorkerRow*>> out;
  for (const auto& host : snapshot.hosts) {
    if (host.scanned()) {
      out[{host.name, host.port}];
    }
  }
  for (const auto& worker : snapshot.workers) {
    const auto& host = snapshot.hosts.at(worker.host);
    if (host.scanned()) {
      out[{host.name, host.port}].push_back(&worker);
    }
  }
  return out;
}

// What `side` has that `other` has not, as a multiset (two equal workers count twice).
void one_side(const HostKey& host, const std::vector<const WorkerRow*>& side,
              const std::vector<const WorkerRow*>& other, bool added, Diff& diff) {
  std::map<WorkerKey, std::size_t> left;
  for (const WorkerRow* worker : other) {
    ++left[key_of(*worker)];
  }
  for (const WorkerRow* worker : side) {
    auto& count = left[key_of(*worker)];
    if (count > 0) {
      --count;
      continue;
    }
    diff.workers.push_back({added, host.first, host.second, *worker});
  }
}

} // namespace

void diff_workers(const Snapshot& from, const Snapshot& to, Diff& diff) {
  diff.workers.clear();
  const auto before = by_host(from);
  const auto after = by_host(to);
  for (const auto& [host, workers] : after) {
    const auto found = before.find(host);
    if (found == before.end()) {
      continue; // a new host: its jobs say so already
    }
    one_side(host, found->second, workers, false, diff);
    one_side(host, workers, found->second, true, diff);
  }
}

} // namespace digger::report
