#include "scan_summary.hpp"

#include "digger/catalog/catalog.hpp"
#include "digger/catalog/queries/scan_totals.hpp"
#include "digger/util/printable.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace digger::cli {
namespace {

using util::printable;

using catalog::Counts;

nlohmann::json counts_json(const Counts& c) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : c) {
    out[key] = value;
  }
  return out;
}

void print_counts(std::string_view title, const Counts& c, std::size_t limit) {
  fmt::print("\n{}\n", title);
  for (std::size_t i = 0; i < c.size() && i < limit; ++i) {
    // Owners are file names from the hosts: escape them before they reach a terminal.
    fmt::print("  {:<28} {:>7}\n", printable(c[i].first), c[i].second);
  }
  if (c.size() > limit) {
    fmt::print("  ... {} more\n", c.size() - limit);
  }
}

} // namespace

ScanOverview summarize_scan(catalog::Catalog& catalog, std::int64_t scan_id) {
  auto totals = catalog::scan_totals(catalog, scan_id);
  ScanOverview o;
  o.scan_id = scan_id;
  o.hosts_by_status = std::move(totals.hosts_by_status);
  for (const auto& [status, n] : o.hosts_by_status) {
    o.hosts += n;
  }
  o.not_ok = std::move(totals.not_ok);
  o.files = totals.files;
  o.entries = totals.entries;
  o.jobs = totals.jobs;
  o.jobs_by_language = std::move(totals.jobs_by_language);
  o.jobs_by_owner = std::move(totals.jobs_by_owner);
  return o;
}

void print_summary(const ScanOverview& o, const std::string& format, bool interrupted) {
  if (format == "json") {
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& f : o.not_ok) {
      failed.push_back(
          {{"host", f.name}, {"port", f.port}, {"status", f.status}, {"reason", f.reason}});
    }
    nlohmann::json j = {{"scan_id", o.scan_id},
                        {"status", interrupted ? "interrupted" : "complete"},
                        {"hosts", o.hosts},
                        {"hosts_by_status", counts_json(o.hosts_by_status)},
                        {"not_ok", failed},
                        {"files", o.files},
                        {"entries", o.entries},
                        {"jobs", o.jobs},
                        {"jobs_by_language", counts_json(o.jobs_by_language)},
                        {"jobs_by_owner", counts_json(o.jobs_by_owner)},
                        {"retried_after_timeout", o.retried},
                        {"retried_ok", o.retried_ok}};
    // Host names and reasons may hold invalid UTF-8: replaced, never an exception.
    fmt::print("{}\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  fmt::print("Scan {} {}: {} hosts, {} cron files, {} lines, {} jobs\n", o.scan_id,
             interrupted ? "INTERRUPTED (resume with --resume)" : "complete", o.hosts, o.files,
             o.entries, o.jobs);
  print_counts("Hosts by status", o.hosts_by_status, 20);
  if (o.retried > 0) {
    fmt::print("\n{} host{} timed out and needed a retry at the end ({} ok the second time)\n",
               o.retried, o.retried == 1 ? "" : "s", o.retried_ok);
  }
  if (!o.not_ok.empty()) {
    fmt::print("\nHosts not ok\n");
    for (std::size_t i = 0; i < o.not_ok.size() && i < 50; ++i) {
      const auto& f = o.not_ok[i];
      fmt::print("  {:<28} {:<17} {}\n",
                 printable(f.port == 22 ? f.name : fmt::format("{}:{}", f.name, f.port)), f.status,
                 printable(f.reason.substr(0, 120)));
    }
    if (o.not_ok.size() > 50) {
      fmt::print("  ... {} more (sqlite3: SELECT * FROM failed_hosts)\n", o.not_ok.size() - 50);
    }
  }
  print_counts("Jobs by language", o.jobs_by_language, 20);
  print_counts("Jobs by owner", o.jobs_by_owner, 20);
}

} // namespace digger::cli
