#include "digger/collect/source_rows.hpp"

#include "digger/collect/host_record.hpp"

namespace digger::collect {

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

std::string_view source_kind_word(const CronSource& source) {
  switch (source.kind) {
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
    return source.path.ends_with(".timer") ? "timer" : "service";
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
  row.kind = std::string(source_kind_word(source));
  row.owner = source.owner;
  row.mode = source.mode;
  row.mtime = source.mtime;
  row.size = source.size;
  row.sha256 = sha256_hex(source.content);
  row.truncated = source.truncated;
  row.package = std::string(host.package_of(source.path));
  return row;
}

catalog::SourceRow service_source_row(const CronSource& service, const HostContext& host) {
  return base_source_row(service, host);
}

} // namespace digger::collect
