// `digger-scan report`: what the catalog knows about the fleet's cron jobs, in four formats.

#include "digger/catalog/catalog.hpp"
#include "digger/cli/command.hpp"
#include "digger/cli/default_db.hpp"
#include "digger/cli/metrics_file.hpp"
#include "digger/report/load.hpp"
#include "digger/report/output.hpp"
#include "digger/report/render.hpp"
#include "digger/report/view.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace digger::cli {
namespace {

struct ReportOptions {
  std::string db = default_db_path();
  std::string scan = "latest";
  std::string group_by = "language";
  std::string filter;
  std::string format = "table";
  std::string output;
  std::string textfile_dir; // write DIR/digger.prom (Prometheus) instead of stdout
  bool all = false;         // list managed jobs too
  bool full = false;        // table: every job, not the summary
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

// Writes to -o FILE (replaced as a whole) or stdout; the error says why.
int emit(const std::string& output, const std::function<void(std::ostream&)>& write) {
  auto written = report::write_output(output, write);
  return written ? exit_ok : usage_error(written.error());
}

int emit(const std::string& document, const std::string& output) {
  return emit(output, [&document](std::ostream& out) {
    out.write(document.data(), static_cast<std::streamsize>(document.size()));
  });
}

// Prometheus metrics go to stdout, -o FILE or, atomically, a textfile-collector directory.
int run_prometheus(const ReportOptions& options) {
  std::string document;
  try {
    document = prometheus_metrics(options.db, options.scan, options.filter);
  } catch (const util::UsageError& e) {
    return usage_error(e.what());
  }
  if (options.textfile_dir.empty()) {
    return emit(document, options.output);
  }
  try {
    write_textfile(options.textfile_dir, document);
  } catch (const std::runtime_error& e) {
    return usage_error(fmt::format("--textfile-dir: {}", e.what()));
  }
  return exit_ok;
}

int run_report(const ReportOptions& options) {
  if (options.format == "prometheus" || !options.textfile_dir.empty()) {
    if (options.format != "prometheus" && options.format != "table") {
      return usage_error("--textfile-dir writes Prometheus metrics: use --format prometheus");
    }
    return run_prometheus(options);
  }
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
  } catch (const util::UsageError& e) {
    return usage_error(e.what());
  }
  const auto view = report::build_view(snapshot, *filter, options.filter, *group_by, options.all);
  // JSON and ndjson are streamed: a fleet-wide report can be hundreds of megabytes.
  if (options.format == "json") {
    return emit(options.output, [&view](std::ostream& out) { report::write_json(view, out); });
  }
  if (options.format == "ndjson") {
    return emit(options.output, [&view](std::ostream& out) { report::write_ndjson(view, out); });
  }
  std::string document;
  if (options.format == "csv") {
    document = report::render_csv(view);
  } else if (options.format == "html") {
    document = report::render_html(view);
  } else {
    const bool to_file = !options.output.empty() && options.output != "-";
    document = report::render_table(
        view, {use_color(options.output), report::output_width(to_file), options.full});
  }
  return emit(document, options.output);
}

} // namespace

void add_report_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* report =
      app.add_subcommand("report", "Report the cron jobs of a scan from the catalog (no network)");
  add_db_option(*report, options->db);
  add_scan_option(*report, options->scan);
  report->add_option("--group-by", options->group_by, "language, owner, host or label:KEY")
      ->capture_default_str();
  report->add_option("--filter", options->filter,
                     "Terms ANDed: KEY=VALUE, KEY!=VALUE, KEY~SUBSTRING; keys host, owner, "
                     "language, status, command, target, file, fingerprint, verdict, managed_by, "
                     "flag, kind, label:NAME");
  report->add_flag("--all", options->all,
                   "List managed jobs (packages, configuration management, registry) too; by "
                   "default they are only counted");
  report->add_flag("--full", options->full,
                   "Table: list every job (by default a summary that fits a screen)");
  report
      ->add_option("--format", options->format,
                   "Output format (ndjson: one JSON job object per line)")
      ->check(CLI::IsMember({"table", "json", "ndjson", "csv", "html", "prometheus"}))
      ->capture_default_str();
  auto* output =
      report->add_option("-o,--output", options->output, "Write to FILE instead of stdout");
  report
      ->add_option("--textfile-dir", options->textfile_dir,
                   "Write the Prometheus metrics atomically to DIR/digger.prom (node_exporter's "
                   "textfile collector) instead of stdout")
      ->check(CLI::ExistingDirectory)
      ->excludes(output);
  report->callback([options, &action] { action = [options] { return run_report(*options); }; });
}

} // namespace digger::cli
