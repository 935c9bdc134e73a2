#include "digger/catalog/queries/host_history.hpp"

#include "catalog_access.hpp"
#include "rows.hpp"

namespace digger::catalog {

namespace {

HostHistory read_host(const Statement& row) {
  HostHistory host;
  ColumnReader(row).read(host.name, host.port, host.labels, host.last_scan, host.last_status,
                         host.last_reason, host.last_ok_scan, host.last_ok_at, host.last_ok_jobs);
  return host;
}

} // namespace

std::vector<HostHistory> host_history(Catalog& catalog) {
  internal::Connection connection(catalog);
  return collect_rows(connection.db(), R"sql(
    SELECT h.name, h.port, h.labels_json, last.scan_id, last.status, last.reason,
           ok.scan_id, COALESCE(s.finished_at, s.started_at), ok.jobs
      FROM hosts h
      LEFT JOIN host_results last ON last.id =
           (SELECT r.id FROM host_results r WHERE r.host_id = h.id ORDER BY r.scan_id DESC LIMIT 1)
      LEFT JOIN host_results ok ON ok.id =
           (SELECT r.id FROM host_results r WHERE r.host_id = h.id
               AND r.status IN ('ok', 'partial') ORDER BY r.scan_id DESC LIMIT 1)
      LEFT JOIN scans s ON s.id = ok.scan_id
     ORDER BY h.name, h.port)sql",
                      read_host);
}

} // namespace digger::catalog
