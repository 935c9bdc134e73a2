#include "schema.hpp"

#include <fmt/format.h>

#include <array>

#include "schema_steps.hpp"
#include "schema_tables.hpp"

namespace digger::catalog {

namespace {

// Version 1: the first release. Frozen: tests/unit/catalog_migration_test.cpp holds a copy made
// by hand, as an older digger-scan would have written it. Tables that later steps rebuild are
// in schema_tables.cpp; the rest are here.
constexpr std::string_view scans_and_hosts_v1 = R"sql(
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
)sql";

constexpr std::string_view host_statuses_v1 = R"sql(status IN ('ok', 'partial', 'unreachable',
                         'timeout', 'hostkey-mismatch', 'auth-failed', 'permission-denied',
                         'protocol-error'))sql";

constexpr std::string_view unreadable_paths_v1 = R"sql(
CREATE TABLE unreadable_paths (
  host_result_id INTEGER NOT NULL REFERENCES host_results (id) ON DELETE CASCADE,
  path           BLOB    NOT NULL
);
CREATE INDEX unreadable_paths_by_result ON unreadable_paths (host_result_id);
)sql";

constexpr std::string_view entry_kinds_v1 =
    R"sql(kind IN ('job', 'env', 'disabled-job', 'comment',
                                                       'blank', 'invalid'))sql";

constexpr std::string_view latest_scan_view = R"sql(
-- The newest scan worth reporting on: complete, or interrupted with partial results.
CREATE VIEW latest_scan AS
  SELECT * FROM scans WHERE status IN ('complete', 'interrupted') ORDER BY id DESC LIMIT 1;
)sql";

const std::string& schema_v1() {
  static const std::string sql = join_statements({
      scans_and_hosts_v1,
      table_definition(host_results_template, "host_results", check(host_statuses_v1), ""),
      host_results_indexes,
      unreadable_paths_v1,
      table_definition(cron_sources_template, "cron_sources",
                       "CHECK (kind IN ('user', 'system', 'cron.d'))", ""),
      cron_sources_indexes,
      table_definition(entries_template, "entries", check(entry_kinds_v1), ""),
      entries_by_source_index,
      latest_scan_view,
      all_jobs_view("", ""),
      jobs_view,
      jobs_by_language_view(""),
      jobs_by_owner_view(""),
      failed_hosts_view,
  });
  return sql;
}

// Version 2: which digger-scan wrote each scan, and fleet-wide duplicates (same job on many
// hosts), which the fingerprint index makes cheap.
const std::string& schema_v2() {
  static const std::string sql = join_statements({
      "ALTER TABLE scans ADD COLUMN digger_version TEXT NOT NULL DEFAULT '';",
      entries_by_fingerprint_index,
      duplicate_jobs_view,
  });
  return sql;
}

const std::array<Migration, 9> all_migrations{{
    {1, "first release: scans, hosts, host_results, cron_sources, entries, report views",
     schema_v1()},
    {2, "scans.digger_version, entries_by_fingerprint index, duplicate_jobs view", schema_v2()},
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
