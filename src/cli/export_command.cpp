// `digger-scan export --target T [--db PATH] [--scan ID|latest] [--filter EXPR] [--all]
// [-o DIR] [--force]`: every selected job of a scan as files for another scheduler, plus the
// migration report and its cut-over plan (docs/migration.md#export). This file only reads the
// catalog and writes the directory; what is written is decided in digger::migrate.

#include "digger/catalog/catalog.hpp"
#include "digger/cli/command.hpp"
#include "digger/cli/default_db.hpp"
#include "digger/migrate/export_files.hpp"
#include "digger/migrate/export_load.hpp"
#include "digger/migrate/export_plan.hpp"
#include "digger/migrate/job_facts.hpp"
#include "digger/migrate/migration_report.hpp"
#include "digger/report/filter.hpp"
#include "digger/report/load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace digger::cli {
namespace {

namespace fs = std::filesystem;

struct ExportOptions {
  std::string target;
  std::string db = default_db_path();
  std::string scan = "latest";
  std::string filter;
  std::string output;
  bool all = false;
  bool include_no_evidence = false;
  bool force = false;
  bool strict = false;
};

class ExportError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

std::string errno_text() {
  return std::strerror(errno);
}

// Writes one file that must not exist yet, never through a symlink.
void write_new_file(const fs::path& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw ExportError(fmt::format("cannot create {}: {}", path.string(), errno_text()));
  }
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      const std::string reason = errno_text();
      ::close(fd);
      throw ExportError(fmt::format("cannot write {}: {}", path.string(), reason));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    throw ExportError(fmt::format("cannot write {}: {}", path.string(), errno_text()));
  }
}

// A fresh directory next to `target` (same file system, so rename() can move it in place).
fs::path sibling_temp_dir(const fs::path& target, std::string_view tag) {
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string templ = (parent / fmt::format(".{}.{}-XXXXXX", target.filename().string(), tag));
  if (::mkdtemp(templ.data()) == nullptr) {
    throw ExportError(
        fmt::format("cannot create a directory next to {}: {}", target.string(), errno_text()));
  }
  return templ;
}

void write_tree(const fs::path& root, const std::vector<migrate::OutputFile>& files) {
  for (const auto& file : files) {
    // Paths are built from sanitized names; this check keeps a bug from writing elsewhere.
    if (!migrate::is_safe_relative_path(file.path)) {
      throw ExportError(fmt::format("refusing to write the unsafe path '{}'", file.path));
    }
    const fs::path path = root / file.path;
    fs::create_directories(path.parent_path());
    write_new_file(path, file.content);
  }
}

// What is at `dir` now: refuse a file, a non-empty directory without --force, and, even with
// --force, a directory that no export wrote (it would be deleted).
bool check_output_dir(const fs::path& dir, bool force) {
  std::error_code ec;
  const auto status = fs::symlink_status(dir, ec);
  if (!fs::exists(status)) {
    return false;
  }
  if (!fs::is_directory(status)) {
    throw ExportError(fmt::format("{} exists and is not a directory", dir.string()));
  }
  if (fs::is_empty(dir)) {
    return false;
  }
  if (!force) {
    throw ExportError(
        fmt::format("{} is not empty: choose another -o DIR, or --force to replace a previous "
                    "export",
                    dir.string()));
  }
  if (!fs::exists(dir / "migration-report.json")) {
    throw ExportError(fmt::format("{} holds no migration-report.json: --force only replaces a "
                                  "previous export",
                                  dir.string()));
  }
  return true;
}

// The whole tree is written next to DIR first and moved in with rename(): DIR never holds a
// half-written export, and a failed export leaves DIR as it was.
void publish(const fs::path& dir, const std::vector<migrate::OutputFile>& files, bool force) {
  const bool replace = check_output_dir(dir, force);
  const fs::path staging = sibling_temp_dir(dir, "tmp");
  try {
    write_tree(staging, files);
  } catch (...) {
    fs::remove_all(staging);
    throw;
  }
  std::error_code ignored;
  if (!replace) {
    fs::remove(dir, ignored); // an empty directory; rename() needs the name free
    if (::rename(staging.c_str(), dir.c_str()) != 0) {
      const std::string reason = errno_text();
      fs::remove_all(staging, ignored);
      throw ExportError(fmt::format("cannot move the export to {}: {}", dir.string(), reason));
    }
    return;
  }
  const fs::path old = sibling_temp_dir(dir, "old");
  if (::rename(dir.c_str(), old.c_str()) != 0 || ::rename(staging.c_str(), dir.c_str()) != 0) {
    const std::string reason = errno_text();
    if (!fs::exists(dir)) {
      ::rename(old.c_str(), dir.c_str()); // put the previous export back
    }
    fs::remove_all(staging, ignored);
    fs::remove(old, ignored);
    throw ExportError(fmt::format("cannot replace {}: {}", dir.string(), reason));
  }
  fs::remove_all(old, ignored);
}

std::string counts_text(const std::map<std::string, std::int64_t>& counts) {
  std::string out;
  for (const auto& [reason, count] : counts) {
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", reason, count);
  }
  return out;
}

