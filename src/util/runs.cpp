#include "digger/util/runs.hpp"

namespace digger::util {

std::vector<Run> consecutive_runs(std::span<const int> sorted) {
  std::vector<Run> runs;
  for (const int value : sorted) {
    if (!runs.empty() && value == runs.back().last + 1) {
      runs.back().last = value;
    } else {
      runs.push_back({value, value});
    }
  }
  return runs;
}

} // namespace digger::util
