#include "schema_steps.hpp"

namespace digger::catalog {

namespace {

// Version 7: workers (issue 18), the long-running programs Supervisor or systemd keep alive
// (queue workers). A worker is an entry of kind 'worker' in its source file (so it has the
// command analysis, verdict and flags every job has, and stays out of the jobs views), plus one
// worker_facts row for what only a process manager says: instances, restart policy, environment
// names. entries is rebuilt for its kind CHECK (migrate() turns foreign keys off around this
// step; legacy_alter_table keeps the views reading the renamed table, as in schema_v5.cpp).
constexpr std::string_view schema_v7 = R"sql(
PRAGMA legacy_alter_table = ON;
CREATE TABLE entries_v7 (
  id                  INTEGER PRIMARY KEY,
  source_id           INTEGER NOT NULL REFERENCES cron_sources (id) ON DELETE CASCADE,
  line_number         INTEGER NOT NULL,
  kind                TEXT    NOT NULL CHECK (kind = 'job' OR kind = 'env' OR
                                              kind = 'disabled-job' OR kind = 'comment' OR
                                              kind = 'blank' OR kind = 'invalid' OR
                                              kind = 'worker'),
  raw                 BLOB    NOT NULL,
  schedule_text       BLOB,
  macro               TEXT,
  normalized_schedule TEXT,
  command             BLOB,
  stdin               BLOB,
  run_as              BLOB,
  language            TEXT,
  evidence            BLOB,
  target              BLOB,
  description         BLOB,
  fingerprint         TEXT,
  error               BLOB,
  cron_tz             BLOB,
  verdict             TEXT    CHECK (verdict = '' OR verdict = 'managed' OR verdict = 'hidden' OR
                                     verdict = 'migrated'),
  managed_by          BLOB,
  verdict_reasons     BLOB,
  flags               TEXT,
  schedule_origin     BLOB
);
INSERT INTO entries_v7 SELECT * FROM entries;
DROP TABLE entries;
ALTER TABLE entries_v7 RENAME TO entries;
CREATE INDEX entries_by_source ON entries (source_id, line_number);
CREATE INDEX entries_by_fingerprint ON entries (fingerprint) WHERE fingerprint IS NOT NULL;
PRAGMA legacy_alter_table = OFF;

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
         e.id                        AS entry_id
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

std::string_view schema_v7_sql() {
  return schema_v7;
}

} // namespace digger::catalog
