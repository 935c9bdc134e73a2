#pragma once

// The catalog's history for `digger-scan scans` and `digger-scan hosts`.

#include "digger/catalog/catalog.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace digger::report {

// One machine across all scans.
struct HostHistory {
  std::string name;
  int port = 22;
  std::map<std::string, std::string> labels;
  std::int64_t last_scan = 0; // newest scan that recorded it
  std::string last_status;    // its status there
  std::string last_reason;
  std::int64_t last_ok_scan = 0; // newest scan where it was ok or partial; 0 = never
  std::string last_ok_at;        // that scan's finished_at (started_at if unfinished)
  std::int64_t last_ok_jobs = 0;
};

std::vector<HostHistory> host_history(catalog::Catalog& catalog); // by name, then port

std::string render_scans_table(const std::vector<catalog::ScanSummary>& scans);
std::string render_scans_json(const std::vector<catalog::ScanSummary>& scans);
std::string render_hosts_table(const std::vector<HostHistory>& hosts);
std::string render_hosts_json(const std::vector<HostHistory>& hosts);

} // namespace digger::report
