#include "schema_steps.hpp"

namespace digger::catalog {

namespace {

// Version 6: run evidence (issue 18, docs/evidence.md). Three tables, nothing rebuilt:
// - entry_runs: what the cron log says about one job of one scan (its verdict, with the reason
//   naming the source and the window), beside entries rather than in it, so that reading a
//   catalog written before this step needs no change to the entries table;
// - run_evidence: the per-host running totals behind those verdicts, one row per job key
//   (run-as user, schedule, logged command), carried from scan to scan as the log is read on;
// - log_cursors: where the last scan stopped in each log file of a host (device, inode, size,
//   offset), so the next scan reads only what was appended, and the window read so far.
// No raw log line is kept anywhere: only counts and times of lines attributed to a job.
constexpr std::string_view schema_v6 = R"sql(
CREATE TABLE entry_runs (
  entry_id         INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
  verdict          TEXT    NOT NULL CHECK (verdict IN ('running', 'ambiguous', 'no-evidence',
                                                       'log-unreadable')),
  reason           BLOB,
  runs             INTEGER NOT NULL DEFAULT 0,
  ambiguous_runs   INTEGER NOT NULL DEFAULT 0,
  failures         INTEGER NOT NULL DEFAULT 0,
  last_run         INTEGER,
  last_failure     INTEGER,
  last_exit_status INTEGER
);

CREATE TABLE run_evidence (
  host_id          INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
  entry_key        BLOB    NOT NULL,
  runs             INTEGER NOT NULL DEFAULT 0,
  ambiguous_runs   INTEGER NOT NULL DEFAULT 0,
  failures         INTEGER NOT NULL DEFAULT 0,
  last_run         INTEGER,
  last_failure     INTEGER,
  last_exit_status INTEGER,
  PRIMARY KEY (host_id, entry_key)
);

CREATE TABLE log_cursors (
  host_id     INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
  path        BLOB    NOT NULL,
  device      INTEGER NOT NULL DEFAULT 0,
  inode       INTEGER NOT NULL DEFAULT 0,
  size        INTEGER NOT NULL DEFAULT 0,
  offset      INTEGER NOT NULL DEFAULT 0,
  window_from INTEGER,
  window_to   INTEGER,
  note        BLOB,
  PRIMARY KEY (host_id, path)
);
)sql";

} // namespace

std::string_view schema_v6_sql() {
  return schema_v6;
}

} // namespace digger::catalog
