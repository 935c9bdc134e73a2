#pragma once

#include "digger/collect/snapshot.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace digger::collect {

// Lines a host may contribute to the catalog (crontabs and the anacrontab: every line becomes
// an entry row). A host that has more is recorded partial, cut at this many lines: a 4 MiB
// cron.d file of one-word jobs must cost neither seconds of a worker nor 60 MB of catalog.
inline constexpr std::size_t default_max_lines_per_host = 20000;

struct LineCap {
  std::size_t lines = 0;              // lines the host sent in line-based files
  std::vector<std::string> cut_paths; // files cut (or emptied) to stay within the cap
  bool hit() const { return !cut_paths.empty(); }
  std::string reason(std::size_t max_lines) const; // one line, for the host's reason
};

// Cuts the line-based sources of `snapshot`, in order, once `max_lines` lines are kept: each
// file cut keeps whole lines only and is marked truncated. Pure; linear in the bytes.
LineCap cap_host_lines(HostSnapshot& snapshot, std::size_t max_lines);

} // namespace digger::collect
