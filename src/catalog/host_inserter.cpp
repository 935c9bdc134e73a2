#include "host_inserter.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <stdexcept>

namespace digger::catalog {

namespace {

constexpr std::size_t max_stderr_excerpt = 64 * 1024;

// Optional columns hold NULL rather than "" so that `IS NULL` means "not applicable".
std::optional<Bytes> optional_bytes(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  return Bytes{text};
}

std::optional<std::string_view> optional_text(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  return text;
}

std::string labels_json(const std::map<std::string, std::string>& labels) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : labels) {
    object[key] = value;
  }
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Lists (load notes, verdict reasons, flags) are stored one item per line: readable in the
// sqlite3 shell and searchable with instr(); their items never hold a newline.
std::string join_lines(const std::vector<std::string>& lines) {
  std::string joined;
  for (const std::string& line : lines) {
    joined += joined.empty() ? "" : "\n";
    joined += line;
  }
  return joined;
}

bool counts_as_ok(std::string_view status) {
  return status == "ok" || status == "partial";
}

} // namespace

void validate(const HostRecord& host, const SourceKindNames& kinds) {
  if (host.name.empty()) {
    throw std::invalid_argument("catalog: host record without a name");
  }
  if (!is_host_status(host.status)) {
    throw std::invalid_argument(fmt::format("catalog: unknown host status '{}'", host.status));
  }
  for (const SourceRow& source : host.sources) {
    if (!kinds.contains(source.kind)) {
      throw std::invalid_argument(fmt::format("catalog: unknown source kind '{}'", source.kind));
    }
    for (const EntryRow& entry : source.entries) {
      if (!is_entry_kind(entry.kind)) {
        throw std::invalid_argument(fmt::format("catalog: unknown entry kind '{}'", entry.kind));
      }
      if (entry.worker.has_value() != (entry.kind == "worker")) {
        throw std::invalid_argument("catalog: a worker entry needs its worker facts, and only it");
      }
      if (!is_verdict(entry.verdict)) {
        throw std::invalid_argument(fmt::format("catalog: unknown verdict '{}'", entry.verdict));
      }
      if (!is_run_verdict(entry.run.verdict)) {
        throw std::invalid_argument(
            fmt::format("catalog: unknown run evidence verdict '{}'", entry.run.verdict));
      }
    }
  }
}

HostInserter::HostInserter(Database& db)
    : db_(db), upsert_host_(db.prepare(
                   "INSERT INTO hosts (name, port, labels_json) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT (name, port) DO UPDATE SET labels_json = excluded.labels_json "
                   "RETURNING id")),
      find_result_(db.prepare(
          "SELECT id, status, jobs FROM host_results WHERE scan_id = ?1 AND host_id = ?2")),
      delete_result_(db.prepare("DELETE FROM host_results WHERE id = ?1")),
      insert_result_(db.prepare(
          "INSERT INTO host_results (scan_id, host_id, status, reason, address, login_user, "
          "attempts, connect_ms, handshake_ms, auth_ms, command_ms, total_ms, hostname, os_id, "
          "os_version, timezone, cron_daemon, host_key_type, host_key_fingerprint, "
          "stderr_excerpt, output_truncated, jobs, inspection_note) VALUES (?1, ?2, ?3, ?4, ?5, "
          "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)")),
      insert_unreadable_(
          db.prepare("INSERT INTO unreadable_paths (host_result_id, path) VALUES (?1, ?2)")),
      insert_source_(db.prepare(
          "INSERT INTO cron_sources (host_result_id, path, kind, owner, mode, mtime, size, "
          "sha256, truncated, loaded_by_daemon, not_loaded_reason, loads_under_cronie, "
          "loads_under_vixie, load_notes, read_error, package) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
          "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)")),
      insert_entry_(db.prepare(
          "INSERT INTO entries (source_id, line_number, kind, raw, schedule_text, macro, "
          "normalized_schedule, command, stdin, run_as, language, evidence, target, "
          "description, fingerprint, error, cron_tz, verdict, managed_by, verdict_reasons, flags, "
          "schedule_origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
          "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)")),
      insert_worker_(db.prepare(
          "INSERT INTO worker_facts (entry_id, manager, name, group_name, instances, "
          "process_names, autostart, restart, directory, environment, unresolved, rejected, "
          "unexpected_exits, gave_up, last_exit, gave_up_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)")),
      insert_program_(db.prepare(
          "INSERT INTO programs (host_result_id, path, file_exists, type, resolved_path, size, "
          "mode, uid, gid, mtime, owner, sha256, head, elf, go_version, go_module, dir_mode, "
          "dir_uid, dir_gid, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
          "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)")),
      insert_entry_run_(db.prepare(
          "INSERT INTO entry_runs (entry_id, verdict, reason, runs, ambiguous_runs, failures, "
          "last_run, last_failure, last_exit_status, mails, last_mail, output_mtime) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")),
      update_counts_(db.prepare(
          "UPDATE scans SET hosts_recorded = hosts_recorded + ?2, hosts_ok = hosts_ok + ?3, "
          "hosts_failed = hosts_failed + ?4, jobs = jobs + ?5 WHERE id = ?1")) {
  // Every value bound below is a field of the record being inserted or a member of this
  // object, alive until the statement runs: no copy per column (issue 7: the writer's cost).
  for (Statement* statement :
       {&upsert_host_, &find_result_, &delete_result_, &insert_result_, &insert_unreadable_,
        &insert_source_, &insert_entry_, &insert_worker_, &insert_program_, &update_counts_}) {
    statement->borrow_bound_values();
  }
}

