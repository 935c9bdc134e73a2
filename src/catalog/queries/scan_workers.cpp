#include "digger/catalog/queries/scan_workers.hpp"

#include "catalog_access.hpp"
#include "rows.hpp"

namespace digger::catalog {
namespace {

bool has_worker_facts(Database& db) {
  return db.query_int("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = "
                      "'worker_facts'") != 0;
}

constexpr std::string_view workers_sql =
    "SELECT r.host_id, w.manager, w.name, COALESCE(e.run_as, s.owner), e.command, e.language, "
    "e.evidence, w.instances, w.restart, w.autostart, w.rejected, s.path, e.line_number, "
    "e.verdict, e.fingerprint, e.flags, w.unexpected_exits, w.gave_up, w.last_exit, "
    "w.gave_up_at "
    "FROM host_results r JOIN cron_sources s ON s.host_result_id = r.id "
    "JOIN entries e ON e.source_id = s.id JOIN worker_facts w ON w.entry_id = e.id "
    "WHERE r.scan_id = ?1 AND e.kind = 'worker'";

ScanWorkerRow read_worker(const Statement& row) {
  ScanWorkerRow w;
  ColumnReader(row).read(w.host_id, w.manager, w.name, w.owner, w.command, w.language, w.evidence,
                         w.instances, w.restart, w.autostart, w.rejected, w.path, w.line_number,
                         w.verdict, w.fingerprint, w.flags, w.unexpected_exits, w.gave_up,
                         w.last_exit, w.gave_up_at);
  return w;
}

} // namespace

std::vector<ScanWorkerRow> scan_workers(Catalog& catalog, std::int64_t scan_id) {
  internal::Connection connection(catalog);
  if (!has_worker_facts(connection.db())) {
    return {}; // a catalog written before workers existed (schema < 6)
  }
  return collect_rows(connection.db(), workers_sql, read_worker, scan_id);
}

} // namespace digger::catalog
