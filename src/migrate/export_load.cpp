#include "digger/migrate/export_load.hpp"

namespace digger::migrate {

CrontabLines load_crontab_lines(catalog::Catalog& catalog, std::int64_t scan_id) {
  auto statement = catalog.database().prepare(
      "SELECT h.name, h.port, s.path, e.line_number, e.kind, e.raw "
      "FROM host_results r JOIN hosts h ON h.id = r.host_id "
      "JOIN cron_sources s ON s.host_result_id = r.id JOIN entries e ON e.source_id = s.id "
      "WHERE r.scan_id = ?1 AND e.kind IN ('job', 'env') "
      "ORDER BY h.name, h.port, s.path, e.line_number");
  statement.bind(1, scan_id);
  std::map<SourceKey, std::vector<CrontabLine>> files;
  while (statement.step()) {
    SourceKey key{statement.column_bytes(0), static_cast<int>(statement.column_int(1)),
                  statement.column_bytes(2)};
    files[key].push_back({static_cast<int>(statement.column_int(3)),
                          statement.column_text(4) == "env", statement.column_bytes(5)});
  }
  CrontabLines lines;
  for (auto& [key, file] : files) {
    lines.emplace(key, std::make_shared<const std::vector<CrontabLine>>(std::move(file)));
  }
  return lines;
}

} // namespace digger::migrate
