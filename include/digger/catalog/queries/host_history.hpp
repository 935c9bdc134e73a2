#pragma once

// Every machine the catalog knows, across all its scans (`digger-scan hosts`).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace digger::catalog {

class Catalog;

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

std::vector<HostHistory> host_history(Catalog& catalog); // by name, then port

} // namespace digger::catalog
