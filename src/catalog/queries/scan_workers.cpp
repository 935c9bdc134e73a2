#include "digger/catalog/queries/scan_workers.hpp"

#include "catalog_access.hpp"
#include "stored_text.hpp"

namespace digger::catalog {
namespace {

bool has_worker_facts(Database& db) {
  auto exists = db.prepare(
      "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'worker_facts'");
  return exists.step() && exists.column_int(0) != 0;
}

ScanWorkerRow read_worker(const Statement& statement) {
  ScanWorkerRow worker;
  worker.host_id = statement.column_int(0);
  worker.manager = statement.column_text(1);
  worker.name = statement.column_bytes(2);
  worker.owner = statement.column_bytes(3);
  worker.command = statement.column_bytes(4);
  worker.language = statement.column_text(5);
  worker.evidence = statement.column_bytes(6);
  worker.instances = statement.column_int(7);
  worker.restart = statement.column_text(8);
  worker.autostart = statement.column_int(9) != 0;
  worker.rejected = statement.column_bytes(10);
  worker.path = statement.column_bytes(11);
  worker.line_number = static_cast<int>(statement.column_int(12));
  worker.verdict = statement.column_text(13);
  worker.fingerprint = statement.column_text(14);
  worker.flags = split_lines(statement.column_text(15));
  if (!statement.column_is_null(16)) {
    worker.unexpected_exits = statement.column_int(16);
  }
  worker.gave_up = statement.column_int(17);
  worker.last_exit = statement.column_text(18);
  worker.gave_up_at = statement.column_text(19);
  return worker;
}

} // namespace

std::vector<ScanWorkerRow> scan_workers(Catalog& catalog, std::int64_t scan_id) {
  internal::Connection connection(catalog);
  Database& db = connection.db();
  std::vector<ScanWorkerRow> workers;
  if (!has_worker_facts(db)) {
    return workers; // a catalog written before workers existed (schema < 6)
  }
  auto statement = db.prepare(
      "SELECT r.host_id, w.manager, w.name, COALESCE(e.run_as, s.owner), e.command, e.language, "
      "e.evidence, w.instances, w.restart, w.autostart, w.rejected, s.path, e.line_number, "
      "e.verdict, e.fingerprint, e.flags, w.unexpected_exits, w.gave_up, w.last_exit, "
      "w.gave_up_at "
      "FROM host_results r JOIN cron_sources s ON s.host_result_id = r.id "
      "JOIN entries e ON e.source_id = s.id JOIN worker_facts w ON w.entry_id = e.id "
      "WHERE r.scan_id = ?1 AND e.kind = 'worker'");
  statement.bind(1, scan_id);
  while (statement.step()) {
    workers.push_back(read_worker(statement));
  }
  return workers;
}

} // namespace digger::catalog
