#include "digger/report/history.hpp"

#include "digger/report/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace digger::report {
namespace {

using Json = nlohmann::ordered_json;

std::string host_label(const HostHistory& host) {
  std::string name = terminal_text(host.name);
  return host.port == 22 ? name : fmt::format("{}:{}", name, host.port);
}

} // namespace

std::string render_scans_table(const std::vector<catalog::ScanSummary>& scans) {
  std::string out = fmt::format("{:>5}  {:<11} {:<20}  {:>7} {:>7} {:>6} {:>8}\n", "SCAN", "STATUS",
                                "STARTED", "PLANNED", "SCANNED", "FAILED", "JOBS");
  for (const auto& scan : scans) {
    out += fit(fmt::format("{:>5}  {:<11} {:<20}  {:>7} {:>7} {:>6} {:>8}", scan.id,
                           catalog::scan_status_name(scan.status), scan.started_at,
                           scan.hosts_planned, scan.hosts_ok, scan.hosts_failed, scan.jobs),
               80) +
           "\n";
  }
  return out;
}

std::string render_scans_json(const std::vector<catalog::ScanSummary>& scans) {
  Json list = Json::array();
  for (const auto& scan : scans) {
    list.push_back(
        {{"id", scan.id},
         {"status", catalog::scan_status_name(scan.status)},
         {"started_at", scan.started_at},
         {"finished_at", scan.finished_at.empty() ? Json(nullptr) : Json(scan.finished_at)},
         {"inventory", valid_utf8(scan.inventory_path)},
         {"digger_version", scan.digger_version},
         {"hosts_planned", scan.hosts_planned},
         {"hosts_recorded", scan.hosts_recorded},
         {"hosts_ok", scan.hosts_ok},
         {"hosts_failed", scan.hosts_failed},
         {"jobs", scan.jobs}});
  }
  return Json{{"format", "digger-scans"}, {"version", 1}, {"scans", list}}.dump(2) + "\n";
}

std::string render_hosts_table(const std::vector<HostHistory>& hosts) {
  std::string out = fmt::format("{} {} {:>5} {:>7} {:<20} {:>5}\n", pad("HOST", 21),
                                pad("LAST STATUS", 17), "SCAN", "LAST OK", "AT", "JOBS");
  for (const auto& host : hosts) {
    const bool never = host.last_ok_scan == 0;
    out += fit(fmt::format("{} {} {:>5} {:>7} {:<20} {:>5}", pad(host_label(host), 21),
                           pad(host.last_status.empty() ? "-" : host.last_status, 17),
                           host.last_scan, never ? "never" : std::to_string(host.last_ok_scan),
                           never ? "-" : host.last_ok_at,
                           never ? "-" : std::to_string(host.last_ok_jobs)),
               80) +
           "\n";
  }
  return out;
}

std::string render_hosts_json(const std::vector<HostHistory>& hosts) {
  Json list = Json::array();
  for (const auto& host : hosts) {
    Json labels = Json::object();
    for (const auto& [key, value] : host.labels) {
      labels[valid_utf8(key)] = valid_utf8(value);
    }
    list.push_back(
        {{"host", valid_utf8(host.name)},
         {"port", host.port},
         {"labels", labels},
         {"last_scan", host.last_scan},
         {"last_status", host.last_status},
         {"last_reason",
          host.last_reason.empty() ? Json(nullptr) : Json(valid_utf8(host.last_reason))},
         {"last_ok_scan", host.last_ok_scan == 0 ? Json(nullptr) : Json(host.last_ok_scan)},
         {"last_ok_at", host.last_ok_at.empty() ? Json(nullptr) : Json(host.last_ok_at)},
         {"last_ok_jobs", host.last_ok_jobs}});
  }
  return Json{{"format", "digger-hosts"}, {"version", 1}, {"hosts", list}}.dump(2) + "\n";
}

} // namespace digger::report
