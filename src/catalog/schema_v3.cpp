#include "schema_steps.hpp"

namespace digger::catalog {

namespace {

// Version 3: hidden batches (issue 8). More kinds of source (anacrontab, run-parts scripts,
// systemd timers and their services), the package a source belongs to, each job's verdict and
// flags, and the programs behind the jobs. SQLite cannot change a CHECK constraint in place, so
// cron_sources and entries are rebuilt (migrate() turns foreign keys off around this step:
// dropping the old tables would otherwise cascade). Their CHECKs are written as OR chains: an
// IN list of more than two values makes SQLite build two temporary b-trees for every row
// inserted, which cost the writer more than any other part of an INSERT (issue 7). The views that
// read it are dropped first and made again with the new columns, appended at the end so `SELECT *`
// users keep their order.
constexpr std::string_view schema_v3 = R"sql(
DROP VIEW duplicate_jobs;
DROP VIEW failed_hosts;
DROP VIEW jobs_by_owner;
DROP VIEW jobs_by_language;
DROP VIEW jobs;
DROP VIEW all_jobs;

CREATE TABLE cron_sources_v3 (
  id                 INTEGER PRIMARY KEY,
  host_result_id     INTEGER NOT NULL REFERENCES host_results (id) ON DELETE CASCADE,
  path               BLOB    NOT NULL,
  kind               TEXT    NOT NULL CHECK (kind = 'user' OR kind = 'system' OR
                                             kind = 'cron.d' OR kind = 'anacrontab' OR
                                             kind = 'run-parts' OR kind = 'timer' OR
                                             kind = 'service'),
  owner              BLOB,
  mode               INTEGER NOT NULL DEFAULT 0,
  mtime              INTEGER NOT NULL DEFAULT 0,
  size               INTEGER NOT NULL DEFAULT 0,
  sha256             TEXT,
  truncated          INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
  loaded_by_daemon   INTEGER NOT NULL DEFAULT 1 CHECK (loaded_by_daemon IN (0, 1)),
  not_loaded_reason  BLOB,
  loads_under_cronie INTEGER NOT NULL DEFAULT 1 CHECK (loads_under_cronie IN (0, 1)),
  loads_under_vixie  INTEGER NOT NULL DEFAULT 1 CHECK (loads_under_vixie IN (0, 1)),
  load_notes         BLOB,
  read_error         BLOB,
  package            BLOB
);
INSERT INTO cron_sources_v3 (id, host_result_id, path, kind, owner, mode, mtime, size, sha256,
                             truncated, loaded_by_daemon, not_loaded_reason, loads_under_cronie,
                             loads_under_vixie, load_notes, read_error)
  SELECT id, host_result_id, path, kind, owner, mode, mtime, size, sha256, truncated,
         loaded_by_daemon, not_loaded_reason, loads_under_cronie, loads_under_vixie, load_notes,
         read_error
    FROM cron_sources;
DROP TABLE cron_sources;
ALTER TABLE cron_sources_v3 RENAME TO cron_sources;
CREATE INDEX cron_sources_by_result ON cron_sources (host_result_id);

CREATE TABLE entries_v3 (
  id                  INTEGER PRIMARY KEY,
  source_id           INTEGER NOT NULL REFERENCES cron_sources (id) ON DELETE CASCADE,
  line_number         INTEGER NOT NULL,
  kind                TEXT    NOT NULL CHECK (kind = 'job' OR kind = 'env' OR
                                              kind = 'disabled-job' OR kind = 'comment' OR
                                              kind = 'blank' OR kind = 'invalid'),
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
INSERT INTO entries_v3 (id, source_id, line_number, kind, raw, schedule_text, macro,
                        normalized_schedule, command, stdin, run_as, language, evidence, target,
                        description, fingerprint, error, cron_tz)
  SELECT id, source_id, line_number, kind, raw, schedule_text, macro, normalized_schedule,
         command, stdin, run_as, language, evidence, target, description, fingerprint, error,
         cron_tz
    FROM entries;
DROP TABLE entries;
ALTER TABLE entries_v3 RENAME TO entries;
CREATE INDEX entries_by_source ON entries (source_id, line_number);
CREATE INDEX entries_by_fingerprint ON entries (fingerprint) WHERE fingerprint IS NOT NULL;

ALTER TABLE host_results ADD COLUMN inspection_note BLOB;

CREATE TABLE programs (
  host_result_id INTEGER NOT NULL REFERENCES host_results (id) ON DELETE CASCADE,
  path           BLOB    NOT NULL,
  file_exists    INTEGER NOT NULL DEFAULT 0 CHECK (file_exists IN (0, 1)),
  type           TEXT,
  resolved_path  BLOB,
  size           INTEGER NOT NULL DEFAULT -1,
  mode           INTEGER NOT NULL DEFAULT 0,
  uid            INTEGER NOT NULL DEFAULT -1,
  gid            INTEGER NOT NULL DEFAULT -1,
  mtime          INTEGER NOT NULL DEFAULT 0,
  owner          BLOB,
  sha256         TEXT,
  head           BLOB,
  elf            INTEGER NOT NULL DEFAULT 0 CHECK (elf IN (0, 1)),
  go_version     TEXT,
  go_module      BLOB,
  dir_mode       INTEGER NOT NULL DEFAULT 0,
  dir_uid        INTEGER NOT NULL DEFAULT -1,
  dir_gid        INTEGER NOT NULL DEFAULT -1,
  error          BLOB
);
CREATE INDEX programs_by_result ON programs (host_result_id, path);

CREATE VIEW all_jobs AS
  SELECT r.scan_id             AS scan_id,
         h.id                  AS host_id,
         h.name                AS host,
         h.port                AS port,
         COALESCE(e.run_as, s.owner) AS owner,
         e.schedule_text       AS schedule,
         e.normalized_schedule AS normalized_schedule,
         e.command             AS command,
         e.language            AS language,
         e.target              AS target,
         s.path                AS file,
         e.line_number         AS line,
         s.kind                AS source_kind,
         e.cron_tz             AS cron_tz,
         e.description         AS description,
         e.fingerprint         AS fingerprint,
         s.loaded_by_daemon    AS loaded_by_daemon,
         e.id                  AS entry_id,
         e.verdict             AS verdict,
         e.managed_by          AS managed_by,
         e.verdict_reasons     AS verdict_reasons,
         e.flags               AS flags,
         e.schedule_origin     AS schedule_origin,
         s.package             AS package,
         e.evidence            AS evidence,
         p.file_exists         AS target_exists,
         p.go_version          AS go_version
    FROM host_results r
    JOIN hosts h        ON h.id = r.host_id
    JOIN cron_sources s ON s.host_result_id = r.id
    JOIN entries e      ON e.source_id = s.id
    LEFT JOIN programs p ON p.host_result_id = r.id AND p.path = e.target
   WHERE e.kind = 'job';

CREATE VIEW jobs AS
  SELECT * FROM all_jobs WHERE scan_id = (SELECT id FROM latest_scan);

CREATE VIEW hidden_jobs AS
  SELECT * FROM jobs WHERE verdict = 'hidden';

CREATE VIEW jobs_by_language AS
  SELECT COALESCE(language, 'unknown') AS language,
         COUNT(*)                      AS jobs,
         COUNT(DISTINCT host_id)       AS hosts,
         COUNT(DISTINCT owner)         AS owners,
         COUNT(*) FILTER (WHERE verdict = 'hidden') AS hidden
    FROM jobs GROUP BY 1 ORDER BY jobs DESC, language;

CREATE VIEW jobs_by_owner AS
  SELECT owner,
         COUNT(*)                AS jobs,
         COUNT(DISTINCT host_id) AS hosts,
         group_concat(DISTINCT COALESCE(language, 'unknown')) AS languages,
         COUNT(*) FILTER (WHERE verdict = 'hidden') AS hidden
    FROM jobs GROUP BY owner ORDER BY jobs DESC, owner;

CREATE VIEW failed_hosts AS
  SELECT h.name AS host, h.port AS port, r.status AS status, r.reason AS reason,
         r.attempts AS attempts, r.total_ms AS total_ms, r.scan_id AS scan_id
    FROM host_results r JOIN hosts h ON h.id = r.host_id
   WHERE r.scan_id = (SELECT id FROM latest_scan) AND r.status NOT IN ('ok', 'partial')
   ORDER BY r.status, h.name, h.port;

CREATE VIEW duplicate_jobs AS
  SELECT fingerprint,
         COUNT(DISTINCT host_id)   AS hosts,
         COUNT(*)                  AS jobs,
         MIN(schedule)             AS schedule,
         MIN(command)              AS command,
         group_concat(DISTINCT host) AS host_names
    FROM jobs WHERE fingerprint IS NOT NULL
   GROUP BY fingerprint HAVING COUNT(DISTINCT host_id) > 1
   ORDER BY hosts DESC, fingerprint;
)sql";

} // namespace

std::string_view schema_v3_sql() {
  return schema_v3;
}

} // namespace digger::catalog
