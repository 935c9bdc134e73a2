#include <fmt/format.h>

#include "host_inserter.hpp"
#include "rows.hpp"
#include "run_columns.hpp"

namespace digger::catalog {

namespace {

// The entries query's columns: the entry's own, then worker_facts' (NULL unless the entry is
// a worker), then entry_runs' (run_columns.hpp, read from run_first on).
constexpr const char* entry_columns =
    "line_number, kind, raw, schedule_text, macro, normalized_schedule, command, stdin, "
    "run_as, language, evidence, target, description, fingerprint, error, cron_tz, "
    "entries.verdict, managed_by, verdict_reasons, flags, schedule_origin";
constexpr int worker_first = 21;
constexpr const char* worker_columns =
    "w.manager, w.name, w.group_name, w.instances, w.process_names, w.autostart, w.restart, "
    "w.directory, w.environment, w.unresolved, w.rejected, w.unexpected_exits, w.gave_up, "
    "w.last_exit, w.gave_up_at";
constexpr int worker_column_count = 15;
constexpr int run_first = worker_first + worker_column_count;

EntryRow read_entry(const Statement& row) {
  EntryRow entry;
  ColumnReader(row).read(entry.line_number, entry.kind, entry.raw, entry.schedule_text, entry.macro,
                         entry.normalized_schedule, entry.command, entry.stdin_data, entry.run_as,
                         entry.language, entry.evidence, entry.target, entry.description,
                         entry.fingerprint, entry.error, entry.cron_tz, entry.verdict,
                         entry.managed_by, entry.verdict_reasons, entry.flags,
                         entry.schedule_origin);
  if (entry.kind == "worker") {
    WorkerRow& w = entry.worker.emplace();
    ColumnReader(row, worker_first)
        .read(w.manager, w.name, w.group, w.instances, w.process_names, w.autostart, w.restart,
              w.directory, w.environment, w.unresolved, w.rejected, w.unexpected_exits, w.gave_up,
              w.last_exit, w.gave_up_at);
  }
  entry.run = read_run_columns(row, run_first);
  return entry;
}

SourceRow read_source(const Statement& row) {
  SourceRow source;
  ColumnReader(row).skip().read(source.path, source.kind, source.owner, source.mode, source.mtime,
                                source.size, source.sha256, source.truncated,
                                source.loaded_by_daemon, source.not_loaded_reason,
                                source.loads_under_cronie, source.loads_under_vixie,
                                source.load_notes, source.read_error, source.package);
  return source;
}

void read_sources(Database& db, std::int64_t result_id, HostRecord& host) {
  Statement entries = db.prepare(fmt::format(
      "SELECT {}, {}, {} FROM entries LEFT JOIN worker_facts w ON w.entry_id = entries.id "
      "LEFT JOIN entry_runs r ON r.entry_id = entries.id "
      "WHERE source_id = ?1 ORDER BY entries.id",
      entry_columns, worker_columns, run_columns("r")));
  auto read_source_and_entries = [&](const Statement& row) {
    host.sources.push_back(read_source(row));
    entries.bind(1, row.column_int(0));
    while (entries.step()) {
      host.sources.back().entries.push_back(read_entry(entries));
    }
    entries.reset();
  };
  for_each_row(
      db,
      "SELECT id, path, kind, owner, mode, mtime, size, sha256, truncated, loaded_by_daemon, "
      "not_loaded_reason, loads_under_cronie, loads_under_vixie, load_notes, read_error, package "
      "FROM cron_sources WHERE host_result_id = ?1 ORDER BY id",
      read_source_and_entries, result_id);
}

ProgramRow read_program(const Statement& row) {
  ProgramRow p;
  ColumnReader(row).read(p.path, p.exists, p.type, p.resolved_path, p.size, p.mode, p.uid, p.gid,
                         p.mtime, p.owner, p.sha256, p.head, p.elf, p.go_version, p.go_module,
                         p.dir_mode, p.dir_uid, p.dir_gid, p.error);
  return p;
}

void read_programs(Database& db, std::int64_t result_id, HostRecord& host) {
  host.programs = collect_rows(
      db,
      "SELECT path, file_exists, type, resolved_path, size, mode, uid, gid, mtime, owner, sha256, "
      "head, elf, go_version, go_module, dir_mode, dir_uid, dir_gid, error FROM programs "
      "WHERE host_result_id = ?1 ORDER BY rowid",
      read_program, result_id);
}

void read_unreadable(Database& db, std::int64_t result_id, HostRecord& host) {
  host.unreadable_paths = collect_rows(
      db, "SELECT path FROM unreadable_paths WHERE host_result_id = ?1 ORDER BY rowid",
      [](const Statement& row) { return row.column_bytes(0); }, result_id);
}

// host_results' columns after its id, read into the record.
void read_result(const Statement& row, HostRecord& host) {
  ColumnReader(row).skip().read(
      host.labels, host.status, host.reason, host.address, host.login_user, host.attempts,
      host.timings.connect, host.timings.handshake, host.timings.auth, host.timings.command,
      host.timings.total, host.facts.hostname, host.facts.os_id, host.facts.os_version,
      host.facts.timezone, host.facts.cron_daemon, host.host_key_type, host.host_key_fingerprint,
      host.stderr_excerpt, host.output_truncated, host.inspection_note);
}

void read_evidence(ColumnReader& columns, LogCursorRow& cursor) {
  columns.read(cursor.path, cursor.device, cursor.inode, cursor.size, cursor.offset,
               cursor.window_from, cursor.window_to, cursor.note);
}

void read_evidence(ColumnReader& columns, JobRunTotals& totals) {
  columns.read(totals.key, totals.runs, totals.ambiguous_runs, totals.failures, totals.last_run,
               totals.last_failure, totals.last_exit_status);
}

// The evidence rows of each host, by the host's name and port (the first two columns).
template <class Row>
void collect_by_host(Database& db, std::string_view sql,
                     std::map<HostIdentity, EvidenceState>& states,
                     std::vector<Row> EvidenceState::*rows) {
  for_each_row(db, sql, [&](const Statement& row) {
    HostIdentity host;
    Row evidence;
    ColumnReader columns(row);
    columns.read(host.name, host.port);
    read_evidence(columns, evidence);
    (states[host].*rows).push_back(std::move(evidence));
  });
}

} // namespace

std::optional<HostRecord> read_host_record(Database& db, std::int64_t scan_id,
                                           const HostIdentity& identity) {
  Statement result = db.prepare(
      "SELECT r.id, h.labels_json, r.status, r.reason, r.address, r.login_user, r.attempts, "
      "r.connect_ms, r.handshake_ms, r.auth_ms, r.command_ms, r.total_ms, r.hostname, r.os_id, "
      "r.os_version, r.timezone, r.cron_daemon, r.host_key_type, r.host_key_fingerprint, "
      "r.stderr_excerpt, r.output_truncated, r.inspection_note FROM host_results r JOIN hosts h ON "
      "h.id = r.host_id "
      "WHERE r.scan_id = ?1 AND h.name = ?2 AND h.port = ?3");
  if (!result.bind_all(scan_id, identity.name, identity.port).step()) {
    return std::nullopt;
  }
  HostRecord host;
  host.name = identity.name;
  host.port = identity.port;
  read_result(result, host);
  std::int64_t result_id = result.column_int(0);
  read_unreadable(db, result_id, host);
  read_sources(db, result_id, host);
  read_programs(db, result_id, host);
  return host;
}

std::map<HostIdentity, EvidenceState> read_evidence_states(Database& db) {
  std::map<HostIdentity, EvidenceState> states;
  collect_by_host(db,
                  "SELECT h.name, h.port, c.path, c.device, c.inode, c.size, c.offset, "
                  "c.window_from, c.window_to, c.note FROM log_cursors c "
                  "JOIN hosts h ON h.id = c.host_id ORDER BY c.rowid",
                  states, &EvidenceState::cursors);
  collect_by_host(db,
                  "SELECT h.name, h.port, e.entry_key, e.runs, e.ambiguous_runs, e.failures, "
                  "e.last_run, e.last_failure, e.last_exit_status FROM run_evidence e "
                  "JOIN hosts h ON h.id = e.host_id ORDER BY e.rowid",
                  states, &EvidenceState::totals);
  return states;
}

} // namespace digger::catalog
