#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace digger::cli {

// Exit codes shared by every subcommand (documented in docs/digger-scan.1.md).
enum ExitCode : int {
  exit_ok = 0,
  exit_partial = 1, // some hosts failed; for `diff`: something changed
  exit_usage = 2,   // bad flags or bad input file
  exit_catalog = 3, // the catalog cannot be opened, read or written
};

// Each subcommand adds itself to the app and, when chosen, stores in `action` the code that
// main() runs once the whole command line has been parsed.
using Action = std::function<int()>;

// One declaration per subcommand, implemented in src/cli/<name>_command.cpp.
void add_next_command(CLI::App& app, Action& action);
void add_parse_command(CLI::App& app, Action& action);
void add_report_command(CLI::App& app, Action& action);
void add_diff_command(CLI::App& app, Action& action);
void add_scans_commands(CLI::App& app, Action& action); // `scans` and `hosts`
// The scan is the top-level command: its options sit on the app itself.
void add_scan_command(CLI::App& app, Action& action);
void add_convert_command(CLI::App& app, Action& action);
void add_export_command(CLI::App& app, Action& action);

} // namespace digger::cli
