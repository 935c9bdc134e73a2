// `digger-scan diff`: what changed in the fleet's cron jobs between two scans.

#include "digger/catalog/catalog.hpp"
#include "digger/cli/command.hpp"
#include "digger/cli/default_db.hpp"
#include "digger/report/diff.hpp"
#include "digger/report/diff_filter.hpp"
#include "digger/report/diff_render.hpp"
#include "digger/report/filter.hpp"
#include "digger/report/load.hpp"
#include "digger/report/output.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <string>
#include <unistd.h>

namespace digger::cli {
namespace {

struct DiffOptions {
  std::string db = default_db_path();
  std::string from;
  std::string to = "latest";
  std::string format = "table";
  std::string filter; // the report's filter language
  std::string output;
};

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

int usage_error(const std::string& message) {
  fmt::print(stderr, "digger-scan diff: {}\n", message);
  return exit_usage;
}

int run_diff(const DiffOptions& options) {
  auto filter = report::parse_filter(options.filter);
  if (!filter) {
    return usage_error("--filter: " + filter.error());
  }
  report::Diff diff;
  try {
    auto catalog = report::open_catalog(options.db);
    const auto [from, to] = report::resolve_diff_scans(catalog, options.from, options.to);
    if (from.id == to.id) {
      throw util::UsageError(fmt::format("--from and --to are both scan {}", to.id));
    }
    // Details (targets, flags) only when a filter may ask about them.
    const report::LoadOptions lean{.derived = false, .details = !filter->terms.empty()};
    const auto before = report::load_snapshot(catalog, from, lean);
    const auto after = report::load_snapshot(catalog, to, lean);
    diff = report::diff_snapshots(before, after);
    report::filter_diff(diff, *filter, before, after);
  } catch (const util::UsageError& e) {
    return usage_error(e.what());
  } catch (const report::NoBaseline& e) {
    fmt::print(stderr, "digger-scan diff: {}\n", e.what());
    return exit_ok;
  }
  std::string document;
  if (options.format == "json") {
    document = report::render_diff_json(diff);
  } else if (options.format == "csv") {
    document = report::render_diff_csv(diff);
  } else {
    const bool to_file = !options.output.empty() && options.output != "-";
    document = report::render_diff_table(
        diff, {use_color() && !to_file, report::output_width(to_file), false});
  }
  auto written = report::write_output(options.output, [&document](std::ostream& out) {
    out.write(document.data(), static_cast<std::streamsize>(document.size()));
  });
  if (!written) {
    return usage_error(written.error());
  }
  // 0: nothing changed, 1: something did (like diff(1)); with --filter, what it kept.
  return diff.anything_changed() ? exit_partial : exit_ok;
}

} // namespace

void add_diff_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<DiffOptions>();
  CLI::App* diff = app.add_subcommand(
      "diff", "Compare two scans: jobs added, removed, changed, moved; exit 1 if anything changed");
  add_db_option(*diff, options->db);
  diff->add_option("--from", options->from,
                   "Older scan: id, or a date (newest complete scan on or before it); default: "
                   "the newest complete scan at least 7 days older than --to, else the one "
                   "before it");
  diff->add_option("--to", options->to, "Newer scan: id or 'latest' (newest complete scan)")
      ->capture_default_str();
  diff->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  diff->add_option("--filter", options->filter,
                   "Compare only the jobs this filter keeps (the report's --filter terms, e.g. "
                   "verdict=hidden); the exit code then says whether they changed");
  diff->add_option("-o,--output", options->output, "Write to FILE instead of stdout");
  diff->callback([options, &action] { action = [options] { return run_diff(*options); }; });
}

} // namespace digger::cli
