#include "digger/catalog/queries/scan_totals.hpp"

#include "catalog_access.hpp"
#include "rows.hpp"

namespace digger::catalog {
namespace {

Counts counts(Database& db, std::string_view sql, std::int64_t scan_id) {
  return collect_rows(
      db, sql,
      [](const Statement& row) { return std::pair(row.column_text(0), row.column_int(1)); },
      scan_id);
}

std::int64_t count(Database& db, std::string_view sql, std::int64_t scan_id) {
  std::int64_t total = 0;
  for_each_row(
      db, sql, [&](const Statement& row) { total = row.column_int(0); }, scan_id);
  return total;
}

FailedHost read_failed_host(const Statement& row) {
  FailedHost host;
  ColumnReader(row).read(host.name, host.port, host.status, host.reason);
  return host;
}

std::vector<FailedHost> failed_hosts(Database& db, std::int64_t scan_id) {
  return collect_rows(db,
                      "SELECT h.name, h.port, r.status, r.reason FROM host_results r "
                      "JOIN hosts h ON h.id = r.host_id WHERE r.scan_id = ?1 AND "
                      "r.status <> 'ok' ORDER BY r.status, h.name, h.port",
                      read_failed_host, scan_id);
}

} // namespace

ScanTotals scan_totals(Catalog& catalog, std::int64_t scan_id) {
  internal::Connection connection(catalog);
  Database& db = connection.db();
  ScanTotals totals;
  totals.hosts_by_status = counts(db,
                                  "SELECT status, COUNT(*) FROM host_results WHERE scan_id = ?1 "
                                  "GROUP BY status ORDER BY COUNT(*) DESC, status",
                                  scan_id);
  totals.not_ok = failed_hosts(db, scan_id);
  totals.files = count(db,
                       "SELECT COUNT(*) FROM cron_sources s JOIN host_results r "
                       "ON r.id = s.host_result_id WHERE r.scan_id = ?1",
                       scan_id);
  totals.entries = count(db,
                         "SELECT COUNT(*) FROM entries e JOIN cron_sources s ON s.id = e.source_id "
                         "JOIN host_results r ON r.id = s.host_result_id WHERE r.scan_id = ?1",
                         scan_id);
  totals.jobs = count(db, "SELECT COUNT(*) FROM all_jobs WHERE scan_id = ?1", scan_id);
  totals.jobs_by_language = counts(db,
                                   "SELECT COALESCE(language, 'unknown'), COUNT(*) FROM all_jobs "
                                   "WHERE scan_id = ?1 GROUP BY 1 ORDER BY 2 DESC, 1",
                                   scan_id);
  totals.jobs_by_owner = counts(db,
                                "SELECT owner, COUNT(*) FROM all_jobs WHERE scan_id = ?1 "
                                "GROUP BY 1 ORDER BY 2 DESC, 1",
                                scan_id);
  return totals;
}

} // namespace digger::catalog
