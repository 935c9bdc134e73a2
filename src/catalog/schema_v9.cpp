#include "schema_steps.hpp"

namespace digger::catalog {

namespace {

// Version 9: what supervisord's own log says about each worker (issue 18, docs/workers.md
// "Crash loops"): unexpected exits in the window the log's tail covers, how often it gave up
// (FATAL) and when. unexpected_exits is NULL when no log was read (unknown, not zero); times
// are the log's own text (host local time). The worker views are recreated with them.
constexpr std::string_view schema_v9 = R"sql(
ALTER TABLE worker_facts ADD COLUMN unexpected_exits INTEGER;
ALTER TABLE worker_facts ADD COLUMN gave_up INTEGER NOT NULL DEFAULT 0;
ALTER TABLE worker_facts ADD COLUMN last_exit TEXT;
ALTER TABLE worker_facts ADD COLUMN gave_up_at TEXT;

DROP VIEW workers;
DROP VIEW all_workers;
CREATE VIEW all_workers AS
  SELECT r.scan_id                   AS scan_id,
         h.id                        AS host_id,
         h.name                      AS host,
         h.port                      AS port,
         w.manager                   AS manager,
         w.name                      AS name,
         w.group_name                AS group_name,
         COALESCE(e.run_as, s.owner) AS owner,
         e.command                   AS command,
         e.language                  AS language,
         e.evidence                  AS evidence,
         e.target                    AS target,
         w.instances                 AS instances,
         w.autostart                 AS autostart,
         w.restart                   AS restart,
         w.directory                 AS directory,
         w.environment               AS environment,
         w.rejected                  AS rejected,
         s.path                      AS file,
         e.line_number               AS line,
         e.fingerprint               AS fingerprint,
         e.verdict                   AS verdict,
         e.flags                     AS flags,
         e.id                        AS entry_id,
         w.unexpected_exits          AS unexpected_exits,
         w.gave_up                   AS gave_up,
         w.last_exit                 AS last_exit,
         w.gave_up_at                AS gave_up_at
    FROM host_results r
    JOIN hosts h          ON h.id = r.host_id
    JOIN cron_sources s   ON s.host_result_id = r.id
    JOIN entries e        ON e.source_id = s.id
    JOIN worker_facts w   ON w.entry_id = e.id
   WHERE e.kind = 'worker';

CREATE VIEW workers AS
  SELECT * FROM all_workers WHERE scan_id = (SELECT id FROM latest_scan);
)sql";

} // namespace

std::string_view schema_v9_sql() {
  return schema_v9;
}

} // namespace digger::catalog
