#include "schema_steps.hpp"

namespace digger::catalog {

namespace {

// Version 4: the statuses of hosts reached through bastions (issue 15), each naming the hop
// that failed. SQLite cannot change a CHECK constraint in place, so host_results is rebuilt
// with the same columns (migrate() turns foreign keys off around this step: dropping the old
// table would otherwise cascade to cron_sources and unreadable_paths). legacy_alter_table keeps
// the rename from re-checking the views that read host_results while it is missing; they name
// the table, so they read the new one. The CHECK is an OR chain (see schema_v3.cpp: an IN list
// costs the writer two temporary b-trees per row).
constexpr std::string_view schema_v4 = R"sql(
PRAGMA legacy_alter_table = ON;
CREATE TABLE host_results_v4 (
  id                   INTEGER PRIMARY KEY,
  scan_id              INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  host_id              INTEGER NOT NULL REFERENCES hosts (id),
  recorded_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  status               TEXT    NOT NULL CHECK (status = 'ok' OR status = 'partial' OR
                         status = 'unreachable' OR status = 'timeout' OR
                         status = 'hostkey-mismatch' OR status = 'auth-failed' OR
                         status = 'permission-denied' OR status = 'protocol-error' OR
                         status = 'bastion-unreachable' OR status = 'bastion-hostkey' OR
                         status = 'bastion-auth' OR status = 'forwarding-refused' OR
                         status = 'target-open-timeout'),
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
  inspection_note      BLOB,
  UNIQUE (scan_id, host_id)
);
INSERT INTO host_results_v4
  SELECT id, scan_id, host_id, recorded_at, status, reason, address, login_user, attempts,
         connect_ms, handshake_ms, auth_ms, command_ms, total_ms, hostname, os_id, os_version,
         timezone, cron_daemon, host_key_type, host_key_fingerprint, stderr_excerpt,
         output_truncated, jobs, inspection_note
    FROM host_results;
DROP TABLE host_results;
ALTER TABLE host_results_v4 RENAME TO host_results;
CREATE INDEX host_results_by_host ON host_results (host_id, scan_id);
PRAGMA legacy_alter_table = OFF;
)sql";

} // namespace

std::string_view schema_v4_sql() {
  return schema_v4;
}

} // namespace digger::catalog
