#pragma once

// The catalog's one SQLite connection, for the catalog stage's own files (the typed queries in
// src/catalog/queries/) and for the tests that check what was stored. Other stages never see
// it: they read through digger/catalog/queries/, so SQL stays in src/catalog and a query written
// elsewhere fails to compile (docs/catalog.md, "Who owns the SQL"). The build gives this folder
// only to the catalog stage and to the targets that link digger_catalog_internal.

#include "digger/catalog/catalog.hpp"

#include <mutex>

#include "sqlite.hpp"

namespace digger::catalog::internal {

class CatalogAccess {
public:
  static Database& database(Catalog& catalog);
  // The mutex every Catalog method holds: see Connection.
  static std::mutex& mutex(Catalog& catalog);
};

// The connection with the Catalog's mutex held for the object's lifetime, as a Catalog method
// holds it: a query run through it never interleaves with a Writer's batch on the same Catalog.
class Connection {
public:
  explicit Connection(Catalog& catalog)
      : lock_(CatalogAccess::mutex(catalog)), db_(CatalogAccess::database(catalog)) {}
  Database& db() { return db_; }

private:
  std::lock_guard<std::mutex> lock_;
  Database& db_;
};

// For tests (one thread): the connection without taking the lock.
inline Database& database(Catalog& catalog) {
  return CatalogAccess::database(catalog);
}

} // namespace digger::catalog::internal
