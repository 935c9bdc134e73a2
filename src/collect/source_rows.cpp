#include "digger/collect/source_rows.hpp"

#include "digger/collect/host_record.hpp"

#include <optional>

namespace digger::collect {
namespace {

bool is_crontab(SourceKind kind) {
  return kind == SourceKind::user_crontab || kind == SourceKind::system_crontab ||
         kind == SourceKind::cron_d;
}

} // namespace

void RunPartsDirs::note(const std::string& dir, DirSchedule schedule) {
  auto [it, inserted] = dirs_.try_emplace(dir, schedule);
  if (!inserted && schedule.from_anacron && !it->second.from_anacron) {
    it->second = std::move(schedule);
  }
}

const DirSchedule* RunPartsDirs::find(std::string_view dir) const {
  auto it = dirs_.find(dir);
  return it == dirs_.end() ? nullptr : &it->second;
}

std::string_view source_kind_word(SourceKind kind, std::string_view path) {
  switch (kind) {
  case SourceKind::user_crontab:
    return "user";
  case SourceKind::system_crontab:
    return "system";
  case SourceKind::cron_d:
    return "cron.d";
  case SourceKind::anacrontab:
    return "anacrontab";
  case SourceKind::run_parts:
    return "run-parts";
  case SourceKind::systemd_unit:
    return path.ends_with(".timer") ? "timer" : "service";
  }
  return "user";
}

std::string parent_directory(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos) {
    return ".";
  }
  return std::string(path.substr(0, slash == 0 ? 1 : slash));
}

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

catalog::SourceRow base_source_row(const CronSource& source, const HostContext& host) {
  catalog::SourceRow row;
  row.path = source.path;
  row.kind = std::string(source_kind_word(source.kind, source.path));
  row.owner = source.owner;
  row.mode = source.mode;
  row.mtime = source.mtime;
  row.size = source.size;
  row.sha256 = sha256_hex(source.content);
  row.truncated = source.truncated;
  row.package = std::string(host.package_of(source.path));
  return row;
}

// Two passes, in the snapshot's order: crontabs and the anacrontab first (they say when each
// run-parts directory runs), then run-parts files and systemd units.
std::vector<catalog::SourceRow> build_source_rows(const HostSnapshot& snapshot,
                                                 const HostContext& host) {
  const auto& sources = snapshot.sources;
  std::vector<std::optional<catalog::SourceRow>> rows(sources.size());
  RunPartsDirs dirs;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (is_crontab(sources[i].kind)) {
      rows[i] = crontab_source_row(sources[i], host, dirs);
    } else if (sources[i].kind == SourceKind::anacrontab) {
      rows[i] = anacrontab_source_row(sources[i], host, dirs);
    }
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& source = sources[i];
    if (source.kind == SourceKind::run_parts) {
      rows[i] = run_parts_source_row(source, host, dirs);
    } else if (source.kind == SourceKind::systemd_unit) {
      rows[i] = source.path.ends_with(".timer") ? timer_source_row(source, sources, host)
                                                : service_source_row(source, host);
    }
  }
  std::vector<catalog::SourceRow> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    out.push_back(std::move(*row));
  }
  return out;
}

catalog::SourceRow service_source_row(const CronSource& service, const HostContext& host) {
  return base_source_row(service, host);
}

} // namespace digger::collect
