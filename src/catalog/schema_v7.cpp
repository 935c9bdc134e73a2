#include "schema_steps.hpp"
#include "schema_tables.hpp"

namespace digger::catalog {

namespace {

// Version 7: workers (issue 18), the long-running programs Supervisor or systemd keep alive
// (queue workers). A worker is an entry of kind 'worker' in its source file (so it has the
// command analysis, verdict and flags every job has, and stays out of the jobs views), plus one
// worker_facts row for what only a process manager says: instances, restart policy, environment
// names. entries is rebuilt for its kind CHECK (migrate() turns foreign keys off around this
// step; legacy_alter_table keeps the views reading the renamed table, as in schema_v5.cpp).
constexpr std::string_view worker_facts_table = R"sql(
CREATE TABLE worker_facts (
  entry_id      INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
  manager       TEXT    NOT NULL,
  name          BLOB    NOT NULL,
  group_name    BLOB,
  instances     INTEGER NOT NULL DEFAULT 1,
  process_names BLOB,
  autostart     INTEGER NOT NULL DEFAULT 1 CHECK (autostart IN (0, 1)),
  restart       TEXT,
  directory     BLOB,
  environment   BLOB,
  unresolved    BLOB,
  rejected      BLOB
);
)sql";

std::string entry_kinds_v7() {
  return std::string(entry_kinds_v3) +
         " OR\n                                              kind = 'worker'";
}

} // namespace

std::string_view schema_v7_sql() {
  static const std::string sql = join_statements({
      rebuild_table_sql({
          .table = "entries",
          .scratch = "entries_v7",
          .table_template = entries_template,
          .rule = check(entry_kinds_v7()),
          .more_columns = entries_verdict_columns,
          .indexes = entries_indexes(),
          .views_read_it = true,
      }),
      worker_facts_table,
      all_workers_view(""),
      workers_view,
  });
  return sql;
}

} // namespace digger::catalog
