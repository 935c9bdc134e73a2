#include "schema.hpp"

#include <fmt/format.h>

#include <array>

#include "schema_steps.hpp"

namespace digger::catalog {

namespace {

// Version 1: the first release. Frozen: tests/unit/catalog_migration_test.cpp holds a copy made
// by hand, as an older digger-scan would have written it.
constexpr std::string_view schema_v1 = R"sql(
CREATE TABLE scans (
  id             INTEGER PRIMARY KEY,
  started_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  finished_at    TEXT,
  inventory_path TEXT    NOT NULL,
  options_json   TEXT    NOT NULL DEFAULT '{}',
  status         TEXT    NOT NULL DEFAULT 'running'
                 CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
  pid            INTEGER NOT NULL DEFAULT 0,
  hosts_planned  INTEGER NOT NULL DEFAULT 0,
  hosts_recorded INTEGER NOT NULL DEFAULT 0,
  hosts_ok       INTEGER NOT NULL DEFAULT 0,
  hosts_failed   INTEGER NOT NULL DEFAULT 0,
  jobs           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX scans_by_status ON scans (status, id);

CREATE TABLE hosts (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL,
  port        INTEGER NOT NULL DEFAULT 22,
  labels_json TEXT    NOT NULL DEFAULT '{}',
  UNIQUE (name, port)
);

CREATE TABLE host_results (
  id                   INTEGER PRIMARY KEY,
  scan_id              INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  host_id              INTEGER NOT NULL REFERENCES hosts (id),
  recorded_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  status               TEXT    NOT NULL CHECK (status IN ('ok', 'partial', 'unreachable',
                         'timeout', 'hostkey-mismatch', 'auth-failed', 'permission-denied',
                         'protocol-error')),
  reason               TEXT,
  address              TEXT,
  login_user           TEXT,
  attempts             INTEGER NOT NULL DEFAULT 1,
  connect_ms           INTEGER NOT NULL DEFAULT 0,
  handshake_ms         INTEGER NOT NULL DEFAULT 0,
  auth_ms              INTEGER NOT NULL DEFAULT 0,
  command_ms           INTEGER NOT NULL DEFAULT 0,
  total_ms             INTEGER NOT NULL DEFAULT 0,
  hostname             BLOB,
  os_id                BLOB,
  os_version           BLOB,
  timezone             BLOB,
  cron_daemon          BLOB,
  host_key_type        TEXT,
  host_key_fingerprint TEXT,
  stderr_excerpt       BLOB,
  output_truncated     INTEGER NOT NULL DEFAULT 0 CHECK (output_truncated IN (0, 1)),
  jobs                 INTEGER NOT NULL DEFAULT 0,
  UNIQUE (scan_id, host_id)
);
CREATE INDEX host_results_by_host ON host_results (host_id, scan_id);

CREATE TABLE unreadable_paths (
  host_result_id INTEGER NOT NULL REFERENCES host_results (id) ON DELETE CASCADE,
  path           BLOB    NOT NULL
);
CREATE INDEX unreadable_paths_by_result ON unreadable_paths (host_result_id);

CREATE TABLE cron_sources (
  id                 INTEGER PRIMARY KEY,
  host_result_id     INTEGER NOT NULL REFERENCES host_results (id) ON DELETE CASCADE,
  path               BLOB    NOT NULL,
  kind               TEXT    NOT NULL CHECK (kind IN ('user', 'system', 'cron.d')),
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
  read_error         BLOB
);
CREATE INDEX cron_sources_by_result ON cron_sources (host_result_id);

CREATE TABLE entries (
  id                  INTEGER PRIMARY KEY,
  source_id           INTEGER NOT NULL REFERENCES cron_sources (id) ON DELETE CASCADE,
  line_number         INTEGER NOT NULL,
  kind                TEXT    NOT NULL CHECK (kind IN ('job', 'env', 'disabled-job', 'comment',
                                                       'blank', 'invalid')),
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
  cron_tz             BLOB
);
CREATE INDEX entries_by_source ON entries (source_id, line_number);

-- The newest scan worth reporting on: complete, or interrupted with partial results.
CREATE VIEW latest_scan AS
  SELECT * FROM scans WHERE status IN ('complete', 'interrupted') ORDER BY id DESC LIMIT 1;

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
         e.id                  AS entry_id
    FROM host_results r
    JOIN hosts h        ON h.id = r.host_id
    JOIN cron_sources s ON s.host_result_id = r.id
    JOIN entries e      ON e.source_id = s.id
   WHERE e.kind = 'job';

CREATE VIEW jobs AS
  SELECT * FROM all_jobs WHERE scan_id = (SELECT id FROM latest_scan);

CREATE VIEW jobs_by_language AS
  SELECT COALESCE(language, 'unknown') AS language,
         COUNT(*)                      AS jobs,
         COUNT(DISTINCT host_id)       AS hosts,
         COUNT(DISTINCT owner)         AS owners
    FROM jobs GROUP BY 1 ORDER BY jobs DESC, language;

CREATE VIEW jobs_by_owner AS
  SELECT owner,
         COUNT(*)                AS jobs,
         COUNT(DISTINCT host_id) AS hosts,
         group_concat(DISTINCT COALESCE(language, 'unknown')) AS languages
    FROM jobs GROUP BY owner ORDER BY jobs DESC, owner;

CREATE VIEW failed_hosts AS
  SELECT h.name AS host, h.port AS port, r.status AS status, r.reason AS reason,
         r.attempts AS attempts, r.total_ms AS total_ms, r.scan_id AS scan_id
    FROM host_results r JOIN hosts h ON h.id = r.host_id
   WHERE r.scan_id = (SELECT id FROM latest_scan) AND r.status NOT IN ('ok', 'partial')
   ORDER BY r.status, h.name, h.port;
)sql";

// Version 2: which digger-scan wrote each scan, and fleet-wide duplicates (same job on many
// hosts), which the fingerprint index makes cheap.
constexpr std::string_view schema_v2 = R"sql(
ALTER TABLE scans ADD COLUMN digger_version TEXT NOT NULL DEFAULT '';
CREATE INDEX entries_by_fingerprint ON entries (fingerprint) WHERE fingerprint IS NOT NULL;
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

const std::array<Migration, 9> all_migrations{{
    {1, "first release: scans, hosts, host_results, cron_sources, entries, report views",
     schema_v1},
    {2, "scans.digger_version, entries_by_fingerprint index, duplicate_jobs view", schema_v2},
    {3,
     "hidden batches: more source kinds, sources.package, entry verdicts and flags, programs, "
     "hosts' inspection_note, hidden_jobs view",
     schema_v3_sql(), /*rebuilds_tables=*/true},
    {4,
     "bastion statuses (bastion-unreachable, bastion-hostkey, bastion-auth, forwarding-refused, "
     "target-open-timeout): host_results rebuilt",
     schema_v4_sql(), /*rebuilds_tables=*/true},
    {5, "source kinds in the source_kinds lookup table (no CHECK): cron_sources rebuilt",
     schema_v5_sql(), /*rebuilds_tables=*/true},
    {6, "run evidence: entry_runs, run_evidence and log_cursors tables", schema_v6_sql()},
    {7, "workers: the 'worker' entry kind (entries rebuilt), worker_facts, workers views",
     schema_v7_sql(), /*rebuilds_tables=*/true},
    {8, "run evidence: entry_runs.mails, last_mail and output_mtime", schema_v8_sql()},
    {9,
     "workers' crash history from supervisord's log: worker_facts.unexpected_exits, gave_up, "
     "last_exit, gave_up_at; worker views recreated",
     schema_v9_sql()},
}};

// Turns foreign key enforcement off for one migration step and back to what it was after.
class ForeignKeysOff {
public:
  ForeignKeysOff(Database& db, bool wanted) : db_(db) {
    if (wanted) {
      restore_ = db_.query_int("PRAGMA foreign_keys");
      db_.exec("PRAGMA foreign_keys = OFF");
    }
  }
  ~ForeignKeysOff() {
    if (restore_ == 1) {
      try {
        db_.exec("PRAGMA foreign_keys = ON");
      } catch (...) {
        // A connection that cannot run a pragma is about to fail loudly anyway.
      }
    }
  }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

private:
  Database& db_;
  std::int64_t restore_ = -1;
};

} // namespace

std::span<const Migration> migrations() {
  return all_migrations;
}

int latest_schema_version() {
  return all_migrations.back().version;
}

void check_schema_compatible(const std::string& path, std::int64_t version, std::int64_t app_id,
                             bool has_tables) {
  if (version == 0 && has_tables) {
    throw CatalogError(
        fmt::format("{}: is a SQLite database but not a Digger catalog (no schema version)", path));
  }
  if (version != 0 && app_id != application_id) {
    throw CatalogError(fmt::format(
        "{}: is a SQLite database but not a Digger catalog (application_id {})", path, app_id));
  }
  if (version > latest_schema_version()) {
    throw CatalogError(
        fmt::format("{}: catalog schema version {} is newer than this digger-scan supports ({}); "
                    "use a newer digger-scan",
                    path, version, latest_schema_version()));
  }
}

void migrate(Database& db) {
  if (db.query_int("PRAGMA user_version") == latest_schema_version() &&
      db.query_int("PRAGMA application_id") == application_id) {
    return; // the usual case: no write lock needed
  }
  for (const Migration& step : migrations()) {
    // Outside the transaction: SQLite ignores this pragma inside one.
    ForeignKeysOff keys_off(db, step.rebuilds_tables);
    Transaction transaction(db);
    // Read inside the write transaction: another process may have migrated meanwhile.
    std::int64_t version = db.query_int("PRAGMA user_version");
    bool has_tables = db.query_int("SELECT COUNT(*) FROM sqlite_schema") > 0;
    check_schema_compatible(db.path(), version, db.query_int("PRAGMA application_id"), has_tables);
    if (version >= step.version) {
      continue;
    }
    if (version != step.version - 1) {
      throw CatalogError(
          fmt::format("{}: catalog schema version {} has no upgrade path", db.path(), version));
    }
    db.exec(step.sql);
    if (step.rebuilds_tables &&
        db.query_int("SELECT COUNT(*) FROM pragma_foreign_key_check") != 0) {
      throw CatalogError(fmt::format("{}: upgrading the catalog to version {} would break its "
                                     "references; it was left at version {}",
                                     db.path(), step.version, version));
    }
    db.exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {}", application_id,
                        step.version));
    transaction.commit();
  }
}

} // namespace digger::catalog
