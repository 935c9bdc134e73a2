#include "digger/catalog/queries/crontab_lines.hpp"

#include "catalog_access.hpp"

namespace digger::catalog {

void for_each_crontab_line(Catalog& catalog, std::int64_t scan_id,
                           const std::function<void(CrontabLineRow&&)>& visit) {
  internal::Connection connection(catalog);
  auto statement = connection.db().prepare(
      "SELECT h.name, h.port, s.path, e.line_number, e.kind, e.raw "
      "FROM host_results r JOIN hosts h ON h.id = r.host_id "
      "JOIN cron_sources s ON s.host_result_id = r.id JOIN entries e ON e.source_id = s.id "
      "WHERE r.scan_id = ?1 AND e.kind IN ('job', 'env') "
      "ORDER BY h.name, h.port, s.path, e.line_number");
  statement.bind(1, scan_id);
  while (statement.step()) {
    visit({statement.column_bytes(0), static_cast<int>(statement.column_int(1)),
           statement.column_bytes(2), static_cast<int>(statement.column_int(3)),
           statement.column_text(4) == "env", statement.column_bytes(5)});
  }
}

} // namespace digger::catalog