// Every selected job that was not exported on stdout, grouped by reason, one line each; then
// the summary line, whose counts add up to the jobs selected. Both on stdout: the list is the
// answer to "what must I still move by hand", not a diagnostic.
int report_outcome(const migrate::ExportPlan& plan, size_t files, const fs::path& dir,
                   bool strict) {
  size_t exported = 0;
  std::vector<std::pair<std::string, const migrate::ExportedJob*>> left;
  for (const auto& job : plan.jobs) {
    if (job.status == migrate::ExportStatus::converted) {
      ++exported;
    } else {
      left.emplace_back(migrate::not_exported_reason(job), &job);
    }
  }
  std::stable_sort(left.begin(), left.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [reason, job] : left) {
    fmt::print("not exported: {} {}:{}: {}\n", migrate::printable(job->job.host),
               migrate::printable(job->job.file), job->job.line, reason);
  }
  const auto reasons = migrate::not_exported_reasons(plan);
  const size_t skipped = plan.jobs.size() - exported;
  fmt::print("exported {}, skipped {}{} of {} job(s) of scan {} to {}{}; {} file(s), see {}\n",
             exported, skipped, skipped == 0 ? "" : " (" + counts_text(reasons) + ")",
             plan.jobs.size(), plan.scan.id, migrate::target_name(plan.target),
             plan.skipped.empty() ? "" : "; not selected: " + counts_text(plan.skipped), files,
             (dir / "migration-report.md").string());
  return strict && skipped > 0 ? exit_not_exported : exit_ok;
}

int run_export(const ExportOptions& options) {
  const auto target = migrate::parse_target(options.target);
  if (!target) {
    fmt::print(stderr, "digger-scan export: unknown target '{}'\n", options.target);
    return exit_usage;
  }
  auto filter = report::parse_filter(options.filter);
  if (!filter) {
    fmt::print(stderr, "digger-scan export: --filter: {}\n", filter.error());
    return exit_usage;
  }
  migrate::ExportPlan plan;
  try {
    auto catalog = report::open_catalog(options.db);
    const auto scan = report::resolve_scan(catalog, options.scan);
    // Details on: --filter target~... reads the job's target program.
    const auto snapshot = report::load_snapshot(catalog, scan, {false, true});
    const auto lines = migrate::load_crontab_lines(catalog, scan.id);
    auto selection = migrate::select_jobs(migrate::export_candidates(snapshot, *filter, lines),
                                          options.all, options.include_no_evidence);
    for (const auto& job : selection.no_evidence) {
      fmt::print(stderr,
                 "digger-scan export: not selected: {} {}:{}: no-evidence (no start in the cron "
                 "log window read; --include-no-evidence exports it)\n",
                 migrate::printable(job.host), migrate::printable(job.file), job.line);
    }
    plan = migrate::plan_export(selection, *target, scan);
  } catch (const util::UsageError& e) {
    fmt::print(stderr, "digger-scan export: {}\n", e.what());
    return exit_usage;
  }
  plan.filter = options.filter;
  plan.all = options.all;
  const auto files = migrate::export_output(plan);
  fs::path dir = options.output.empty()
                     ? fs::path(fmt::format("migration-{}", migrate::target_name(*target)))
                     : fs::path(options.output);
  if (!dir.has_filename() && dir.has_parent_path()) {
    dir = dir.parent_path(); // "out/": the staging directory goes next to "out", not inside
  }
  try {
    publish(dir, files, options.force);
  } catch (const std::exception& e) {
    fmt::print(stderr, "digger-scan export: {}\n", e.what());
    return exit_usage;
  }
  return report_outcome(plan, files.size(), dir, options.strict);
}

} // namespace

void add_export_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Write the jobs of a scan as definitions for another scheduler, with a "
                "migration report and cut-over plan (no network)");
  cmd->add_option("--target", options->target, migrate::target_help("Target scheduler"))
      ->required()
      ->check(CLI::IsMember(migrate::target_choices()));
  add_db_option(*cmd, options->db);
  add_scan_option(*cmd, options->scan);
  cmd->add_option("--filter", options->filter,
                  "Terms ANDed, as for `report`: KEY=VALUE, KEY!=VALUE, KEY~SUBSTRING");
  cmd->add_flag("--all", options->all,
                "Export every matching job, not only the hidden ones (managed, migrated and "
                "not-loaded jobs are skipped by default)");
  cmd->add_flag("--include-no-evidence", options->include_no_evidence,
                "Also export jobs whose cron log showed no start in the window read (left out "
                "and listed by default; docs/evidence.md)");
  cmd->add_option("-o,--output", options->output,
                  "Output directory (default: migration-TARGET); it must not exist or be empty");
  cmd->add_flag("--force", options->force,
                "Replace the output directory when it holds a previous export");
  cmd->add_flag("--strict", options->strict,
                "Exit 5 when a selected job was not exported (each is listed with its reason)");
  cmd->callback([options, &action] { action = [options] { return run_export(*options); }; });
}

} // namespace digger::cli
