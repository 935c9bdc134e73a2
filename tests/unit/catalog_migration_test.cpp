#include "digger/catalog/catalog.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "catalog_access.hpp"
#include "catalog_test_support.hpp"
#include "schema.hpp"

using namespace digger::catalog;
using digger::catalog::test::TempDir;

namespace {

// The version 1 schema exactly as the first release wrote it. Written out here by hand, not
// taken from the migration list, so that editing a released step breaks this test.
constexpr const char* schema_v1_as_released = R"sql(
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

// Step 2 exactly as released, for the same reason.
constexpr const char* schema_v2_step_as_released = R"sql(
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

// A version 2 catalog: two scans of two hosts, sources of every v2 kind, jobs, comments and
// an unreadable path, with ids that are not 1..N (rows were deleted), as a real one would have.
void write_v2_catalog(const std::string& path) {
  Database db(path, Database::Access::read_write_create);
  db.exec(schema_v1_as_released);
  db.exec(schema_v2_step_as_released);
  db.exec(R"sql(
    PRAGMA application_id = 1145653074;
    PRAGMA user_version = 2;
    INSERT INTO scans (id, started_at, finished_at, inventory_path, status, hosts_recorded,
                       hosts_ok, jobs, digger_version)
      VALUES (3, '2026-01-02T03:04:05Z', '2026-01-02T03:05:00Z', 'fleet', 'complete', 2, 2, 3,
              '0.1.0'),
             (7, '2026-01-09T03:04:05Z', '2026-01-09T03:05:00Z', 'fleet', 'complete', 2, 1, 2,
              '0.1.0');
    INSERT INTO hosts (id, name, port, labels_json)
      VALUES (4, 'web1', 22, '{"env":"prod"}'), (9, 'db1', 2222, '{}');
    INSERT INTO host_results (id, scan_id, host_id, status, reason, jobs)
      VALUES (10, 3, 4, 'ok', NULL, 2), (11, 3, 9, 'partial', '1 unreadable', 1),
             (20, 7, 4, 'ok', NULL, 2), (21, 7, 9, 'timeout', 'no answer in 30 s', 0);
    INSERT INTO unreadable_paths (host_result_id, path) VALUES (11, '/var/spool/cron/crontabs');
    INSERT INTO cron_sources (id, host_result_id, path, kind, owner, mode, load_notes)
      VALUES (100, 10, '/var/spool/cron/crontabs/alice', 'user', 'alice', 384, NULL),
             (101, 10, '/etc/crontab', 'system', 'root', 420, 'note one' || char(10) || 'two'),
             (105, 11, X'2F6574632F63726F6E2E642FFF', 'cron.d', 'root', 420, NULL),
             (200, 20, '/var/spool/cron/crontabs/alice', 'user', 'alice', 384, NULL);
    INSERT INTO entries (id, source_id, line_number, kind, raw, command, language, fingerprint)
      VALUES (1000, 100, 1, 'comment', '# backups', NULL, NULL, NULL),
             (1001, 100, 2, 'job', '@daily backup.sh', 'backup.sh', 'shell', 'fp-b'),
             (1002, 101, 5, 'job', '17 * * * * root cd / && run-parts /etc/cron.hourly',
              'cd / && run-parts /etc/cron.hourly', 'shell', 'fp-h'),
             (1010, 105, 1, 'job', '* * * * * root /bin/true', '/bin/true', 'binary', 'fp-t'),
             (2000, 200, 2, 'job', '@daily backup.sh', 'backup.sh', 'shell', 'fp-b'),
             (2001, 200, 3, 'disabled-job', '#@hourly old.sh', 'old.sh', 'shell', 'fp-o');
  )sql");
}

// Every row of a table, columns joined with '|', in rowid order: the data before and after.
std::vector<std::string> table_rows(Database& db, const std::string& table) {
  Statement query = db.prepare("SELECT * FROM " + table + " ORDER BY rowid");
  std::vector<std::string> rows;
  while (query.step()) {
    std::string row;
    for (int column = 0; column < query.column_count(); ++column) {
      row += (column > 0 ? "|" : "") + query.column_bytes(column);
    }
    rows.push_back(row);
  }
  return rows;
}

// A version 1 catalog holding one complete scan of one host with two jobs, one with a path
// that is not UTF-8.
void write_v1_catalog(const std::string& path) {
  Database db(path, Database::Access::read_write_create);
  db.exec(schema_v1_as_released);
  db.exec(R"sql(
    PRAGMA application_id = 1145653074;
    PRAGMA user_version = 1;
    INSERT INTO scans (id, started_at, finished_at, inventory_path, status, pid, hosts_planned,
                       hosts_recorded, hosts_ok, jobs)
      VALUES (1, '2026-01-02T03:04:05Z', '2026-01-02T03:05:00Z', 'fleet.toml', 'complete', 42,
              1, 1, 1, 2);
    INSERT INTO hosts (id, name, port) VALUES (1, 'web1', 22);
    INSERT INTO host_results (id, scan_id, host_id, status, jobs) VALUES (1, 1, 1, 'ok', 2);
    INSERT INTO cron_sources (id, host_result_id, path, kind, owner)
      VALUES (1, 1, X'2F7661722F7370FF6F6C', 'user', 'alice');
    INSERT INTO entries (source_id, line_number, kind, raw, command, language, fingerprint)
      VALUES (1, 1, 'job', '* * * * * /bin/true', '/bin/true', 'binary', 'fp1'),
             (1, 2, 'job', '@daily backup.sh', 'backup.sh', 'shell', 'fp2');
  )sql");
}

} // namespace

