#include "schema_steps.hpp"
#include "schema_tables.hpp"

namespace digger::catalog {

namespace {

// Version 4: the statuses of hosts reached through bastions (issue 15), each naming the hop
// that failed. SQLite cannot change a CHECK constraint in place, so host_results is rebuilt
// with the same columns (migrate() turns foreign keys off around this step: dropping the old
// table would otherwise cascade to cron_sources and unreadable_paths). legacy_alter_table keeps
// the rename from re-checking the views that read host_results while it is missing; they name
// the table, so they read the new one. The CHECK is an OR chain (see schema_v3.cpp: an IN list
// costs the writer two temporary b-trees per row).
constexpr std::string_view host_statuses_v4 = R"sql(status = 'ok' OR status = 'partial' OR
                         status = 'unreachable' OR status = 'timeout' OR
                         status = 'hostkey-mismatch' OR status = 'auth-failed' OR
                         status = 'permission-denied' OR status = 'protocol-error' OR
                         status = 'bastion-unreachable' OR status = 'bastion-hostkey' OR
                         status = 'bastion-auth' OR status = 'forwarding-refused' OR
                         status = 'target-open-timeout')sql";

// Version 3 added it to the old table (ALTER TABLE puts it after jobs too).
constexpr std::string_view inspection_note_column = ",\n  inspection_note      BLOB";

} // namespace

std::string_view schema_v4_sql() {
  static const std::string sql = rebuild_table_sql({
      .table = "host_results",
      .scratch = "host_results_v4",
      .table_template = host_results_template,
      .rule = check(host_statuses_v4),
      .more_columns = inspection_note_column,
      .indexes = host_results_indexes,
      .views_read_it = true,
  });
  return sql;
}

} // namespace digger::catalog
