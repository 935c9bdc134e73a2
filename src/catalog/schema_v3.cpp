#include "schema_steps.hpp"
#include "schema_tables.hpp"

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
constexpr std::string_view drop_job_views = R"sql(DROP VIEW duplicate_jobs;
DROP VIEW failed_hosts;
DROP VIEW jobs_by_owner;
DROP VIEW jobs_by_language;
DROP VIEW jobs;
DROP VIEW all_jobs;
)sql";

constexpr std::string_view source_kinds_v3 = R"sql(CHECK (kind = 'user' OR kind = 'system' OR
                                             kind = 'cron.d' OR kind = 'anacrontab' OR
                                             kind = 'run-parts' OR kind = 'timer' OR
                                             kind = 'service'))sql";

// The columns version 1 gave the two rebuilt tables: all of them are copied.
constexpr std::string_view cron_sources_v1_columns =
    "id, host_result_id, path, kind, owner, mode, mtime, size, sha256, truncated, "
    "loaded_by_daemon, not_loaded_reason, loads_under_cronie, loads_under_vixie, load_notes, "
    "read_error";
constexpr std::string_view entries_v1_columns =
    "id, source_id, line_number, kind, raw, schedule_text, macro, normalized_schedule, command, "
    "stdin, run_as, language, evidence, target, description, fingerprint, error, cron_tz";

constexpr std::string_view programs_v3 =
    R"sql(ALTER TABLE host_results ADD COLUMN inspection_note BLOB;

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
)sql";

// all_jobs' columns for the verdicts and programs, and the programs it joins.
constexpr std::string_view all_jobs_v3_columns = R"sql(,
         e.verdict             AS verdict,
         e.managed_by          AS managed_by,
         e.verdict_reasons     AS verdict_reasons,
         e.flags               AS flags,
         e.schedule_origin     AS schedule_origin,
         s.package             AS package,
         e.evidence            AS evidence,
         p.file_exists         AS target_exists,
         p.go_version          AS go_version)sql";
constexpr std::string_view all_jobs_v3_joins =
    "\n    LEFT JOIN programs p ON p.host_result_id = r.id AND p.path = e.target";
constexpr std::string_view hidden_count_column =
    ",\n         COUNT(*) FILTER (WHERE verdict = 'hidden') AS hidden";

constexpr std::string_view hidden_jobs_view =
    "CREATE VIEW hidden_jobs AS\n  SELECT * FROM jobs WHERE verdict = 'hidden';";

std::string rebuild_cron_sources() {
  return rebuild_table_sql({
      .table = "cron_sources",
      .scratch = "cron_sources_v3",
      .table_template = cron_sources_template,
      .rule = std::string(source_kinds_v3),
      .more_columns = cron_sources_package_column,
      .copied_columns = cron_sources_v1_columns,
      .indexes = cron_sources_indexes,
  });
}

std::string rebuild_entries() {
  return rebuild_table_sql({
      .table = "entries",
      .scratch = "entries_v3",
      .table_template = entries_template,
      .rule = check(entry_kinds_v3),
      .more_columns = entries_verdict_columns,
      .copied_columns = entries_v1_columns,
      .indexes = entries_indexes(),
  });
}

} // namespace

std::string_view schema_v3_sql() {
  static const std::string sql = join_statements({
      drop_job_views,
      rebuild_cron_sources(),
      rebuild_entries(),
      programs_v3,
      all_jobs_view(all_jobs_v3_columns, all_jobs_v3_joins),
      jobs_view,
      hidden_jobs_view,
      jobs_by_language_view(hidden_count_column),
      jobs_by_owner_view(hidden_count_column),
      failed_hosts_view,
      duplicate_jobs_view,
  });
  return sql;
}

} // namespace digger::catalog
