#include "probe.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.hpp"
#include "sqlite.hpp"

namespace digger::catalog {

namespace {

constexpr std::string_view sqlite_magic{"SQLite format 3\0", 16};
constexpr std::size_t sqlite_header_size = 100;

void check_header(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw CatalogError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  }
  std::array<char, sqlite_header_size> header{};
  ssize_t n = ::pread(fd, header.data(), header.size(), 0);
  ::close(fd);
  if (n < 0) {
    throw CatalogError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  }
  if (static_cast<std::size_t>(n) < sqlite_header_size ||
      std::string_view(header.data(), sqlite_magic.size()) != sqlite_magic) {
    throw CatalogError(fmt::format("{}: not a SQLite database (left untouched)", path));
  }
}

struct Inspection {
  std::string verdict; // PRAGMA quick_check's first line: "ok" when sound
  std::int64_t version = 0;
  std::int64_t app_id = 0;
  bool has_tables = false;
};

// quick_check reads every page: it catches damage that a header check cannot.
Inspection inspect(const std::string& path) {
  Database db(path, Database::Access::read_only);
  Inspection result;
  Statement check = db.prepare("PRAGMA quick_check(1)");
  result.verdict = check.step() ? one_line(check.column_text(0)) : "no answer";
  if (result.verdict == "ok") {
    result.version = db.query_int("PRAGMA user_version");
    result.app_id = db.query_int("PRAGMA application_id");
    result.has_tables = db.query_int("SELECT COUNT(*) FROM sqlite_schema") > 0;
  }
  return result;
}

} // namespace

FileProbe probe_catalog_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) {
      return FileProbe{.is_new = true};
    }
    throw CatalogError(fmt::format("{}: {}", path, std::strerror(errno)));
  }
  if (!S_ISREG(info.st_mode)) {
    throw CatalogError(fmt::format("{}: not a regular file", path));
  }
  if (info.st_size == 0) {
    return FileProbe{.is_new = true};
  }
  check_header(path);
  Inspection inspection;
  try {
    inspection = inspect(path);
  } catch (const CatalogError& error) {
    throw CatalogError(fmt::format("{} (left untouched)", error.what()));
  }
  if (inspection.verdict != "ok") {
    throw CatalogError(
        fmt::format("{}: the catalog is corrupt: {} (left untouched)", path, inspection.verdict));
  }
  check_schema_compatible(path, inspection.version, inspection.app_id, inspection.has_tables);
  return FileProbe{.is_new = false, .schema_version = inspection.version};
}

} // namespace digger::catalog
