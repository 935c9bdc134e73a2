#pragma once

// The env and job lines of a scan's crontabs, as the migration export reads them (the lines in
// effect for a job: MAILTO, SHELL, CRON_TZ, RANDOM_DELAY, its variables).

#include <cstdint>
#include <functional>
#include <string>

namespace digger::catalog {

class Catalog;

struct CrontabLineRow {
  std::string host;
  int port = 22;
  std::string path; // the source file
  int line_number = 0;
  bool env = false; // an env line; else a job line
  std::string raw;
};

// Calls `visit` for each env or job line of the scan, by host, port, path, then line number.
// The catalog is locked meanwhile: `visit` must not call it.
void for_each_crontab_line(Catalog& catalog, std::int64_t scan_id,
                           const std::function<void(CrontabLineRow&&)>& visit);

} // namespace digger::catalog
