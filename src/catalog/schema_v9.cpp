#include "schema_steps.hpp"
#include "schema_tables.hpp"

namespace digger::catalog {

namespace {

// Version 9: what supervisord's own log says about each worker (issue 18, docs/workers.md
// "Crash loops"): unexpected exits in the window the log's tail covers, how often it gave up
// (FATAL) and when. unexpected_exits is NULL when no log was read (unknown, not zero); times
// are the log's own text (host local time). The worker views are recreated with them.
constexpr std::string_view crash_history_columns = R"sql(
ALTER TABLE worker_facts ADD COLUMN unexpected_exits INTEGER;
ALTER TABLE worker_facts ADD COLUMN gave_up INTEGER NOT NULL DEFAULT 0;
ALTER TABLE worker_facts ADD COLUMN last_exit TEXT;
ALTER TABLE worker_facts ADD COLUMN gave_up_at TEXT;
DROP VIEW workers;
DROP VIEW all_workers;
)sql";

constexpr std::string_view all_workers_v9_columns = R"sql(,
         w.unexpected_exits          AS unexpected_exits,
         w.gave_up                   AS gave_up,
         w.last_exit                 AS last_exit,
         w.gave_up_at                AS gave_up_at)sql";

} // namespace

std::string_view schema_v9_sql() {
  static const std::string sql = join_statements({
      crash_history_columns,
      all_workers_view(all_workers_v9_columns),
      workers_view,
  });
  return sql;
}

} // namespace digger::catalog
