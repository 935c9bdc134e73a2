#include "digger/collect/load_rules.hpp"

#include <algorithm>
#include <array>

namespace digger::collect {
namespace {

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool has_backup_suffix(std::string_view name) {
  static constexpr std::array<std::string_view, 3> rpm = {".rpmsave", ".rpmorig", ".rpmnew"};
  return name.ends_with('~') ||
         std::any_of(rpm.begin(), rpm.end(), [&](auto s) { return name.ends_with(s); }) ||
         name.find(".dpkg-") != std::string_view::npos;
}

// Debian cron reads /etc/cron.d names the way run-parts does: [A-Za-z0-9_-]+ only.
bool run_parts_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

} // namespace

LoadVerdict daemon_loads(const CronSource& source, std::string_view daemon) {
  const std::string_view name = base_name(source.path);
  const bool vixie = daemon == "vixie";
  if (name.starts_with('.') || name.starts_with('#')) {
    return {false, "hidden name: cron skips files starting with '.' or '#'"};
  }
  if (has_backup_suffix(name)) {
    return {false, "backup or package-manager leftover name: cron skips it"};
  }
  if (vixie && source.kind == SourceKind::cron_d && !run_parts_name(name)) {
    return {false, "name outside [A-Za-z0-9_-]: Debian cron skips it in /etc/cron.d"};
  }
  if (source.kind == SourceKind::user_crontab &&
      source.path.find("/crontabs/") == std::string::npos && vixie) {
    // Debian cron reads only /var/spool/cron/crontabs; a file directly in the spool root is
    // a leftover (e.g. from a RHEL habit) that no daemon there runs.
    return {false, "Debian cron reads user crontabs from /var/spool/cron/crontabs only"};
  }
  if (daemon == "busybox" && source.kind != SourceKind::user_crontab) {
    return {false, "BusyBox crond reads only /var/spool/cron/crontabs"};
  }
  if (vixie && source.kind != SourceKind::user_crontab && (source.mode & 022) != 0) {
    return {false, "writable by group or others: Debian cron refuses to load it"};
  }
  if (daemon == "cronie" && (source.mode & 022) != 0) {
    return {false, "writable by group or others: cronie refuses to load it"};
  }
  if (daemon == "cronie" && source.kind == SourceKind::user_crontab && source.uid > 0 &&
      source.file_owner != "root" && source.file_owner != base_name(source.path)) {
    return {false, "owned by another account than the crontab's user: cronie refuses it"};
  }
  return {};
}

} // namespace digger::collect
