#include "digger/migrate/export_load.hpp"

#include "digger/catalog/queries/crontab_lines.hpp"

namespace digger::migrate {

CrontabLines load_crontab_lines(catalog::Catalog& catalog, std::int64_t scan_id) {
  std::map<SourceKey, std::vector<CrontabLine>> files;
  catalog::for_each_crontab_line(catalog, scan_id, [&](catalog::CrontabLineRow&& row) {
    SourceKey key{std::move(row.host), row.port, std::move(row.path)};
    files[key].push_back({row.line_number, row.env, std::move(row.raw)});
  });
  CrontabLines lines;
  for (auto& [key, file] : files) {
    lines.emplace(key, std::make_shared<const std::vector<CrontabLine>>(std::move(file)));
  }
  return lines;
}

} // namespace digger::migrate
