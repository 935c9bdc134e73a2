#include "digger/catalog/catalog.hpp"
#include "digger/cli/command.hpp"
#include "digger/cli/global_options.hpp"

#include <fmt/format.h>
#include <libssh2.h>

#include <cstdio>
#include <exception>
#include <new>
#include <string>

namespace {

// "digger-scan 0.1.0", then the libraries it runs with (the ones loaded, not the headers').
std::string version_text() {
  const char* ssh = libssh2_version(0);
  return fmt::format("digger-scan {}\nlibssh2 {}, SQLite {}", DIGGER_VERSION,
                     ssh != nullptr ? ssh : "?", digger::catalog::sqlite_library_version());
}

using namespace digger::cli;

// "digger-scan" or "digger-scan report": the prefix of every error line.
std::string command_name(CLI::App& app) {
  const auto chosen = app.get_subcommands();
  return chosen.empty() ? "digger-scan" : "digger-scan " + chosen.front()->get_name();
}

// The config file in use, for its errors.
std::string config_file_name(CLI::App& app) {
  const CLI::Option* config = app.get_config_ptr();
  return config != nullptr && !config->results().empty() ? config->results().front() : "config";
}

// CLI11's own messages ("files is required") get the same prefix as ours.
int parse_failure(CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    app.exit(error); // --help, --version
    return exit_ok;
  }
  fmt::print(stderr, "{}: {}\nRun with --help for more information.\n", command_name(app),
             error.what());
  return exit_usage;
}

} // namespace

#include "digger/cli/command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"digger-scan: find the hidden batches (cron jobs) of a server fleet over SSH"};
  app.set_version_flag("--version", version_text);
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
  GlobalOptions globals;
  globals.attach(app);
  // The one place where exceptions become exit codes (include/digger/util/result.hpp).
  try {
    app.parse(argc, argv);
    globals.carry(app);
    if (!action) {
      fmt::print(stderr, "{}", app.help());
      return exit_usage;
    }
    return action();
  } catch (const CLI::ConfigError& e) {
    fmt::print(stderr, "{}: {}\n", command_name(app),
               describe_config_error(config_file_name(app), e));
    return exit_usage;
  } catch (const CLI::ParseError& e) {
    return parse_failure(app, e);
  } catch (const digger::util::UsageError& e) {
    fmt::print(stderr, "{}: {}\n", command_name(app), e.what());
    return exit_usage;
  } catch (const digger::catalog::CatalogError& e) {
    fmt::print(stderr, "digger-scan: {}\n", e.what());
    return exit_catalog;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "digger-scan: internal error: out of memory\n");
    return exit_internal;
  } catch (const std::exception& e) {
    fmt::print(stderr, "digger-scan: internal error: {}\n", e.what());
    return exit_internal;
  }
}
