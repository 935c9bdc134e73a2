// `digger-scan report`: what the catalog knows about the fleet's cron jobs, in four formats.

#include "digger/catalog/catalog.hpp"
#include "digger/report/load.hpp"
#include "digger/report/render.hpp"
#include "digger/report/view.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <unistd.h>

#include "command.hpp"

namespace digger::cli {
namespace {

struct ReportOptions {
  std::string db = catalog::default_catalog_path;
  std::string scan = "latest";
  std::string group_by = "language";
  std::string filter;
  std::string format = "table";
  std::string output;
  bool all = false; // list managed jobs too
};

int usage_error(const std::string& message) {
  fmt::print(stderr, "digger-scan report: {}\n", message);
  return exit_usage;
}

bool use_color(const std::string& output) {
  const char* no_color = std::getenv("NO_COLOR");
  return output.empty() && ::isatty(STDOUT_FILENO) == 1 &&
         (no_color == nullptr || no_color[0] == '\0');
}

// Writes to -o FILE (replaced as a whole) or stdout.
int emit(const std::string& document, const std::string& output) {
  if (output.empty() || output == "-") {
    std::fwrite(document.data(), 1, document.size(), stdout);
    return std::fflush(stdout) == 0 ? exit_ok : exit_usage;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out.write(document.data(), static_cast<std::streamsize>(document.size()));
  out.close();
  if (!out) {
    return usage_error(fmt::format("cannot write {}", output));
  }
  return exit_ok;
}

// JSON is streamed: a fleet-wide report can be hundreds of megabytes.
int emit_json(const report::ReportView& view, const std::string& output) {
  if (output.empty() || output == "-") {
    report::write_json(view, std::cout);
    std::cout.flush();
    return std::cout ? exit_ok : exit_usage;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  report::write_json(view, out);
  out.close();
  if (!out) {
    return usage_error(fmt::format("cannot write {}", output));
  }
  return exit_ok;
}

int run_report(const ReportOptions& options) {
  auto filter = report::parse_filter(options.filter);
  if (!filter) {
    return usage_error("--filter: " + filter.error());
  }
  auto group_by = report::parse_group_by(options.group_by);
  if (!group_by) {
    return usage_error(group_by.error());
  }
  report::Snapshot snapshot;
  try {
    auto catalog = report::open_catalog(options.db);
    snapshot = report::load_snapshot(catalog, report::resolve_scan(catalog, options.scan));
  } catch (const report::UsageError& e) {
    return usage_error(e.what());
  }
  const auto view = report::build_view(snapshot, *filter, options.filter, *group_by, options.all);
  if (options.format == "json") {
    return emit_json(view, options.output);
  }
  std::string document;
  if (options.format == "csv") {
    document = report::render_csv(view);
  } else if (options.format == "html") {
    document = report::render_html(view);
  } else {
    document = report::render_table(view, {use_color(options.output), 80});
  }
  return emit(document, options.output);
}

} // namespace

void add_report_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* report =
      app.add_subcommand("report", "Report the cron jobs of a scan from the catalog (no network)");
  report->add_option("--db", options->db, "Catalog file")->capture_default_str();
  report->add_option("--scan", options->scan, "Scan id, or 'latest' (newest complete scan)")
      ->capture_default_str();
  report->add_option("--group-by", options->group_by, "language, owner, host or label:KEY")
      ->capture_default_str();
  report->add_option("--filter", options->filter,
                     "Terms ANDed: KEY=VALUE, KEY!=VALUE, KEY~SUBSTRING; keys host, owner, "
                     "language, status, command, target, file, fingerprint, verdict, managed_by, "
                     "flag, kind, label:NAME");
  report->add_flag("--all", options->all,
                   "List managed jobs (packages, configuration management, registry) too; by "
                   "default they are only counted");
  report->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv", "html"}))
      ->capture_default_str();
  report->add_option("-o,--output", options->output, "Write to FILE instead of stdout");
  report->callback([options, &action] { action = [options] { return run_report(*options); }; });
}

} // namespace digger::cli