void HostInserter::insert(std::int64_t scan_id, const HostRecord& host) {
  std::int64_t jobs = 0;
  for (const SourceRow& source : host.sources) {
    for (const EntryRow& entry : source.entries) {
      jobs += entry.kind == "job" ? 1 : 0;
    }
  }
  std::int64_t host_id = upsert_host(host);
  remove_earlier_result(scan_id, host_id);
  std::int64_t result_id = insert_result(scan_id, host_id, host, jobs);
  for (const std::string& path : host.unreadable_paths) {
    insert_unreadable_.bind(1, result_id).bind(2, Bytes{path}).run();
  }
  for (const SourceRow& source : host.sources) {
    insert_source(result_id, source);
  }
  for (const ProgramRow& program : host.programs) {
    insert_program(result_id, program);
  }
  if (host.evidence) {
    replace_evidence(host_id, *host.evidence);
  }
  bool ok = counts_as_ok(host.status);
  add_to_counts(scan_id, 1, ok ? 1 : 0, ok ? 0 : 1, jobs);
}

std::int64_t HostInserter::upsert_host(const HostRecord& host) {
  labels_ = labels_json(host.labels); // a member: the statement borrows it until reset
  upsert_host_.bind(1, host.name).bind(2, host.port).bind(3, labels_);
  if (!upsert_host_.step()) {
    throw CatalogError(fmt::format("{}: could not record host {}", db_.path(), host.name));
  }
  std::int64_t id = upsert_host_.column_int(0);
  upsert_host_.reset();
  return id;
}

void HostInserter::remove_earlier_result(std::int64_t scan_id, std::int64_t host_id) {
  find_result_.bind(1, scan_id).bind(2, host_id);
  if (!find_result_.step()) {
    find_result_.reset();
    return;
  }
  std::int64_t id = find_result_.column_int(0);
  bool ok = counts_as_ok(find_result_.column_text(1));
  std::int64_t jobs = find_result_.column_int(2);
  find_result_.reset();
  delete_result_.bind(1, id).run(); // sources, entries and paths go by ON DELETE CASCADE
  add_to_counts(scan_id, -1, ok ? -1 : 0, ok ? 0 : -1, -jobs);
}

