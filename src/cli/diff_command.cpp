// `digger-scan diff`: what changed in the fleet's cron jobs between two scans.

#include "digger/catalog/catalog.hpp"
#include "digger/report/diff.hpp"
#include "digger/report/diff_render.hpp"
#include "digger/report/load.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <unistd.h>

#include "command.hpp"

namespace digger::cli {
namespace {

struct DiffOptions {
  std::string db = catalog::default_catalog_path;
  std::string from;
  std::string to = "latest";
  std::string format = "table";
};

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

int run_diff(const DiffOptions& options) {
  report::Diff diff;
  try {
    auto catalog = report::open_catalog(options.db);
    const auto [from, to] = report::resolve_diff_scans(catalog, options.from, options.to);
    if (from.id == to.id) {
      throw report::UsageError(fmt::format("--from and --to are both scan {}", to.id));
    }
    const report::LoadOptions lean{.derived = false, .details = false};
    const auto before = report::load_snapshot(catalog, from, lean);
    const auto after = report::load_snapshot(catalog, to, lean);
    diff = report::diff_snapshots(before, after);
  } catch (const report::UsageError& e) {
    fmt::print(stderr, "digger-scan diff: {}\n", e.what());
    return exit_usage;
  }
  std::string document;
  if (options.format == "json") {
    document = report::render_diff_json(diff);
  } else if (options.format == "csv") {
    document = report::render_diff_csv(diff);
  } else {
    document = report::render_diff_table(diff, {use_color(), 80});
  }
  std::fwrite(document.data(), 1, document.size(), stdout);
  std::fflush(stdout);
  // 0: nothing changed, 1: something did (like diff(1)).
  return diff.anything_changed() ? exit_partial : exit_ok;
}

} // namespace

void add_diff_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<DiffOptions>();
  CLI::App* diff = app.add_subcommand(
      "diff", "Compare two scans: jobs added, removed, changed, moved; exit 1 if anything changed");
  diff->add_option("--db", options->db, "Catalog file")->capture_default_str();
  diff->add_option("--from", options->from,
                   "Older scan: id, or a date (newest complete scan on or before it); default: "
                   "the newest complete scan at least 7 days older than --to, else the one "
                   "before it");
  diff->add_option("--to", options->to, "Newer scan: id or 'latest' (newest complete scan)")
      ->capture_default_str();
  diff->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  diff->callback([options, &action] { action = [options] { return run_diff(*options); }; });
}

} // namespace digger::cli
