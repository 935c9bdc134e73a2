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

} // namespace digger::cli