std::int64_t HostInserter::insert_result(std::int64_t scan_id, std::int64_t host_id,
                                         const HostRecord& host, std::int64_t jobs) {
  std::string_view excerpt = host.stderr_excerpt;
  excerpt = excerpt.substr(0, max_stderr_excerpt);
  Statement& s = insert_result_;
  s.bind(1, scan_id).bind(2, host_id).bind(3, host.status).bind(4, optional_text(host.reason));
  s.bind(5, optional_text(host.address)).bind(6, optional_text(host.login_user));
  s.bind(7, host.attempts).bind(8, host.timings.connect).bind(9, host.timings.handshake);
  s.bind(10, host.timings.auth).bind(11, host.timings.command).bind(12, host.timings.total);
  s.bind(13, optional_bytes(host.facts.hostname)).bind(14, optional_bytes(host.facts.os_id));
  s.bind(15, optional_bytes(host.facts.os_version));
  s.bind(16, optional_bytes(host.facts.timezone));
  s.bind(17, optional_bytes(host.facts.cron_daemon));
  s.bind(18, optional_text(host.host_key_type));
  s.bind(19, optional_text(host.host_key_fingerprint));
  s.bind(20, optional_bytes(excerpt)).bind(21, host.output_truncated).bind(22, jobs);
  s.bind(23, optional_bytes(host.inspection_note));
  s.run();
  return db_.last_insert_rowid();
}

void HostInserter::insert_source(std::int64_t result_id, const SourceRow& source) {
  Statement& s = insert_source_;
  s.bind(1, result_id).bind(2, Bytes{source.path}).bind(3, source.kind);
  s.bind(4, optional_bytes(source.owner)).bind(5, source.mode).bind(6, source.mtime);
  s.bind(7, source.size).bind(8, optional_text(source.sha256)).bind(9, source.truncated);
  s.bind(10, source.loaded_by_daemon).bind(11, optional_bytes(source.not_loaded_reason));
  s.bind(12, source.loads_under_cronie).bind(13, source.loads_under_vixie);
  notes_ = join_lines(source.load_notes);
  s.bind(14, optional_bytes(notes_)).bind(15, optional_bytes(source.read_error));
  s.bind(16, optional_bytes(source.package));
  s.run();
  std::int64_t source_id = db_.last_insert_rowid();
  for (const EntryRow& entry : source.entries) {
    insert_entry(source_id, entry);
  }
}

void HostInserter::insert_entry(std::int64_t source_id, const EntryRow& entry) {
  Statement& s = insert_entry_;
  s.bind(1, source_id).bind(2, entry.line_number).bind(3, entry.kind).bind(4, Bytes{entry.raw});
  s.bind(5, optional_bytes(entry.schedule_text)).bind(6, optional_text(entry.macro));
  s.bind(7, optional_text(entry.normalized_schedule)).bind(8, optional_bytes(entry.command));
  if (entry.stdin_data) {
    s.bind(9, Bytes{*entry.stdin_data});
  }
  s.bind(10, optional_bytes(entry.run_as)).bind(11, optional_text(entry.language));
  s.bind(12, optional_bytes(entry.evidence)).bind(13, optional_bytes(entry.target));
  s.bind(14, optional_bytes(entry.description)).bind(15, optional_text(entry.fingerprint));
  s.bind(16, optional_bytes(entry.error)).bind(17, optional_bytes(entry.cron_tz));
  s.bind(18, optional_text(entry.verdict)).bind(19, optional_bytes(entry.managed_by));
  reasons_ = join_lines(entry.verdict_reasons); // members: no allocation per line once warm
  flags_ = join_lines(entry.flags);
  s.bind(20, optional_bytes(reasons_)).bind(21, optional_text(flags_));
  s.bind(22, optional_bytes(entry.schedule_origin));
  s.run();
  const std::int64_t entry_id = db_.last_insert_rowid();
  if (!entry.run.verdict.empty()) {
    insert_entry_run(entry_id, entry.run);
  }
  if (entry.worker) {
    insert_worker(entry_id, *entry.worker);
  }
}