TEST_CASE("a new catalog is created at the latest version with WAL and foreign keys",
          "[catalog][schema]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("new.db"));
  Database& db = internal::database(catalog);
  CHECK(catalog.schema_version() == latest_schema_version());
  CHECK(latest_schema_version() == 9);
  CHECK(db.query_int("PRAGMA application_id") == application_id);
  CHECK(db.query_int("PRAGMA foreign_keys") == 1);
  Statement journal = db.prepare("PRAGMA journal_mode");
  REQUIRE(journal.step());
  CHECK(journal.column_text(0) == "wal");
  for (const char* table : {"scans", "hosts", "host_results", "unreadable_paths", "cron_sources",
                            "entries", "programs"}) {
    Statement count = db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' "
                                 "AND name = ?1");
    count.bind(1, table);
    REQUIRE(count.step());
    CHECK(count.column_int(0) == 1);
  }
  for (const char* view : {"jobs", "jobs_by_language", "jobs_by_owner", "failed_hosts",
                           "duplicate_jobs", "latest_scan", "all_jobs", "hidden_jobs"}) {
    Statement count = db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'view' "
                                 "AND name = ?1");
    count.bind(1, view);
    REQUIRE(count.step());
    CHECK(count.column_int(0) == 1);
  }
}

TEST_CASE("migrations are numbered 1..N in order", "[catalog][schema]") {
  int expected = 1;
  for (const Migration& step : migrations()) {
    CHECK(step.version == expected++);
    CHECK_FALSE(step.sql.empty());
  }
}

TEST_CASE("a version 1 catalog is migrated with its data intact", "[catalog][schema]") {
  TempDir dir;
  std::string path = dir.file("v1.db");
  write_v1_catalog(path);

  Catalog catalog = Catalog::open(path);
  CHECK(catalog.schema_version() == latest_schema_version());
  Database& db = internal::database(catalog);

  std::vector<ScanSummary> scans = catalog.scans();
  REQUIRE(scans.size() == 1);
  CHECK(scans[0].status == ScanStatus::complete);
  CHECK(scans[0].started_at == "2026-01-02T03:04:05Z");
  CHECK(scans[0].digger_version.empty()); // the column version 2 added, at its default
  CHECK(scans[0].jobs == 2);

  Statement jobs = db.prepare("SELECT host, owner, command, file FROM jobs ORDER BY line");
  REQUIRE(jobs.step());
  CHECK(jobs.column_text(0) == "web1");
  CHECK(jobs.column_bytes(1) == "alice");
  CHECK(jobs.column_bytes(2) == "/bin/true");
  CHECK(jobs.column_bytes(3) == "/var/sp\xffol");
  REQUIRE(jobs.step());
  CHECK(jobs.column_bytes(2) == "backup.sh");
  CHECK_FALSE(jobs.step());

  CHECK(db.query_int("SELECT COUNT(*) FROM sqlite_schema WHERE name = "
                     "'entries_by_fingerprint'") == 1);
  CHECK(db.query_int("SELECT COUNT(*) FROM duplicate_jobs") == 0);
}

