#include "digger/catalog/queries/scan_hosts.hpp"

#include <unordered_map>

#include "catalog_access.hpp"
#include "stored_text.hpp"

namespace digger::catalog {
namespace {

std::vector<ScanHostRow> load_hosts(Database& db, std::int64_t scan_id) {
  auto statement = db.prepare(
      "SELECT h.id, h.name, h.port, h.labels_json, r.status, r.reason, r.timezone, r.os_id, "
      "r.os_version, r.jobs FROM host_results r JOIN hosts h ON h.id = r.host_id "
      "WHERE r.scan_id = ?1 ORDER BY h.name, h.port");
  statement.bind(1, scan_id);
  std::vector<ScanHostRow> hosts;
  while (statement.step()) {
    ScanHostRow host;
    host.host_id = statement.column_int(0);
    host.name = statement.column_bytes(1);
    host.port = static_cast<int>(statement.column_int(2));
    host.labels = parse_labels(statement.column_text(3));
    host.status = statement.column_text(4);
    host.reason = statement.column_bytes(5);
    host.timezone = statement.column_bytes(6);
    host.os_id = statement.column_bytes(7);
    host.os_version = statement.column_bytes(8);
    host.jobs = statement.column_int(9);
    hosts.push_back(std::move(host));
  }
  return hosts;
}

void load_unreadable_paths(Database& db, std::int64_t scan_id, std::vector<ScanHostRow>& hosts) {
  std::unordered_map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    index[hosts[i].host_id] = i;
  }
  auto statement =
      db.prepare("SELECT r.host_id, u.path FROM unreadable_paths u JOIN host_results r "
                 "ON r.id = u.host_result_id WHERE r.scan_id = ?1 ORDER BY r.host_id, u.path");
  statement.bind(1, scan_id);
  while (statement.step()) {
    hosts.at(index.at(statement.column_int(0)))
        .unreadable_paths.push_back(statement.column_bytes(1));
  }
}

} // namespace

std::vector<ScanHostRow> scan_hosts(Catalog& catalog, std::int64_t scan_id) {
  internal::Connection connection(catalog);
  auto hosts = load_hosts(connection.db(), scan_id);
  load_unreadable_paths(connection.db(), scan_id, hosts);
  return hosts;
}

} // namespace digger::catalog
