#pragma once

// What a scan recorded, counted: the summary printed at the end of a scan.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace digger::catalog {

class Catalog;

// (value, count), most frequent first, then by value.
using Counts = std::vector<std::pair<std::string, std::int64_t>>;

struct FailedHost {
  std::string name;
  int port = 22;
  std::string status;
  std::string reason;
};

struct ScanTotals {
  Counts hosts_by_status;
  std::vector<FailedHost> not_ok; // every host whose status is not ok, by status, name, port
  std::int64_t files = 0;
  std::int64_t entries = 0;
  std::int64_t jobs = 0; // entries of kind job (the all_jobs view)
  Counts jobs_by_language;
  Counts jobs_by_owner;
};

ScanTotals scan_totals(Catalog& catalog, std::int64_t scan_id);

} // namespace digger::catalog
