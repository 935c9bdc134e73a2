#pragma once

#include <cstdint>
#include <string>

namespace digger::catalog {

// What is at a catalog path, learned without writing a single byte: the header is read with
// plain read(2), then SQLite opens the file read-only and runs PRAGMA quick_check. Only after
// this may anything switch the file to WAL or migrate it.
struct FileProbe {
  bool is_new = false; // no file, or an empty one (SQLite treats both as a new database)
  std::int64_t schema_version = 0;
};

// Throws CatalogError with one line when the file is not a regular file, not SQLite, corrupt,
// someone else's database, or newer than this program.
FileProbe probe_catalog_file(const std::string& path);

} // namespace digger::catalog
