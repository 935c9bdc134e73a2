#include "schema_tables.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace digger::catalog {

std::string join_statements(std::initializer_list<std::string_view> statements) {
  return fmt::format("{}\n", fmt::join(statements, "\n"));
}

std::string rebuild_table_sql(const TableRebuild& rebuild) {
  // A column list names the new table's columns too: the ones it adds keep their defaults.
  std::string into = rebuild.copied_columns == "*"
                         ? std::string(rebuild.scratch)
                         : fmt::format("{} ({})", rebuild.scratch, rebuild.copied_columns);
  std::string steps =
      fmt::format("{definition}\n"
                  "INSERT INTO {into} SELECT {columns} FROM {table};\n"
                  "DROP TABLE {table};\n"
                  "ALTER TABLE {scratch} RENAME TO {table};\n"
                  "{indexes}\n",
                  fmt::arg("definition", table_definition(rebuild.table_template, rebuild.scratch,
                                                          rebuild.rule, rebuild.more_columns)),
                  fmt::arg("into", into), fmt::arg("columns", rebuild.copied_columns),
                  fmt::arg("table", rebuild.table), fmt::arg("scratch", rebuild.scratch),
                  fmt::arg("indexes", rebuild.indexes));
  if (!rebuild.views_read_it) {
    return steps;
  }
  return fmt::format("PRAGMA legacy_alter_table = ON;\n{}PRAGMA legacy_alter_table = OFF;\n",
                     steps);
}

// ---------------------------------------------------------------- tables

std::string table_definition(std::string_view table_template, std::string_view name,
                             std::string_view rule, std::string_view more_columns) {
  return fmt::format(fmt::runtime(table_template), fmt::arg("name", name), fmt::arg("rule", rule),
                     fmt::arg("more_columns", more_columns));
}

std::string check(std::string_view condition) {
  return fmt::format("CHECK ({})", condition);
}

extern const std::string_view host_results_template = R"sql(CREATE TABLE {name} (
  id                   INTEGER PRIMARY KEY,
  scan_id              INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  host_id              INTEGER NOT NULL REFERENCES hosts (id),
  recorded_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  status               TEXT    NOT NULL {rule},
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
  jobs                 INTEGER NOT NULL DEFAULT 0{more_columns},
  UNIQUE (scan_id, host_id)
);)sql";

extern const std::string_view cron_sources_template = R"sql(CREATE TABLE {name} (
  id                 INTEGER PRIMARY KEY,
  host_result_id     INTEGER NOT NULL REFERENCES host_results (id) ON DELETE CASCADE,
  path               BLOB    NOT NULL,
  kind               TEXT    NOT NULL {rule},
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
  read_error         BLOB{more_columns}
);)sql";

extern const std::string_view entries_template = R"sql(CREATE TABLE {name} (
  id                  INTEGER PRIMARY KEY,
  source_id           INTEGER NOT NULL REFERENCES cron_sources (id) ON DELETE CASCADE,
  line_number         INTEGER NOT NULL,
  kind                TEXT    NOT NULL {rule},
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
  cron_tz             BLOB{more_columns}
);)sql";

std::string_view entries_indexes() {
  static const std::string both =
      join_statements({entries_by_source_index, entries_by_fingerprint_index});
  return both;
}

extern const std::string_view entry_kinds_v3 = R"sql(kind = 'job' OR kind = 'env' OR
                                              kind = 'disabled-job' OR kind = 'comment' OR
                                              kind = 'blank' OR kind = 'invalid')sql";

extern const std::string_view entries_verdict_columns = R"sql(,
  verdict             TEXT    CHECK (verdict = '' OR verdict = 'managed' OR verdict = 'hidden' OR
                                     verdict = 'migrated'),
  managed_by          BLOB,
  verdict_reasons     BLOB,
  flags               TEXT,
  schedule_origin     BLOB)sql";

// ---------------------------------------------------------------- views

std::string all_jobs_view(std::string_view more_columns, std::string_view more_joins) {
  return fmt::format(R"sql(CREATE VIEW all_jobs AS
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
         e.id                  AS entry_id{more_columns}
    FROM host_results r
    JOIN hosts h        ON h.id = r.host_id
    JOIN cron_sources s ON s.host_result_id = r.id
    JOIN entries e      ON e.source_id = s.id{more_joins}
   WHERE e.kind = 'job';)sql",
                     fmt::arg("more_columns", more_columns), fmt::arg("more_joins", more_joins));
}

std::string jobs_by_language_view(std::string_view more_columns) {
  return fmt::format(R"sql(CREATE VIEW jobs_by_language AS
  SELECT COALESCE(language, 'unknown') AS language,
         COUNT(*)                      AS jobs,
         COUNT(DISTINCT host_id)       AS hosts,
         COUNT(DISTINCT owner)         AS owners{}
    FROM jobs GROUP BY 1 ORDER BY jobs DESC, language;)sql",
                     more_columns);
}

std::string jobs_by_owner_view(std::string_view more_columns) {
  return fmt::format(R"sql(CREATE VIEW jobs_by_owner AS
  SELECT owner,
         COUNT(*)                AS jobs,
         COUNT(DISTINCT host_id) AS hosts,
         group_concat(DISTINCT COALESCE(language, 'unknown')) AS languages{}
    FROM jobs GROUP BY owner ORDER BY jobs DESC, owner;)sql",
                     more_columns);
}

extern const std::string_view failed_hosts_view = R"sql(CREATE VIEW failed_hosts AS
  SELECT h.name AS host, h.port AS port, r.status AS status, r.reason AS reason,
         r.attempts AS attempts, r.total_ms AS total_ms, r.scan_id AS scan_id
    FROM host_results r JOIN hosts h ON h.id = r.host_id
   WHERE r.scan_id = (SELECT id FROM latest_scan) AND r.status NOT IN ('ok', 'partial')
   ORDER BY r.status, h.name, h.port;)sql";

extern const std::string_view duplicate_jobs_view = R"sql(CREATE VIEW duplicate_jobs AS
  SELECT fingerprint,
         COUNT(DISTINCT host_id)   AS hosts,
         COUNT(*)                  AS jobs,
         MIN(schedule)             AS schedule,
         MIN(command)              AS command,
         group_concat(DISTINCT host) AS host_names
    FROM jobs WHERE fingerprint IS NOT NULL
   GROUP BY fingerprint HAVING COUNT(DISTINCT host_id) > 1
   ORDER BY hosts DESC, fingerprint;)sql";

std::string all_workers_view(std::string_view more_columns) {
  return fmt::format(R"sql(CREATE VIEW all_workers AS
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
         e.id                        AS entry_id{}
    FROM host_results r
    JOIN hosts h          ON h.id = r.host_id
    JOIN cron_sources s   ON s.host_result_id = r.id
    JOIN entries e        ON e.source_id = s.id
    JOIN worker_facts w   ON w.entry_id = e.id
   WHERE e.kind = 'worker';)sql",
                     more_columns);
}

} // namespace digger::catalog
