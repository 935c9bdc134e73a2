#include "schema_steps.hpp"

namespace digger::catalog {

namespace {

// Version 5: source kinds live in a lookup table instead of a CHECK constraint (issue 16), so
// a new source is a row (registered by the scan from collect's source table) and not a table
// rebuild. Each kind says which crontab grammar its files follow ('user', 'system' or '') and
// which clock its schedules are written for ('cron', 'anacron', 'systemd', 'inherited'), so
// readers of the catalog need not know kind names. cron_sources is rebuilt with a foreign key
// to it (migrate() turns foreign keys off around this step; see schema_v4.cpp for the
// legacy_alter_table rename that keeps the views reading the new table).
constexpr std::string_view schema_v5 = R"sql(
CREATE TABLE source_kinds (
  name        TEXT PRIMARY KEY,
  crontab     TEXT NOT NULL DEFAULT '' CHECK (crontab = '' OR crontab = 'user' OR
                                              crontab = 'system'),
  clock       TEXT NOT NULL DEFAULT 'cron',
  description TEXT NOT NULL DEFAULT ''
);
INSERT INTO source_kinds (name, crontab, clock, description) VALUES
  ('user', 'user', 'cron', 'a user''s crontab in the cron spool'),
  ('system', 'system', 'cron', '/etc/crontab'),
  ('cron.d', 'system', 'cron', 'a file of /etc/cron.d'),
  ('anacrontab', '', 'anacron', '/etc/anacrontab'),
  ('run-parts', '', 'inherited', 'a file of a run-parts directory (/etc/cron.daily, ...)'),
  ('timer', '', 'systemd', 'a systemd timer, or the service it starts'),
  ('service', '', 'systemd', 'a systemd timer, or the service it starts');

PRAGMA legacy_alter_table = ON;
CREATE TABLE cron_sources_v5 (
  id                 INTEGER PRIMARY KEY,
  host_result_id     INTEGER NOT NULL REFERENCES host_results (id) ON DELETE CASCADE,
  path               BLOB    NOT NULL,
  kind               TEXT    NOT NULL REFERENCES source_kinds (name),
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
INSERT INTO cron_sources_v5
  SELECT id, host_result_id, path, kind, owner, mode, mtime, size, sha256, truncated,
         loaded_by_daemon, not_loaded_reason, loads_under_cronie, loads_under_vixie, load_notes,
         read_error, package
    FROM cron_sources;
DROP TABLE cron_sources;
ALTER TABLE cron_sources_v5 RENAME TO cron_sources;
CREATE INDEX cron_sources_by_result ON cron_sources (host_result_id);
PRAGMA legacy_alter_table = OFF;
)sql";

} // namespace

std::string_view schema_v5_sql() {
  return schema_v5;
}

} // namespace digger::catalog
