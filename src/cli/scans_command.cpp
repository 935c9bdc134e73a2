// `digger-scan scans` (the scans in the catalog) and `digger-scan hosts` (each host's history).

#include "digger/catalog/catalog.hpp"
#include "digger/cli/command.hpp"
#include "digger/cli/default_db.hpp"
#include "digger/report/history.hpp"
#include "digger/report/load.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

namespace digger::cli {
namespace {

struct ListOptions {
  std::string db = default_db_path();
  std::string format = "table";
};

void print(const std::string& document) {
  std::fwrite(document.data(), 1, document.size(), stdout);
  std::fflush(stdout);
}

int run_scans(const ListOptions& options) {
  auto catalog = report::open_catalog(options.db);
  const auto scans = catalog.scans();
  if (scans.empty()) {
    throw catalog::CatalogError(fmt::format("{}: no scans in this catalog yet", options.db));
  }
  print(options.format == "json" ? report::render_scans_json(scans)
                                 : report::render_scans_table(scans));
  return exit_ok;
}

int run_hosts(const ListOptions& options) {
  auto catalog = report::open_catalog(options.db);
  const auto hosts = report::host_history(catalog);
  if (hosts.empty()) {
    throw catalog::CatalogError(fmt::format("{}: no hosts in this catalog yet", options.db));
  }
  print(options.format == "json" ? report::render_hosts_json(hosts)
                                 : report::render_hosts_table(hosts));
  return exit_ok;
}

CLI::App* add_list(CLI::App& app, const char* name, const char* help,
                   std::shared_ptr<ListOptions> options) {
  CLI::App* command = app.add_subcommand(name, help);
  add_db_option(*command, options->db);
  command->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  return command;
}

} // namespace

void add_scans_commands(CLI::App& app, Action& action) {
  auto scans = std::make_shared<ListOptions>();
  add_list(app, "scans", "List the scans in the catalog with their counts and status", scans)
      ->callback([scans, &action] { action = [scans] { return run_scans(*scans); }; });
  auto hosts = std::make_shared<ListOptions>();
  add_list(app, "hosts", "List every host: its last status and its last successful scan", hosts)
      ->callback([hosts, &action] { action = [hosts] { return run_hosts(*hosts); }; });
}

} // namespace digger::cli
