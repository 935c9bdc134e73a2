#pragma once

#include "digger/collect/snapshot.hpp"

#include <string>
#include <string_view>

namespace digger::collect {

struct LoadVerdict {
  bool loaded = true;
  std::string reason; // why the daemon skips the file, empty when loaded
};

// Whether the host's cron daemon would read this file at all, from its name and mode
// (cronie's database.c/misc.c and Debian cron's run-parts name rule). `daemon` is the
// HostFacts::cron_daemon value; unknown daemons get cronie's rules.
LoadVerdict daemon_loads(const CronSource& source, std::string_view daemon);

} // namespace digger::collect
