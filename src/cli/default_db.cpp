#include "digger/cli/default_db.hpp"

#include "digger/catalog/catalog.hpp"

#include <cstdlib>

namespace digger::cli {

std::string default_db_path() {
  const char* from_environment = std::getenv("DIGGER_DB");
  if (from_environment != nullptr && from_environment[0] != '\0') {
    return from_environment;
  }
  return catalog::default_catalog_path;
}

void add_db_option(CLI::App& command, std::string& db) {
  command.add_option("--db", db, "Catalog file")->capture_default_str();
}

void add_scan_option(CLI::App& command, std::string& scan) {
  command.add_option("--scan", scan, "Scan id, or 'latest' (newest complete scan)")
      ->capture_default_str();
}

} // namespace digger::cli
