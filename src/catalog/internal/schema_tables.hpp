#pragma once

// Internal to the catalog: the tables and views that more than one schema step writes, each
// defined once. A step that rebuilds a table (to change a CHECK, which SQLite cannot alter in
// place) or remakes a view passes only what its version changed; what the definition keeps
// comes from here, so every version of a table reads the same where it is the same. The text
// is exactly what the released steps wrote: SQLite stores it in sqlite_schema, and catalogs
// made before this file existed hold it.

#include <initializer_list>
#include <string>
#include <string_view>

namespace digger::catalog {

// The statements one after another, a line apart: a step's SQL made of the pieces below.
std::string join_statements(std::initializer_list<std::string_view> statements);

// SQLite's procedure for changing a table's constraints (sqlite.org/lang_altertable.html,
// "other kinds of table schema changes"): the new definition is made under a scratch name, the
// rows are copied, the old table is dropped (taking its indexes) and the new one renamed.
struct TableRebuild {
  std::string_view table;   // "entries"
  std::string_view scratch; // the new definition's name until the old table is gone
  // The new definition: table_definition(table_template, scratch, rule, more_columns).
  std::string_view table_template;
  std::string rule;
  std::string_view more_columns = "";
  // The old table's columns copied to the new one's of the same name; "*" when both tables
  // have the same columns in the same order.
  std::string_view copied_columns = "*";
  std::string_view indexes = ""; // made again once the new table has the old one's name
  // Views read the table by name and are left as they are: legacy_alter_table keeps the rename
  // from re-checking them while the table is missing (they read the new one after).
  bool views_read_it = false;
};
std::string rebuild_table_sql(const TableRebuild& rebuild);

// ---------------------------------------------------------------- tables

// The tables later steps rebuild, as version 1 wrote them but for three holes: {name} (a
// rebuild makes the table under a scratch name), {rule} (the constraint on the one column whose
// allowed values later versions change: host_results.status, cron_sources.kind, entries.kind)
// and {more_columns} (what later versions append, ",\n  name TYPE" each).
extern const std::string_view host_results_template;
extern const std::string_view cron_sources_template;
extern const std::string_view entries_template;
std::string table_definition(std::string_view table_template, std::string_view name,
                             std::string_view rule, std::string_view more_columns);
// "CHECK (condition)", for {rule}.
std::string check(std::string_view condition);

inline constexpr std::string_view host_results_indexes =
    "CREATE INDEX host_results_by_host ON host_results (host_id, scan_id);";

inline constexpr std::string_view cron_sources_indexes =
    "CREATE INDEX cron_sources_by_result ON cron_sources (host_result_id);";
// Version 3 on: the package a source belongs to.
inline constexpr std::string_view cron_sources_package_column = ",\n  package            BLOB";

inline constexpr std::string_view entries_by_source_index =
    "CREATE INDEX entries_by_source ON entries (source_id, line_number);";
inline constexpr std::string_view entries_by_fingerprint_index =
    "CREATE INDEX entries_by_fingerprint ON entries (fingerprint) WHERE fingerprint IS NOT NULL;";
// Both, as a rebuild makes them again (version 2 added the second).
std::string_view entries_indexes();
// Version 3 on: the entry kinds as an OR chain (an IN list costs the writer two temporary
// b-trees per row, issue 7), and each job's verdict, flags and where its schedule came from.
extern const std::string_view entry_kinds_v3;
extern const std::string_view entries_verdict_columns;

// ---------------------------------------------------------------- views

// all_jobs as version 1 made it; `more_columns` follow entry_id, `more_joins` the join of
// entries.
std::string all_jobs_view(std::string_view more_columns, std::string_view more_joins);
inline constexpr std::string_view jobs_view =
    "CREATE VIEW jobs AS\n  SELECT * FROM all_jobs WHERE scan_id = (SELECT id FROM latest_scan);";
// The report views over jobs; `more_columns` follow their last column.
std::string jobs_by_language_view(std::string_view more_columns);
std::string jobs_by_owner_view(std::string_view more_columns);
extern const std::string_view failed_hosts_view;
extern const std::string_view duplicate_jobs_view;

// all_workers as version 7 made it; `more_columns` follow entry_id.
std::string all_workers_view(std::string_view more_columns);
inline constexpr std::string_view workers_view =
    "CREATE VIEW workers AS\n"
    "  SELECT * FROM all_workers WHERE scan_id = (SELECT id FROM latest_scan);";

} // namespace digger::catalog
