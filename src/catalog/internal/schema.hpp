#pragma once

// The catalog's schema steps: internal to the catalog stage and its tests.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sqlite.hpp"

namespace digger::catalog {

// "DIGR" in PRAGMA application_id: tells a Digger catalog from any other SQLite file.
inline constexpr std::int64_t application_id = 0x44494752;

// Step N turns a version N-1 catalog into version N. Steps are never edited once released:
// a change is a new step appended at the end (docs/catalog.md keeps the history).
struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
  // The step rebuilds a table (SQLite cannot alter a CHECK constraint): migrate() runs it with
  // foreign keys off, as SQLite's documented procedure asks, and checks them before committing.
  bool rebuilds_tables = false;
};

std::span<const Migration> migrations();
int latest_schema_version();

// Brings the catalog to latest_schema_version(), one transaction per step, so an interrupted
// upgrade leaves a consistent older version behind. Throws CatalogError when the catalog is
// newer than this program or is not a Digger catalog.
void migrate(Database& db);

// Throws CatalogError unless a catalog at `version` with `app_id` can be used by this program.
// `has_tables`: the file already holds tables (a version-0 file with tables is someone else's).
void check_schema_compatible(const std::string& path, std::int64_t version, std::int64_t app_id,
                             bool has_tables);

} // namespace digger::catalog
