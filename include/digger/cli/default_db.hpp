#pragma once

// Where a command finds the catalog: --db (and its default when not given) and --scan.

#include <CLI/CLI.hpp>

#include <string>

namespace digger::cli {

// $DIGGER_DB when it is set and not empty, else ./digger.db (catalog::default_catalog_path).
// Read when the command line is defined, so --db always wins.
std::string default_db_path();

// --db FILE, its default shown in --help (`db` starts as default_db_path()).
void add_db_option(CLI::App& command, std::string& db);
// --scan ID or 'latest', its default shown in --help.
void add_scan_option(CLI::App& command, std::string& scan);

} // namespace digger::cli
