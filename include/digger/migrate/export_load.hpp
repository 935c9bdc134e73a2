#pragma once

// `digger-scan export`: the one part of the migrate stage that reads the catalog. The report
// loader gives each job's columns; the export also needs the env lines in effect (MAILTO,
// SHELL, CRON_TZ, RANDOM_DELAY, the job's variables), which only the raw lines hold.

#include "digger/catalog/catalog.hpp"
#include "digger/migrate/export_plan.hpp"

#include <cstdint>

namespace digger::migrate {

// The env and job lines of every crontab of the scan, in line order.
CrontabLines load_crontab_lines(catalog::Catalog& catalog, std::int64_t scan_id);

} // namespace digger::migrate
