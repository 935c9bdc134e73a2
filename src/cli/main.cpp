#include "digger/catalog/sqlite.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "command.hpp"

int main(int argc, char** argv) {
  using namespace digger::cli;
  CLI::App app{"digger-scan: find the hidden batches (cron jobs) of a server fleet over SSH"};
  app.set_version_flag("--version", DIGGER_VERSION);
  app.require_subcommand(0, 1);
  Action action;
  // Subcommands register here, one line each.
  add_next_command(app, action);
  add_parse_command(app, action);
  add_scan_command(app, action);
  add_convert_command(app, action);
  add_export_command(app, action);
  add_report_command(app, action);
  add_diff_command(app, action);
  add_scans_commands(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }
  if (!action) {
    fmt::print(stderr, "{}", app.help());
    return exit_usage;
  }
  try {
    return action();
  } catch (const digger::catalog::CatalogError& e) {
    fmt::print(stderr, "digger-scan: {}\n", e.what());
    return exit_catalog;
  } catch (const std::exception& e) {
    fmt::print(stderr, "digger-scan: {}\n", e.what());
    return exit_usage;
  }
}
