#pragma once

// Internal to the catalog: migration steps too long to sit in schema.cpp's list. Released steps
// are never edited (docs/catalog.md, "Schema versions and migrations"): a step is made of the
// table and view definitions in schema_tables.hpp, which keep every statement SQLite stores
// exactly as released.

#include <string_view>

namespace digger::catalog {

// Step 3 (issue 8): new source kinds, verdicts, flags, programs; rebuilds two tables.
std::string_view schema_v3_sql();

// Step 4 (issue 15): the bastion statuses; rebuilds host_results.
std::string_view schema_v4_sql();

// Step 5 (issue 16): source kinds in a lookup table; rebuilds cron_sources.
std::string_view schema_v5_sql();

// Step 6 (issue 18): run evidence from the cron log; three new tables.
std::string_view schema_v6_sql();

// Step 7 (issue 18): workers; rebuilds entries for the 'worker' kind, adds worker_facts.
std::string_view schema_v7_sql();
// Step 8 (issue 18): cron mails and output-file freshness, three columns of entry_runs.
std::string_view schema_v8_sql();

// Step 9 (issue 18): supervisord's log per worker (crash loops); worker_facts columns, views.
std::string_view schema_v9_sql();

} // namespace digger::catalog
