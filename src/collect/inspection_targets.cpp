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

std::vector<std::string> inspection_targets(const HostSnapshot& snapshot, std::size_t limit) {
  // The row builders already resolve every target; building them twice costs a parse per
  // source, which is small next to a round trip, and keeps one definition of "target".
  HostContext host = host_context(snapshot, "", nullptr);
  RunPartsDirs dirs;
  std::set<std::string, std::less<>> paths;
  auto add = [&](const catalog::SourceRow& row) {
    for (const auto& entry : row.entries) {
      if ((entry.kind == "job" || entry.kind == "disabled-job") && inspectable(entry.target)) {
        paths.insert(entry.target);
      }
    }
  };
  std::vector<CronSource> units;
  for (const auto& source : snapshot.sources) {
    switch (source.kind) {
    case SourceKind::user_crontab:
    case SourceKind::system_crontab:
    case SourceKind::cron_d:
      add(crontab_source_row(source, host, dirs));
      break;
    case SourceKind::anacrontab:
      add(anacrontab_source_row(source, host, dirs));
      break;
    case SourceKind::systemd_unit:
      units.push_back(source);
      break;
    case SourceKind::run_parts:
      break;
    }
  }
  for (const auto& source : snapshot.sources) {
    if (source.kind == SourceKind::run_parts) {
      add(run_parts_source_row(source, host, dirs));
    } else if (source.kind == SourceKind::systemd_unit && source.path.ends_with(".timer")) {
      add(timer_source_row(source, units, host));
    }
  }
  std::vector<std::string> out;
  for (const auto& path : paths) {
    if (out.size() == limit) {
      break;
    }
    out.push_back(path);
  }
  return out;
}

} // namespace digger::collect