TEST_CASE("a catalog newer than the program is refused untouched", "[catalog][schema]") {
  TempDir dir;
  std::string path = dir.file("future.db");
  {
    Database db(path, Database::Access::read_write_create);
    db.exec("CREATE TABLE scans (id INTEGER PRIMARY KEY); PRAGMA application_id = 1145653074; "
            "PRAGMA user_version = 99");
  }
  std::string before = test::read_file_bytes(path);
  CHECK_THROWS_WITH(Catalog::open(path), Catch::Contains("version 99 is newer"));
  CHECK_THROWS_WITH(Catalog::open(path, Mode::read_only), Catch::Contains("version 99"));
  CHECK(test::read_file_bytes(path) == before);
}

TEST_CASE("read-only access refuses a catalog that needs migrating", "[catalog][schema]") {
  TempDir dir;
  std::string path = dir.file("v1.db");
  write_v1_catalog(path);
  std::string before = test::read_file_bytes(path);
  CHECK_THROWS_WITH(Catalog::open(path, Mode::read_only), Catch::Contains("version 1"));
  CHECK(test::read_file_bytes(path) == before);
}

TEST_CASE("a version 2 catalog is migrated to the latest version keeping every row",
          "[catalog][schema]") {
  TempDir dir;
  std::string path = dir.file("v2.db");
  write_v2_catalog(path);
  std::map<std::string, std::vector<std::string>> before;
  const std::vector<std::string> tables{"scans", "hosts", "host_results", "unreadable_paths",
                                        "entries"};
  {
    Database db(path, Database::Access::read_write_create);
    for (const auto& table : tables) {
      before[table] = table_rows(db, table);
    }
    before["cron_sources"] = table_rows(db, "cron_sources");
  }

  Catalog catalog = Catalog::open(path);
  CHECK(catalog.schema_version() == latest_schema_version());
  Database& db = internal::database(catalog);
  // Columns are appended, so each old row is the new row's prefix, the new columns NULL.
  for (const auto& table : tables) {
    std::vector<std::string> after = table_rows(db, table);
    REQUIRE(after.size() == before[table].size());
    for (std::size_t i = 0; i < after.size(); ++i) {
      CHECK(after[i].starts_with(before[table][i]));
    }
  }
  CHECK(table_rows(db, "cron_sources").size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(table_rows(db, "cron_sources")[i] == before["cron_sources"][i] + "|"); // package NULL
  }
  CHECK(db.query_int("SELECT COUNT(*) FROM entries WHERE verdict IS NOT NULL OR flags IS NOT "
                     "NULL OR managed_by IS NOT NULL") == 0);
  CHECK(db.query_int("PRAGMA foreign_keys") == 1);
  CHECK(db.query_int("SELECT COUNT(*) FROM pragma_foreign_key_check") == 0);
  Statement integrity = db.prepare("PRAGMA integrity_check");
  REQUIRE(integrity.step());
  CHECK(integrity.column_text(0) == "ok");

  // The views read the migrated rows: the latest scan has web1's job, db1 failed.
  CHECK(db.query_int("SELECT COUNT(*) FROM jobs") == 1);
  CHECK(db.query_int("SELECT COUNT(*) FROM hidden_jobs") == 0);
  CHECK(db.query_int("SELECT COUNT(*) FROM failed_hosts") == 1);
  CHECK(db.query_int("SELECT hidden FROM jobs_by_language") == 0);
  Statement file = db.prepare("SELECT file FROM all_jobs WHERE entry_id = 1010");
  REQUIRE(file.step());
  CHECK(file.column_bytes(0) == "/etc/cron.d/\xff");

  // The rebuilt table still cascades into entries, and takes the new kinds.
  db.exec("DELETE FROM host_results WHERE id = 10");
  CHECK(db.query_int("SELECT COUNT(*) FROM entries WHERE id IN (1000, 1001, 1002)") == 0);
  CHECK(db.query_int("SELECT COUNT(*) FROM entries") == 3);
  db.exec("INSERT INTO cron_sources (host_result_id, path, kind) VALUES (20, '/x.timer', "
          "'timer')");
  CHECK_THROWS_AS(db.exec("INSERT INTO cron_sources (host_result_id, path, kind) VALUES (20, "
                          "'/x', 'launchd')"),
                  CatalogError);
  CHECK_THROWS_AS(db.exec("UPDATE entries SET verdict = 'maybe' WHERE id = 2000"), CatalogError);

  // Version 4: host_results takes the bastion statuses, still refuses others, and still
  // cascades into cron_sources.
  db.exec("UPDATE host_results SET status = 'bastion-auth' WHERE id = 20");
  CHECK(db.query_int("SELECT COUNT(*) FROM host_results WHERE status = 'bastion-auth'") == 1);
  CHECK_THROWS_AS(db.exec("UPDATE host_results SET status = 'gone' WHERE id = 20"), CatalogError);
  CHECK(db.query_int("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'host_results_by_host'") ==
        1);
  db.exec("DELETE FROM host_results WHERE id = 20");
  CHECK(db.query_int("SELECT COUNT(*) FROM cron_sources WHERE host_result_id = 20") == 0);
  CHECK(db.query_int("SELECT COUNT(*) FROM pragma_foreign_key_check") == 0);
}

