#include "digger/collect/inspect.hpp"
#include "digger/cron/command.hpp"
#include "digger/cron/crontab.hpp"

#include <set>

namespace digger::collect {

std::vector<std::string> default_inspection_targets(const HostSnapshot& snapshot) {
  std::vector<std::string> targets;
  std::set<std::string> seen;
  auto add = [&](const std::string& path) {
    if (path.starts_with('/') && seen.insert(path).second) {
      targets.push_back(path);
    }
  };
  for (const auto& source : snapshot.sources) {
    if (source.kind == SourceKind::run_parts) {
      add(source.path);
      continue;
    }
    if (source.kind != SourceKind::user_crontab && source.kind != SourceKind::system_crontab &&
        source.kind != SourceKind::cron_d) {
      continue;
    }
    cron::ParseOptions options;
    options.flavor = source.kind == SourceKind::user_crontab ? cron::CrontabFlavor::user
                                                             : cron::CrontabFlavor::system;
    for (const auto& line : cron::parse_crontab(source.content, options).lines) {
      if (line.kind != cron::LineKind::job || !line.job) {
        continue;
      }
      auto analysis = cron::analyze_command(line.job->command);
      add(analysis.target.starts_with('/') ? analysis.target : analysis.program);
    }
  }
  return targets;
}

} // namespace digger::collect
