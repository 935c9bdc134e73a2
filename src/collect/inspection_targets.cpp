// Which programs the second round trip inspects: what the jobs of every source kind run.
#include "digger/collect/host_record.hpp"
#include "digger/collect/source_rows.hpp"

#include <set>

namespace digger::collect {
namespace {

bool inspectable(std::string_view path) {
  return path.size() > 1 && path.size() <= 4096 && path.front() == '/' &&
         path.find('\0') == std::string_view::npos;
}

} // namespace

std::vector<std::string> inspection_targets(const HostSnapshot& snapshot) {
  // The row builders are the one definition of a job's target; running them twice costs a
  // parse per source, which is small next to the round trip it saves.
  HostContext host = host_context(snapshot, "", nullptr);
  std::set<std::string, std::less<>> paths;
  for (const auto& row : build_source_rows(snapshot, host)) {
    for (const auto& entry : row.entries) {
      if (entry.kind == "job" && inspectable(entry.target)) {
        paths.insert(entry.target);
      }
    }
  }
  return {paths.begin(), paths.end()};
}

} // namespace digger::collect
