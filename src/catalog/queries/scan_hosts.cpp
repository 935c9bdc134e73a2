#include "digger/catalog/queries/scan_hosts.hpp"

#include <unordered_map>

#include "catalog_access.hpp"
#include "rows.hpp"

namespace digger::catalog {
namespace {

ScanHostRow read_host(const Statement& row) {
  ScanHostRow host;
  ColumnReader(row).read(host.host_id, host.name, host.port, host.labels, host.status, host.reason,
                         host.timezone, host.os_id, host.os_version, host.jobs);
  return host;
}

std::vector<ScanHostRow> load_hosts(Database& db, std::int64_t scan_id) {
  return collect_rows(
      db,
      "SELECT h.id, h.name, h.port, h.labels_json, r.status, r.reason, r.timezone, r.os_id, "
      "r.os_version, r.jobs FROM host_results r JOIN hosts h ON h.id = r.host_id "
      "WHERE r.scan_id = ?1 ORDER BY h.name, h.port",
      read_host, scan_id);
}

void load_unreadable_paths(Database& db, std::int64_t scan_id, std::vector<ScanHostRow>& hosts) {
  std::unordered_map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    index[hosts[i].host_id] = i;
  }
  for_each_row(
      db,
      "SELECT r.host_id, u.path FROM unreadable_paths u JOIN host_results r "
      "ON r.id = u.host_result_id WHERE r.scan_id = ?1 ORDER BY r.host_id, u.path",
      [&](const Statement& row) {
        hosts.at(index.at(row.column_int(0))).unreadable_paths.push_back(row.column_bytes(1));
      },
      scan_id);
}

} // namespace

std::vector<ScanHostRow> scan_hosts(Catalog& catalog, std::int64_t scan_id) {
  internal::Connection connection(catalog);
  auto hosts = load_hosts(connection.db(), scan_id);
  load_unreadable_paths(connection.db(), scan_id, hosts);
  return hosts;
}

} // namespace digger::catalog
