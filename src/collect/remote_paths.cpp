#include "digger/collect/remote_paths.hpp"

#include <algorithm>
#include <stdexcept>

namespace digger::collect {
namespace {

bool name_ok(std::string_view name) {
  auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; };
  return !name.empty() && (name[0] < '0' || name[0] > '9') &&
         std::all_of(name.begin(), name.end(), ok);
}

bool path_ok(std::string_view path) {
  auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '.' || c == '_' || c == '-';
  };
  return !path.empty() && std::all_of(path.begin(), path.end(), ok);
}

} // namespace

std::string shell_preamble(const std::vector<ShellPaths>& lists) {
  std::string out;
  for (const auto& list : lists) {
    if (!name_ok(list.variable)) {
      throw std::invalid_argument("shell variable name: " + std::string(list.variable));
    }
    out.append(list.variable).append("=\"");
    for (std::size_t i = 0; i < list.paths.size(); ++i) {
      if (!path_ok(list.paths[i])) {
        throw std::invalid_argument("path for " + std::string(list.variable) + ": " +
                                    std::string(list.paths[i]));
      }
      out.append(i == 0 ? "" : " ").append(list.paths[i]);
    }
    out.append("\"\n");
  }
  return out;
}

const std::vector<ShellPaths>& collector_paths() {
  static const std::vector<ShellPaths> table{
      {"user_dirs", {"/var/spool/cron", "/var/spool/cron/crontabs", "/var/spool/cron/tabs"}},
      {"system_crontab", {"/etc/crontab"}},
      {"anacrontab", {"/etc/anacrontab"}},
      {"crond_dir", {"/etc/cron.d"}},
      {"runparts_dirs",
       {"/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly"}},
      // Listed in this order; one that is the same directory as an earlier one (merged /usr)
      // is skipped. Vendor directories: their *.wants links are the packages', not enablement.
      {"unit_dirs",
       {"/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
        "/etc/systemd/user"}},
      {"vendor_unit_dirs", {"/usr/lib/systemd/system", "/lib/systemd/system"}},
      {"root_home", {"/root"}},
      {"homes_dir", {"/home"}},
      {"user_unit_dir", {".config/systemd/user"}},
      {"daemons", {"/usr/sbin/crond", "/usr/sbin/cron", "/usr/sbin/anacron"}},
      {"dpkg_info", {"/var/lib/dpkg/info"}},
  };
  return table;
}

} // namespace digger::collect
