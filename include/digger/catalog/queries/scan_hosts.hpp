#pragma once

// The hosts a scan recorded, as reports list them.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace digger::catalog {

class Catalog;

struct ScanHostRow {
  std::int64_t host_id = 0; // hosts.id: what ScanJobRow and ScanWorkerRow refer to
  std::string name;
  int port = 22;
  std::map<std::string, std::string> labels; // the host's latest
  std::string status;
  std::string reason;
  std::string timezone;
  std::string os_id, os_version;
  std::int64_t jobs = 0;
  std::vector<std::string> unreadable_paths; // sorted
};

// Sorted by name, then port.
std::vector<ScanHostRow> scan_hosts(Catalog& catalog, std::int64_t scan_id);

} // namespace digger::catalog
