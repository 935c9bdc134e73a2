#pragma once

#include "digger/catalog/records.hpp"
#include "digger/collect/script.hpp"
#include "digger/inventory/plan.hpp"
#include "digger/ssh/fanout.hpp"

#include <atomic>
#include <functional>
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
  CollectorLimits limits;
};

// The whole collection of one scan: every target is reached over SSH, runs the collector,
// and becomes one catalog record handed to `writer` (parsed and classified on the worker
// thread that finished it). `on_host` sees each record just before it is handed over
// (progress, verbose output). Returns when every started host is recorded; `stop` starts no new
// host.
void scan_hosts(const ScanRequest& request, ssh::KeyRing& keys, ssh::HostKeyStore& host_keys,
                catalog::Writer& writer,
                const std::function<void(const catalog::HostRecord&)>& on_host,
                const std::atomic<bool>& stop);

// The record of one host from its SSH outcome: pure, exposed for tests.
catalog::HostRecord host_record(const inventory::ScanTarget& target, ssh::Outcome&& outcome);

} // namespace digger::collect
