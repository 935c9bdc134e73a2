#include "digger/collect/remote_paths.hpp"

#include "digger/collect/source_table.hpp"

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

// The sources' own lists come from the source table (source_table.hpp), in its order; the
// rest are what the script reads besides them.
namespace {

std::vector<ShellPaths> build_collector_paths() {
  std::vector<ShellPaths> table;
  for (const SourceSpec& spec : source_table()) {
    if (!spec.script_variable.empty()) {
      table.push_back({spec.script_variable, {spec.paths.begin(), spec.paths.end()}});
    }
  }
  const std::vector<ShellPaths> others{
      // Unit directories (the table's unit row) are listed in order; one that is the same
      // directory as an earlier one (merged /usr) is skipped. Vendor directories: their *.wants
      // links are the packages', not enablement.
      {"vendor_unit_dirs", {"/usr/lib/systemd/system", "/lib/systemd/system"}},
      {"root_home", {"/root"}},
      {"homes_dir", {"/home"}},
      {"user_unit_dir", {".config/systemd/user"}},
      {"daemons", {"/usr/sbin/crond", "/usr/sbin/cron", "/usr/sbin/anacron"}},
      // Run evidence (docs/evidence.md): the cron daemon's log, RHEL then Debian (rsyslog).
      {"cron_logs", {"/var/log/cron", "/var/log/cron.log", "/var/log/syslog"}},
      // Cron mails (docs/evidence.md, "Mail spool"): headers only; /var/mail is often a link.
      {"mail_dirs", {"/var/mail", "/var/spool/mail"}},
      {"dpkg_info", {"/var/lib/dpkg/info"}},
      // supervisord's own log (crash loops, docs/workers.md): Debian's and EPEL's logfile=.
      {"supervisor_logs", {"/var/log/supervisor/supervisord.log"}},
  };
  table.insert(table.end(), others.begin(), others.end());
  return table;
}

} // namespace

// Built once: the table is read-only once scanning starts (source_table.hpp).
const std::vector<ShellPaths>& collector_paths() {
  static const std::vector<ShellPaths> table = build_collector_paths();
  return table;
}

} // namespace digger::collect
