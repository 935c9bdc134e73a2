#include "digger/catalog/queries/host_history.hpp"

#include "catalog_access.hpp"
#include "stored_text.hpp"

namespace digger::catalog {

std::vector<HostHistory> host_history(Catalog& catalog) {
  internal::Connection connection(catalog);
  auto statement = connection.db().prepare(R"sql(
    SELECT h.name, h.port, h.labels_json, last.scan_id, last.status, last.reason,
           ok.scan_id, COALESCE(s.finished_at, s.started_at), ok.jobs
      FROM hosts h
      LEFT JOIN host_results last ON last.id =
           (SELECT r.id FROM host_results r WHERE r.host_id = h.id ORDER BY r.scan_id DESC LIMIT 1)
      LEFT JOIN host_results ok ON ok.id =
           (SELECT r.id FROM host_results r WHERE r.host_id = h.id
               AND r.status IN ('ok', 'partial') ORDER BY r.scan_id DESC LIMIT 1)
      LEFT JOIN scans s ON s.id = ok.scan_id
     ORDER BY h.name, h.port)sql");
  std::vector<HostHistory> hosts;
  while (statement.step()) {
    HostHistory host;
    host.name = statement.column_bytes(0);
    host.port = static_cast<int>(statement.column_int(1));
    host.labels = parse_labels(statement.column_text(2));
    host.last_scan = statement.column_int(3);
    host.last_status = statement.column_text(4);
    host.last_reason = statement.column_bytes(5);
    host.last_ok_scan = statement.column_int(6);
    host.last_ok_at = statement.column_text(7);
    host.last_ok_jobs = statement.column_int(8);
    hosts.push_back(std::move(host));
  }
  return hosts;
}

} // namespace digger::catalog
