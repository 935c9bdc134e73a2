#include <fmt/format.h>

#include "host_inserter.hpp"
#include "run_columns.hpp"
#include "stored_text.hpp"

namespace digger::catalog {

namespace {

// The entries query's columns: the entry's own, then worker_facts' (NULL unless the entry is
// a worker), then entry_runs' (run_columns.hpp, read from run_first on).
constexpr const char* entry_columns =
    "line_number, kind, raw, schedule_text, macro, normalized_schedule, command, stdin, "
    "run_as, language, evidence, target, description, fingerprint, error, cron_tz, "
    "entries.verdict, managed_by, verdict_reasons, flags, schedule_origin";
constexpr int worker_first = 21; // read_entry reads worker columns 21 to 35
constexpr const char* worker_columns =
    "w.manager, w.name, w.group_name, w.instances, w.process_names, w.autostart, w.restart, "
    "w.directory, w.environment, w.unresolved, w.rejected, w.unexpected_exits, w.gave_up, "
    "w.last_exit, w.gave_up_at";
constexpr int worker_column_count = 15;
constexpr int run_first = worker_first + worker_column_count;

EntryRow read_entry(const Statement& row) {
  EntryRow entry;
  entry.line_number = static_cast<int>(row.column_int(0));
  entry.kind = row.column_text(1);
  entry.raw = row.column_bytes(2);
  entry.schedule_text = row.column_bytes(3);
  entry.macro = row.column_text(4);
  entry.normalized_schedule = row.column_text(5);
  entry.command = row.column_bytes(6);
  entry.stdin_data = row.column_optional_bytes(7);
  entry.run_as = row.column_bytes(8);
  entry.language = row.column_text(9);
  entry.evidence = row.column_bytes(10);
  entry.target = row.column_bytes(11);
  entry.description = row.column_bytes(12);
  entry.fingerprint = row.column_text(13);
  entry.error = row.column_bytes(14);
  entry.cron_tz = row.column_bytes(15);
  entry.verdict = row.column_text(16);
  entry.managed_by = row.column_bytes(17);
  entry.verdict_reasons = split_lines(row.column_bytes(18));
  entry.flags = split_lines(row.column_text(19));
  entry.schedule_origin = row.column_bytes(20);
  if (entry.kind == "worker") {
    WorkerRow worker;
    worker.manager = row.column_text(21);
    worker.name = row.column_bytes(22);
    worker.group = row.column_bytes(23);
    worker.instances = row.column_int(24);
    worker.process_names = split_lines(row.column_bytes(25));
    worker.autostart = row.column_int(26) != 0;
    worker.restart = row.column_text(27);
    worker.directory = row.column_bytes(28);
    worker.environment = split_lines(row.column_bytes(29));
    worker.unresolved = split_lines(row.column_bytes(30));
    worker.rejected = row.column_bytes(31);
    worker.unexpected_exits = optional_int(row, 32);
    worker.gave_up = row.column_int(33);
    worker.last_exit = row.column_text(34);
    worker.gave_up_at = row.column_text(35);
    entry.worker = std::move(worker);
  }
  return entry;
}

SourceRow read_source(const Statement& row) {
  SourceRow source;
  source.path = row.column_bytes(1);
  source.kind = row.column_text(2);
  source.owner = row.column_bytes(3);
  source.mode = row.column_int(4);
  source.mtime = row.column_int(5);
  source.size = row.column_int(6);
  source.sha256 = row.column_text(7);
  source.truncated = row.column_int(8) != 0;
  source.loaded_by_daemon = row.column_int(9) != 0;
  source.not_loaded_reason = row.column_bytes(10);
  source.loads_under_cronie = row.column_int(11) != 0;
  source.loads_under_vixie = row.column_int(12) != 0;
  source.load_notes = split_lines(row.column_bytes(13));
  source.read_error = row.column_bytes(14);
  source.package = row.column_bytes(15);
  return source;
}

void read_sources(Database& db, std::int64_t result_id, HostRecord& host) {
  Statement sources = db.prepare(
      "SELECT id, path, kind, owner, mode, mtime, size, sha256, truncated, loaded_by_daemon, "
      "not_loaded_reason, loads_under_cronie, loads_under_vixie, load_notes, read_error, package "
      "FROM cron_sources WHERE host_result_id = ?1 ORDER BY id");
  Statement entries = db.prepare(fmt::format(
      "SELECT {}, {}, {} FROM entries LEFT JOIN worker_facts w ON w.entry_id = entries.id "
      "LEFT JOIN entry_runs r ON r.entry_id = entries.id "
      "WHERE source_id = ?1 ORDER BY entries.id",
      entry_columns, worker_columns, run_columns("r")));
  sources.bind(1, result_id);
  while (sources.step()) {
    SourceRow source = read_source(sources);
    entries.bind(1, sources.column_int(0));
    while (entries.step()) {
      source.entries.push_back(read_entry(entries));
      source.entries.back().run = read_run_columns(entries, run_first);
    }
    entries.reset();
    host.sources.push_back(std::move(source));
  }
}

ProgramRow read_program(const Statement& row) {
  ProgramRow program;
  program.path = row.column_bytes(0);
  program.exists = row.column_int(1) != 0;
  program.type = row.column_text(2);
  program.resolved_path = row.column_bytes(3);
  program.size = row.column_int(4);
  program.mode = row.column_int(5);
  program.uid = row.column_int(6);
  program.gid = row.column_int(7);
  program.mtime = row.column_int(8);
  program.owner = row.column_bytes(9);
  program.sha256 = row.column_text(10);
  program.head = row.column_bytes(11);
  program.elf = row.column_int(12) != 0;
  program.go_version = row.column_text(13);
  program.go_module = row.column_bytes(14);
  program.dir_mode = row.column_int(15);
  program.dir_uid = row.column_int(16);
  program.dir_gid = row.column_int(17);
  program.error = row.column_bytes(18);
  return program;
}

void read_programs(Database& db, std::int64_t result_id, HostRecord& host) {
  Statement programs = db.prepare(
      "SELECT path, file_exists, type, resolved_path, size, mode, uid, gid, mtime, owner, sha256, "
      "head, elf, go_version, go_module, dir_mode, dir_uid, dir_gid, error FROM programs "
      "WHERE host_result_id = ?1 ORDER BY rowid");
  programs.bind(1, result_id);
  while (programs.step()) {
    host.programs.push_back(read_program(programs));
  }
}

void read_unreadable(Database& db, std::int64_t result_id, HostRecord& host) {
  Statement paths =
      db.prepare("SELECT path FROM unreadable_paths WHERE host_result_id = ?1 ORDER BY rowid");
  paths.bind(1, result_id);
  while (paths.step()) {
    host.unreadable_paths.push_back(paths.column_bytes(0));
  }
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
  result.bind(1, scan_id).bind(2, identity.name).bind(3, identity.port);
  if (!result.step()) {
    return std::nullopt;
  }
  HostRecord host;
  host.name = identity.name;
  host.port = identity.port;
  host.labels = parse_labels(result.column_text(1));
  host.status = result.column_text(2);
  host.reason = result.column_text(3);
  host.address = result.column_text(4);
  host.login_user = result.column_text(5);
  host.attempts = static_cast<int>(result.column_int(6));
  host.timings = {result.column_int(7), result.column_int(8), result.column_int(9),
                  result.column_int(10), result.column_int(11)};
  host.facts = {result.column_bytes(12), result.column_bytes(13), result.column_bytes(14),
                result.column_bytes(15), result.column_bytes(16)};
  host.host_key_type = result.column_text(17);
  host.host_key_fingerprint = result.column_text(18);
  host.stderr_excerpt = result.column_bytes(19);
  host.output_truncated = result.column_int(20) != 0;
  host.inspection_note = result.column_bytes(21);
  std::int64_t result_id = result.column_int(0);
  read_unreadable(db, result_id, host);
  read_sources(db, result_id, host);
  read_programs(db, result_id, host);
  return host;
}

} // namespace digger::catalog