void HostInserter::insert_worker(std::int64_t entry_id, const WorkerRow& worker) {
  Statement& s = insert_worker_;
  s.bind(1, entry_id).bind(2, worker.manager).bind(3, Bytes{worker.name});
  s.bind(4, optional_bytes(worker.group)).bind(5, worker.instances);
  names_ = join_lines(worker.process_names);
  s.bind(6, optional_bytes(names_)).bind(7, worker.autostart);
  s.bind(8, optional_text(worker.restart)).bind(9, optional_bytes(worker.directory));
  environment_ = join_lines(worker.environment);
  unresolved_ = join_lines(worker.unresolved);
  s.bind(10, optional_bytes(environment_)).bind(11, optional_bytes(unresolved_));
  s.bind(12, optional_bytes(worker.rejected));
  if (worker.unexpected_exits) {
    s.bind(13, *worker.unexpected_exits);
  } else {
    s.bind(13, nullptr);
  }
  s.bind(14, worker.gave_up).bind(15, optional_text(worker.last_exit));
  s.bind(16, optional_text(worker.gave_up_at));
  s.run();
}

void HostInserter::insert_entry_run(std::int64_t entry_id, const RunEvidenceRow& run) {
  Statement& s = insert_entry_run_;
  s.bind(1, entry_id).bind(2, run.verdict).bind(3, optional_bytes(run.reason));
  s.bind(4, run.runs).bind(5, run.ambiguous_runs).bind(6, run.failures);
  s.bind(7, run.last_run).bind(8, run.last_failure).bind(9, run.last_exit_status);
  s.bind(10, run.mails).bind(11, run.last_mail).bind(12, run.output_mtime);
  s.run();
}

// The host's cursors and totals are replaced as a whole: the scan computed them from the
// previous state plus what it read (collect), so the catalog only keeps the latest.
void HostInserter::replace_evidence(std::int64_t host_id, const EvidenceState& state) {
  db_.prepare("DELETE FROM log_cursors WHERE host_id = ?1").bind(1, host_id).run();
  db_.prepare("DELETE FROM run_evidence WHERE host_id = ?1").bind(1, host_id).run();
  Statement cursor = db_.prepare(
      "INSERT INTO log_cursors (host_id, path, device, inode, size, offset, window_from, "
      "window_to, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  for (const LogCursorRow& c : state.cursors) {
    cursor.bind(1, host_id).bind(2, Bytes{c.path}).bind(3, c.device).bind(4, c.inode);
    cursor.bind(5, c.size).bind(6, c.offset).bind(7, c.window_from).bind(8, c.window_to);
    cursor.bind(9, optional_bytes(c.note)).run();
  }
  Statement total = db_.prepare(
      "INSERT INTO run_evidence (host_id, entry_key, runs, ambiguous_runs, failures, last_run, "
      "last_failure, last_exit_status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
      "ON CONFLICT (host_id, entry_key) DO NOTHING");
  for (const JobRunTotals& t : state.totals) {
    total.bind(1, host_id).bind(2, Bytes{t.key}).bind(3, t.runs).bind(4, t.ambiguous_runs);
    total.bind(5, t.failures).bind(6, t.last_run).bind(7, t.last_failure);
    total.bind(8, t.last_exit_status).run();
  }
}

void HostInserter::insert_program(std::int64_t result_id, const ProgramRow& program) {
  Statement& s = insert_program_;
  s.bind(1, result_id).bind(2, Bytes{program.path}).bind(3, program.exists);
  s.bind(4, optional_text(program.type)).bind(5, optional_bytes(program.resolved_path));
  s.bind(6, program.size).bind(7, program.mode).bind(8, program.uid).bind(9, program.gid);
  s.bind(10, program.mtime).bind(11, optional_bytes(program.owner));
  s.bind(12, optional_text(program.sha256));
  if (!program.head.empty()) {
    s.bind(13, Blob{program.head});
  }
  s.bind(14, program.elf).bind(15, optional_text(program.go_version));
  s.bind(16, optional_bytes(program.go_module)).bind(17, program.dir_mode);
  s.bind(18, program.dir_uid).bind(19, program.dir_gid).bind(20, optional_bytes(program.error));
  s.run();
}

void HostInserter::add_to_counts(std::int64_t scan_id, std::int64_t hosts, std::int64_t ok,
                                 std::int64_t failed, std::int64_t jobs) {
  update_counts_.bind(1, scan_id).bind(2, hosts).bind(3, ok).bind(4, failed).bind(5, jobs).run();
}

} // namespace digger::catalog
