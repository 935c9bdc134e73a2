// What every reader shares: the file's own facts as a source row.
#include "digger/collect/host_record.hpp"
#include "digger/collect/readers.hpp"

#include <fmt/format.h>

namespace digger::collect {

std::string parent_directory(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos) {
    return ".";
  }
  return std::string(path.substr(0, slash == 0 ? 1 : slash));
}

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

catalog::SourceRow base_source_row(const CronSource& source, const HostContext& host) {
  catalog::SourceRow row;
  row.path = source.path;
  row.kind = std::string(catalog_kind(source.kind, source.path));
  row.owner = source.owner;
  row.mode = source.mode;
  row.mtime = source.mtime;
  row.size = source.size;
  row.sha256 = sha256_hex(source.content);
  row.truncated = source.truncated;
  row.package = std::string(host.package_of(source.path));
  return row;
}

void note_truncation(catalog::SourceRow& row, const CronSource& source) {
  if (source.truncated) {
    row.load_notes.push_back(fmt::format("truncated: {} of {} bytes read; the last line may be cut",
                                         source.content.size(), source.size));
  }
}

} // namespace digger::collect
