#pragma once

#include "digger/catalog/queries/scan_totals.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace digger::cli {

using FailedHost = catalog::FailedHost; // a host whose status is not ok

// What the end of a scan prints: read back from the catalog, so a resumed scan's summary
// covers every part of it.
struct ScanOverview {
  std::int64_t scan_id = 0;
  std::int64_t hosts = 0;
  std::vector<std::pair<std::string, std::int64_t>> hosts_by_status;
  std::vector<FailedHost> not_ok; // every host whose status is not ok
  std::int64_t files = 0;
  std::int64_t entries = 0;
  std::int64_t jobs = 0;
  std::vector<std::pair<std::string, std::int64_t>> jobs_by_language;
  std::vector<std::pair<std::string, std::int64_t>> jobs_by_owner;
  // Hosts that timed out under load and were run again at the end (this run of the scan, not
  // read from the catalog: a resumed scan counts its own part).
  std::int64_t retried = 0;
  std::int64_t retried_ok = 0;

  bool all_ok() const { return not_ok.empty(); }
};

ScanOverview summarize_scan(catalog::Catalog& catalog, std::int64_t scan_id);

// "text" for people, "json" for machines; on stdout.
void print_summary(const ScanOverview& overview, const std::string& format, bool interrupted);

} // namespace digger::cli
