#include "digger/report/load.hpp"

#include "digger/util/result.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <tuple>
#include <unordered_map>

namespace digger::report {
namespace {

std::map<std::string, std::string> parse_labels(const std::string& json_text) {
  std::map<std::string, std::string> labels;
  const auto parsed = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    return labels;
  }
  for (const auto& [key, value] : parsed.items()) {
    labels[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return labels;
}

std::string os_text(const std::string& id, const std::string& version) {
  if (id.empty()) {
    return version;
  }
  return version.empty() ? id : id + " " + version;
}

// host_results.host_id -> index in snapshot.hosts, filled in catalog order then sorted.
std::unordered_map<std::int64_t, std::size_t>
load_hosts(catalog::Database& db, std::int64_t scan_id, std::vector<HostRow>& hosts) {
  auto statement = db.prepare(
      "SELECT h.id, h.name, h.port, h.labels_json, r.status, r.reason, r.timezone, r.os_id, "
      "r.os_version, r.jobs FROM host_results r JOIN hosts h ON h.id = r.host_id "
      "WHERE r.scan_id = ?1 ORDER BY h.name, h.port");
  statement.bind(1, scan_id);
  std::unordered_map<std::int64_t, std::size_t> index;
  while (statement.step()) {
    HostRow host;
    host.name = statement.column_bytes(1);
    host.port = static_cast<int>(statement.column_int(2));
    host.labels = parse_labels(statement.column_text(3));
    host.status = statement.column_text(4);
    host.reason = statement.column_bytes(5);
    host.timezone = statement.column_bytes(6);
    host.os = os_text(statement.column_bytes(7), statement.column_bytes(8));
    host.jobs = statement.column_int(9);
    index[statement.column_int(0)] = hosts.size();
    hosts.push_back(std::move(host));
  }
  return index;
}

void load_unreadable_paths(catalog::Database& db, std::int64_t scan_id,
                           const std::unordered_map<std::int64_t, std::size_t>& host_index,
                           std::vector<HostRow>& hosts) {
  auto statement =
      db.prepare("SELECT r.host_id, u.path FROM unreadable_paths u JOIN host_results r "
                 "ON r.id = u.host_result_id WHERE r.scan_id = ?1 ORDER BY r.host_id, u.path");
  statement.bind(1, scan_id);
  while (statement.step()) {
    hosts.at(host_index.at(statement.column_int(0)))
        .unreadable_paths.push_back(statement.column_bytes(1));
  }
}

// Lists are stored one item per line (docs/catalog.md#lists).
std::vector<std::string> split_lines(const std::string& joined) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t end = joined.find('\n', start);
    end = end == std::string::npos ? joined.size() : end;
    lines.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

// "host index NUL path" -> what the inspection of that path found.
using ProgramIndex = std::unordered_map<std::string, std::shared_ptr<const ProgramInfo>>;

std::string program_key(std::size_t host, const std::string& path) {
  return std::to_string(host) + '\0' + path;
}

ProgramIndex load_programs(catalog::Database& db, std::int64_t scan_id,
                           const std::unordered_map<std::int64_t, std::size_t>& host_index) {
  auto statement = db.prepare(
      "SELECT r.host_id, p.path, p.file_exists, p.type, p.go_version, p.go_module, p.sha256 "
      "FROM programs p JOIN host_results r ON r.id = p.host_result_id WHERE r.scan_id = ?1");
  statement.bind(1, scan_id);
  ProgramIndex programs;
  while (statement.step()) {
    ProgramInfo info;
    info.exists = statement.column_int(2) != 0;
    info.type = statement.column_text(3);
    info.go_version = statement.column_text(4);
    info.go_module = statement.column_bytes(5);
    info.sha256 = statement.column_text(6);
    // The first record of a path wins should a host ever report one twice.
    programs.emplace(program_key(host_index.at(statement.column_int(0)), statement.column_bytes(1)),
                     std::make_shared<const ProgramInfo>(std::move(info)));
  }
  return programs;
}

std::optional<std::int64_t> optional_int(const catalog::Statement& row, int column) {
  if (row.column_is_null(column)) {
    return std::nullopt;
  }
  return row.column_int(column);
}

catalog::RunEvidenceRow run_evidence(const catalog::Statement& row, int first) {
  catalog::RunEvidenceRow run;
  if (row.column_is_null(first)) {
    return run;
  }
  run.verdict = row.column_text(first);
  run.reason = row.column_bytes(first + 1);
  run.runs = row.column_int(first + 2);
  run.ambiguous_runs = row.column_int(first + 3);
  run.failures = row.column_int(first + 4);
  run.last_run = optional_int(row, first + 5);
  run.last_failure = optional_int(row, first + 6);
  run.last_exit_status = optional_int(row, first + 7);
  run.mails = optional_int(row, first + 8);
  run.last_mail = optional_int(row, first + 9);
  run.output_mtime = optional_int(row, first + 10);
  return run;
}

void load_jobs(catalog::Database& db, std::int64_t scan_id,
               const std::unordered_map<std::int64_t, std::size_t>& host_index, bool details,
               Snapshot& snapshot) {
  auto statement = db.prepare(
      "SELECT r.host_id, COALESCE(e.run_as, s.owner), e.schedule_text, e.normalized_schedule, "
      "e.cron_tz, e.description, e.command, e.language, e.evidence, e.target, s.path, "
      "e.line_number, s.kind, s.loaded_by_daemon, e.fingerprint, e.kind, e.verdict, "
      "e.managed_by, e.verdict_reasons, e.flags, e.schedule_origin, "
      "CASE WHEN s.kind = 'timer' THEN substr(e.raw, 1, instr(e.raw, '=') - 1) END, "
      "x.verdict, x.reason, x.runs, x.ambiguous_runs, x.failures, x.last_run, x.last_failure, "
      "x.last_exit_status, x.mails, x.last_mail, x.output_mtime "
      "FROM host_results r JOIN cron_sources s ON s.host_result_id = r.id "
      "JOIN entries e ON e.source_id = s.id LEFT JOIN entry_runs x ON x.entry_id = e.id WHERE "
      "r.scan_id = ?1 AND (e.kind = 'job' OR "
      "(e.kind = 'disabled-job' AND e.verdict = 'migrated'))");
  statement.bind(1, scan_id);
  const ProgramIndex programs = details ? load_programs(db, scan_id, host_index) : ProgramIndex{};
  while (statement.step()) {
    JobRow job;
    job.host = host_index.at(statement.column_int(0));
    job.owner = statement.column_bytes(1);
    job.schedule.raw = statement.column_bytes(2);
    job.schedule.normalized = statement.column_text(3);
    job.schedule.cron_tz = statement.column_bytes(4);
    if (details) {
      job.schedule.description = statement.column_bytes(5);
      job.evidence = statement.column_bytes(8);
      job.target = statement.column_bytes(9);
      job.verdict_reasons = split_lines(statement.column_bytes(18));
      job.flags = split_lines(statement.column_text(19));
      job.schedule_origin = statement.column_bytes(20);
      if (!job.target.empty()) {
        auto found = programs.find(program_key(job.host, job.target));
        if (found != programs.end()) {
          job.program = found->second;
        }
      }
    }
    job.command = statement.column_bytes(6);
    job.language = statement.column_text(7);
    if (job.language.empty()) {
      job.language = "unknown";
    }
    job.file = statement.column_bytes(10);
    job.line = static_cast<int>(statement.column_int(11));
    job.source_kind = statement.column_text(12);
    job.loaded_by_daemon = statement.column_int(13) != 0;
    job.fingerprint = statement.column_text(14);
    job.verdict = statement.column_text(16);
    job.managed_by = statement.column_bytes(17);
    job.schedule.trigger = timer_trigger_name(trimmed(statement.column_bytes(21)));
    job.run = run_evidence(statement, 22);
    auto& list = statement.column_text(15) == "job" ? snapshot.jobs : snapshot.migrated;
    list.push_back(std::move(job));
  }
}

void load_workers(catalog::Database& db, std::int64_t scan_id,
                  const std::unordered_map<std::int64_t, std::size_t>& host_index,
                  Snapshot& snapshot) {
  auto exists = db.prepare(
      "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'worker_facts'");
  if (!exists.step() || exists.column_int(0) == 0) {
    return; // a catalog written before workers existed (schema < 6)
  }
  auto statement = db.prepare(
      "SELECT r.host_id, w.manager, w.name, COALESCE(e.run_as, s.owner), e.command, e.language, "
      "e.evidence, w.instances, w.restart, w.autostart, w.rejected, s.path, e.line_number, "
      "e.verdict, e.fingerprint, e.flags "
      "FROM host_results r JOIN cron_sources s ON s.host_result_id = r.id "
      "JOIN entries e ON e.source_id = s.id JOIN worker_facts w ON w.entry_id = e.id "
      "WHERE r.scan_id = ?1 AND e.kind = 'worker'");
  statement.bind(1, scan_id);
  while (statement.step()) {
    WorkerRow worker;
    worker.host = host_index.at(statement.column_int(0));
    worker.manager = statement.column_text(1);
    worker.name = statement.column_bytes(2);
    worker.owner = statement.column_bytes(3);
    worker.command = statement.column_bytes(4);
    worker.language = statement.column_text(5);
    if (worker.language.empty()) {
      worker.language = "unknown";
    }
    worker.evidence = statement.column_bytes(6);
    worker.instances = statement.column_int(7);
    worker.restart = statement.column_text(8);
    worker.autostart = statement.column_int(9) != 0;
    worker.rejected = statement.column_bytes(10);
    worker.file = statement.column_bytes(11);
    worker.line = static_cast<int>(statement.column_int(12));
    worker.verdict = statement.column_text(13);
    worker.fingerprint = statement.column_text(14);
    worker.flags = split_lines(statement.column_text(15));
    snapshot.workers.push_back(std::move(worker));
  }
  std::stable_sort(snapshot.workers.begin(), snapshot.workers.end(),
                   [](const WorkerRow& a, const WorkerRow& b) {
                     return std::tie(a.host, a.file, a.line) < std::tie(b.host, b.file, b.line);
                   });
}

} // namespace

catalog::Catalog open_catalog(const std::string& path) {
  return catalog::Catalog::open(path, catalog::Mode::read_only);
}

catalog::ScanSummary resolve_scan(catalog::Catalog& catalog, std::string_view spec) {
  if (spec.empty() || spec == "latest") {
    for (const auto& scan : catalog.scans()) { // newest first
      if (scan.status == catalog::ScanStatus::complete ||
          scan.status == catalog::ScanStatus::interrupted) {
        return scan;
      }
    }
    throw catalog::CatalogError(
        fmt::format("{}: no complete or interrupted scan in this catalog yet", catalog.path()));
  }
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(spec.data(), spec.data() + spec.size(), id);
  if (error != std::errc{} || end != spec.data() + spec.size() || id <= 0) {
    throw util::UsageError(fmt::format("--scan must be a scan id or 'latest', not '{}'", spec));
  }
  auto scan = catalog.scan(id);
  if (!scan) {
    throw util::UsageError(
        fmt::format("no scan {} in {} (see `digger-scan scans`)", id, catalog.path()));
  }
  return *scan;
}

Snapshot load_snapshot(catalog::Catalog& catalog, const catalog::ScanSummary& scan,
                       const LoadOptions& options) {
  Snapshot snapshot;
  snapshot.scan = scan;
  auto& db = catalog.database();
  const auto host_index = load_hosts(db, scan.id, snapshot.hosts);
  load_unreadable_paths(db, scan.id, host_index, snapshot.hosts);
  // The scan row counts its jobs: reserving exactly avoids a vector twice too big for a fleet.
  snapshot.jobs.reserve(static_cast<std::size_t>(std::max<std::int64_t>(scan.jobs, 0)));
  load_jobs(db, scan.id, host_index, options.details, snapshot);
  // SQL sorted the hosts; jobs follow host order, then file and line, for stable output.
  const auto by_place = [](const JobRow& a, const JobRow& b) {
    return std::tie(a.host, a.file, a.line) < std::tie(b.host, b.file, b.line);
  };
  if (!std::is_sorted(snapshot.jobs.begin(), snapshot.jobs.end(), by_place)) {
    std::sort(snapshot.jobs.begin(), snapshot.jobs.end(), by_place);
  }
  std::sort(snapshot.migrated.begin(), snapshot.migrated.end(), by_place);
  load_workers(db, scan.id, host_index, snapshot);
  if (options.derived) {
    compute_derived_fields(snapshot);
  }
  return snapshot;
}

} // namespace digger::report
