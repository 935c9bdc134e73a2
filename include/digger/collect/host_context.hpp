#pragma once

#include "digger/collect/snapshot.hpp"
#include "digger/command/program.hpp"
#include "digger/judge/registry.hpp"
#include "digger/units/supervisor_log.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace digger::collect {

// What every job of one host is judged against: built once per host from its snapshot, so
// the row builders of each source kind look facts up instead of searching the snapshot.
struct HostContext {
  std::string host;   // the inventory name (registry rows match it)
  std::string daemon; // HostFacts::cron_daemon
  const judge::Registry* registry = nullptr;
  std::map<std::string, std::string, std::less<>> packages; // path -> owning package
  std::map<std::string, const command::ProgramFacts*, std::less<>> programs; // by inspected path
  std::set<std::string, std::less<>> enabled_units; // unit file names linked from a *.wants dir
  std::map<std::string, const command::ProgramFacts*, std::less<>> app_sources; // by path
  // supervisord at run time (docs/workers.md): each log read, by path (its exit counts, and
  // what was read of it or why not), and the configurations running supervisords were started
  // with (-c PATH) besides the standard ones, each with how it was found ("started by pid 812
  // (uid 1001) with -c ...").
  struct SupervisorLogFacts {
    units::SupervisorLog log; // no lines when not read
    std::string note;
  };
  std::map<std::string, SupervisorLogFacts, std::less<>> supervisor_logs;
  std::vector<std::pair<std::string, std::string>> supervisord_configs;

  std::string_view package_of(std::string_view path) const;
  const command::ProgramFacts* program(std::string_view path) const; // nullptr: not inspected
  bool unit_enabled(std::string_view unit_name) const;
  const command::ProgramFacts* app_source(std::string_view path) const; // nullptr: not read
};

// Fills the supervisord fields of `context` (supervisor_runtime.cpp).
void note_supervisor_runtime(const HostSnapshot& snapshot, HostContext& context);

// `snapshot` must outlive the context (programs point into it).
HostContext host_context(const HostSnapshot& snapshot, std::string_view host,
                         const judge::Registry* registry);

} // namespace digger::collect
