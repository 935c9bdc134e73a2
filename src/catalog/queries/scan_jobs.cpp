#include "digger/catalog/queries/scan_jobs.hpp"

#include <fmt/format.h>

#include "catalog_access.hpp"
#include "rows.hpp"
#include "run_columns.hpp"

namespace digger::catalog {
namespace {

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

// The columns every reader wants, then the details (a report's, not a count's), then
// entry_runs' (run_columns.hpp) from job_run_first on.
constexpr int job_run_first = 24;

const std::string& jobs_sql() {
  static const std::string sql = fmt::format(
      "SELECT r.host_id, COALESCE(e.run_as, s.owner), e.schedule_text, e.normalized_schedule, "
      "e.cron_tz, e.command, e.language, s.path, e.line_number, s.kind, s.loaded_by_daemon, "
      "e.fingerprint, e.kind, e.verdict, e.managed_by, "
      "CASE WHEN s.kind = 'timer' THEN substr(e.raw, 1, instr(e.raw, '=') - 1) END, "
      "k.crontab, k.clock, e.description, e.evidence, e.target, e.verdict_reasons, e.flags, "
      "e.schedule_origin, {} "
      "FROM host_results r JOIN cron_sources s ON s.host_result_id = r.id "
      "JOIN entries e ON e.source_id = s.id LEFT JOIN entry_runs x ON x.entry_id = e.id "
      "LEFT JOIN source_kinds k ON k.name = s.kind WHERE "
      "r.scan_id = ?1 AND (e.kind = 'job' OR "
      "(e.kind = 'disabled-job' AND e.verdict = 'migrated'))",
      run_columns("x"));
  return sql;
}

ScanJobRow read_job(const Statement& row, bool details) {
  ScanJobRow job;
  std::string kind, timer_key;
  ColumnReader columns(row);
  columns.read(job.host_id, job.owner, job.schedule_text, job.normalized_schedule, job.cron_tz,
               job.command, job.language, job.path, job.line_number, job.source_kind,
               job.loaded_by_daemon, job.fingerprint, kind, job.verdict, job.managed_by, timer_key,
               job.source_grammar, job.source_clock);
  if (details) {
    columns.read(job.description, job.evidence, job.target, job.verdict_reasons, job.flags,
                 job.schedule_origin);
  }
  job.migrated = kind != "job";
  job.timer_key = trimmed(timer_key);
  job.run = read_run_columns(row, job_run_first);
  return job;
}

ScanProgramRow read_program(const Statement& row) {
  ScanProgramRow program;
  ColumnReader(row).read(program.host_id, program.path, program.exists, program.type,
                         program.go_version, program.go_module, program.sha256);
  return program;
}

} // namespace

void for_each_scan_job(Catalog& catalog, std::int64_t scan_id, bool details,
                       const std::function<void(ScanJobRow&&)>& visit) {
  internal::Connection connection(catalog);
  for_each_row(
      connection.db(), jobs_sql(), [&](const Statement& row) { visit(read_job(row, details)); },
      scan_id);
}

std::vector<ScanProgramRow> scan_programs(Catalog& catalog, std::int64_t scan_id) {
  internal::Connection connection(catalog);
  return collect_rows(
      connection.db(),
      "SELECT r.host_id, p.path, p.file_exists, p.type, p.go_version, p.go_module, p.sha256 "
      "FROM programs p JOIN host_results r ON r.id = p.host_result_id WHERE r.scan_id = ?1",
      read_program, scan_id);
}

} // namespace digger::catalog
