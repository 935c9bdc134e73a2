#pragma once

// Where a command finds the catalog when --db is not given.

#include <string>

namespace digger::cli {

// $DIGGER_DB when it is set and not empty, else ./digger.db (catalog::default_catalog_path).
// Read when the command line is defined, so --db always wins.
std::string default_db_path();

} // namespace digger::cli
