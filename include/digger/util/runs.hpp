#pragma once

// Runs of consecutive values in a sorted list, the unit of every list syntax that writes ranges:
// cron's "1-3,7", systemd's "Mon..Wed,Fri", and the description's "1 through 3 and 7".

#include <span>
#include <vector>

namespace digger::util {

struct Run {
  int first;
  int last; // == first for a value alone

  friend bool operator==(const Run&, const Run&) = default;
};

// {1, 2, 3, 7} -> {1..3, 7..7}. A repeated value starts a new run.
std::vector<Run> consecutive_runs(std::span<const int> sorted);

} // namespace digger::util