TEST_CASE("a version 5 catalog is migrated to version 6 (run evidence) keeping every row",
          "[catalog][schema]") {
  TempDir dir;
  std::string path = dir.file("v5.db");
  std::map<std::string, std::vector<std::string>> before;
  const std::vector<std::string> tables{"scans",        "hosts",   "host_results",
                                        "cron_sources", "entries", "source_kinds"};
  {
    // Version 5 built from the released steps 1..5, with one job in it.
    Database db(path, Database::Access::read_write_create);
    db.exec("PRAGMA foreign_keys = OFF");
    for (const auto& step : migrations()) {
      if (step.version <= 5) {
        db.exec(std::string(step.sql));
      }
    }
    db.exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = 5", application_id));
    db.exec("INSERT INTO scans (id, inventory_path, status) VALUES (1, 'hosts', 'complete');"
            "INSERT INTO hosts (id, name) VALUES (1, 'web1');"
            "INSERT INTO host_results (id, scan_id, host_id, status) VALUES (1, 1, 1, 'ok');"
            "INSERT INTO cron_sources (id, host_result_id, path, kind) VALUES (1, 1, "
            "'/etc/crontab', 'system');"
            "INSERT INTO entries (id, source_id, line_number, kind, raw, command) VALUES (1, 1, "
            "1, 'job', '* * * * * root x', 'x');");
    for (const auto& table : tables) {
      before[table] = table_rows(db, table);
    }
  }
  Catalog catalog = Catalog::open(path);
  CHECK(catalog.schema_version() == latest_schema_version());
  Database& db = internal::database(catalog);
  for (const auto& table : tables) {
    CHECK(table_rows(db, table) == before[table]);
  }
  for (const std::string table : {"entry_runs", "run_evidence", "log_cursors"}) {
    CHECK(table_rows(db, table).empty());
  }
  db.exec("INSERT INTO entry_runs (entry_id, verdict, runs) VALUES (1, 'running', 3);"
          "INSERT INTO log_cursors (host_id, path, inode, offset) VALUES (1, '/var/log/cron', 7, "
          "9);"
          "INSERT INTO run_evidence (host_id, entry_key, runs) VALUES (1, 'k', 3)");
  CHECK_THROWS_AS(db.exec("UPDATE entry_runs SET verdict = 'dead'"), CatalogError);
  // Evidence goes with its entry; cursors and totals stay with the host across scans.
  db.exec("DELETE FROM host_results WHERE id = 1");
  CHECK(table_rows(db, "entry_runs").empty());
  CHECK(table_rows(db, "log_cursors").size() == 1);
  CHECK(table_rows(db, "run_evidence").size() == 1);
}
