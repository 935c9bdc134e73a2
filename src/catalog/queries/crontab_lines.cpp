#include "digger/catalog/queries/crontab_lines.hpp"

#include "catalog_access.hpp"
#include "rows.hpp"

namespace digger::catalog {

namespace {

CrontabLineRow read_line(const Statement& row) {
  CrontabLineRow line;
  std::string kind;
  ColumnReader(row).read(line.host, line.port, line.path, line.line_number, kind, line.raw);
  line.env = kind == "env";
  return line;
}

} // namespace

void for_each_crontab_line(Catalog& catalog, std::int64_t scan_id,
                           const std::function<void(CrontabLineRow&&)>& visit) {
  internal::Connection connection(catalog);
  for_each_row(
      connection.db(),
      "SELECT h.name, h.port, s.path, e.line_number, e.kind, e.raw "
      "FROM host_results r JOIN hosts h ON h.id = r.host_id "
      "JOIN cron_sources s ON s.host_result_id = r.id JOIN entries e ON e.source_id = s.id "
      "WHERE r.scan_id = ?1 AND e.kind IN ('job', 'env') "
      "ORDER BY h.name, h.port, s.path, e.line_number",
      [&](const Statement& row) { visit(read_line(row)); }, scan_id);
}

} // namespace digger::catalog
