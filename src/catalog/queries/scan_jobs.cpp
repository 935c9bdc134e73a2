#include "digger/catalog/queries/scan_jobs.hpp"

#include <fmt/format.h>

#include "catalog_access.hpp"
#include "run_columns.hpp"
#include "stored_text.hpp"

namespace digger::catalog {
namespace {

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

// entry_runs' columns follow the 22 columns read_job reads.
constexpr int job_run_first = 22;

const std::string& jobs_sql() {
  static const std::string sql = fmt::format(
      "SELECT r.host_id, COALESCE(e.run_as, s.owner), e.schedule_text, e.normalized_schedule, "
      "e.cron_tz, e.description, e.command, e.language, e.evidence, e.target, s.path, "
      "e.line_number, s.kind, s.loaded_by_daemon, e.fingerprint, e.kind, e.verdict, "
      "e.managed_by, e.verdict_reasons, e.flags, e.schedule_origin, "
      "CASE WHEN s.kind = 'timer' THEN substr(e.raw, 1, instr(e.raw, '=') - 1) END, {} "
      "FROM host_results r JOIN cron_sources s ON s.host_result_id = r.id "
      "JOIN entries e ON e.source_id = s.id LEFT JOIN entry_runs x ON x.entry_id = e.id WHERE "
      "r.scan_id = ?1 AND (e.kind = 'job' OR "
      "(e.kind = 'disabled-job' AND e.verdict = 'migrated'))",
      run_columns("x"));
  return sql;
}

ScanJobRow read_job(const Statement& statement, bool details) {
  ScanJobRow job;
  job.host_id = statement.column_int(0);
  job.owner = statement.column_bytes(1);
  job.schedule_text = statement.column_bytes(2);
  job.normalized_schedule = statement.column_text(3);
  job.cron_tz = statement.column_bytes(4);
  if (details) {
    job.description = statement.column_bytes(5);
    job.evidence = statement.column_bytes(8);
    job.target = statement.column_bytes(9);
    job.verdict_reasons = split_lines(statement.column_bytes(18));
    job.flags = split_lines(statement.column_text(19));
    job.schedule_origin = statement.column_bytes(20);
  }
  job.command = statement.column_bytes(6);
  job.language = statement.column_text(7);
  job.path = statement.column_bytes(10);
  job.line_number = static_cast<int>(statement.column_int(11));
  job.source_kind = statement.column_text(12);
  job.loaded_by_daemon = statement.column_int(13) != 0;
  job.fingerprint = statement.column_text(14);
  job.migrated = statement.column_text(15) != "job";
  job.verdict = statement.column_text(16);
  job.managed_by = statement.column_bytes(17);
  job.timer_key = trimmed(statement.column_bytes(21));
  job.run = read_run_columns(statement, job_run_first);
  return job;
}

} // namespace

void for_each_scan_job(Catalog& catalog, std::int64_t scan_id, bool details,
                       const std::function<void(ScanJobRow&&)>& visit) {
  internal::Connection connection(catalog);
  auto statement = connection.db().prepare(jobs_sql());
  statement.bind(1, scan_id);
  while (statement.step()) {
    visit(read_job(statement, details));
  }
}

std::vector<ScanProgramRow> scan_programs(Catalog& catalog, std::int64_t scan_id) {
  internal::Connection connection(catalog);
  auto statement = connection.db().prepare(
      "SELECT r.host_id, p.path, p.file_exists, p.type, p.go_version, p.go_module, p.sha256 "
      "FROM programs p JOIN host_results r ON r.id = p.host_result_id WHERE r.scan_id = ?1");
  statement.bind(1, scan_id);
  std::vector<ScanProgramRow> programs;
  while (statement.step()) {
    ScanProgramRow program;
    program.host_id = statement.column_int(0);
    program.path = statement.column_bytes(1);
    program.exists = statement.column_int(2) != 0;
    program.type = statement.column_text(3);
    program.go_version = statement.column_text(4);
    program.go_module = statement.column_bytes(5);
    program.sha256 = statement.column_text(6);
    programs.push_back(std::move(program));
  }
  return programs;
}

} // namespace digger::catalog
