// A Laravel application's scheduled tasks (Expansion::inspected): the inspection read
// app/Console/Kernel.php, routes/console.php or bootstrap/app.php as the run-as user of the parent
// job that runs `artisan schedule:run`, and kept only the tasks (command::read_laravel_schedule).
// Each task is a child job of that parent: its own cron expression (inferred from source), the
// parent's user (or the task's ->user()), its file and line as the schedule's origin.
#include "digger/collect/pipeline.hpp"
#include "digger/collect/readers.hpp"
#include "digger/crontab/crontab.hpp"

#include <fmt/format.h>

namespace digger::collect {
namespace {

std::string_view app_directory_of(std::string_view path) {
  for (std::string_view tail : laravel_schedule_files) {
    if (path.ends_with(tail)) {
      auto dir = path.substr(0, path.size() - tail.size());
      return dir.empty() ? "/" : dir;
    }
  }
  return path;
}

// The schedule columns of a crontab line with Laravel's expression, so that the task's
// normalized schedule, description and fingerprint are the crontab reader's own.
Job scheduled_job(const command::LaravelTask& task, std::string_view owner) {
  if (!task.expression.empty() && task.expression.find('\n') == std::string::npos) {
    crontab::ParseOptions options;
    auto parsed = crontab::parse_crontab(task.expression + " laravel\n", options);
    if (parsed.lines.size() == 1 && parsed.lines[0].kind == crontab::LineKind::job) {
      return crontab_line_job(parsed.lines[0], owner);
    }
  }
  Job job;
  job.owner = std::string(owner);
  job.row.schedule_text = task.expression;
  job.row.normalized_schedule = task.expression;
  job.row.description = task.expression.empty() ? "not known statically"
                                                : "a Laravel expression cron would not accept";
  return job;
}

std::string task_command(const command::LaravelTask& task, std::string_view dir) {
  if (task.kind == "command") {
    return fmt::format("php {}/artisan {}", dir == "/" ? "" : dir,
                       task.what.empty() ? "..." : task.what);
  }
  if (task.kind == "exec") {
    return task.what.empty() ? "..." : task.what;
  }
  return fmt::format("laravel {} {}", task.kind, task.what.empty() ? "..." : task.what);
}

Job task_job(const command::LaravelTask& task, std::string_view path, std::string_view dir,
             const AppRun& run) {
  Job job = scheduled_job(task, run.owner);
  auto& row = job.row;
  row.line_number = task.line;
  row.kind = "job";
  row.raw = task.chain;
  row.macro.clear();
  row.command = task_command(task, dir);
  row.stdin_data.reset();
  row.run_as = task.user.empty() ? run.run_as : task.user;
  row.cron_tz = task.timezone;
  row.schedule_origin = fmt::format("{}:{}", path, task.line);
  job.parent_origin = run.origin; // its scheduler's line; it runs only at its own due minutes
  job.has_command = true;
  if (task.kind == "job" || task.kind == "call") {
    job.fixed_language = command::Language::php;
    job.fixed_evidence = task.kind == "job" ? "Laravel queued job class" : "Laravel closure";
  }
  job.reader_flags.emplace_back("inferred-from-source");
  if (!task.unresolved.empty()) {
    job.reader_flags.emplace_back("not-static");
  }
  if (!task.conditions.empty()) {
    job.reader_flags.emplace_back("conditional");
  }
  if (task.repeat_seconds > 0) {
    job.reader_flags.emplace_back("sub-minute");
    job.notes.push_back(
        fmt::format("runs every {} seconds within each minute it is due", task.repeat_seconds));
  }
  job.notes.push_back(fmt::format("inferred from source: {}:{}, run by {} (artisan schedule:run)",
                                  path, task.line, run.origin));
  if (task.timezone.empty()) {
    job.notes.push_back("time zone: the application's (config app.timezone, not read)");
  }
  for (const auto& text : task.conditions) {
    job.notes.push_back("condition: " + text);
  }
  for (const auto& text : task.unresolved) {
    job.notes.push_back("not known statically: " + text);
  }
  if (!task.options.empty()) {
    std::string list;
    for (const auto& option : task.options) {
      list += (list.empty() ? "" : ", ") + option;
    }
    job.notes.push_back("options: " + list);
  }
  return job;
}

} // namespace

SourceRead read_laravel_tasks(const CronSource& source, const ReadContext& context) {
  SourceRead read{base_source_row(source, context.host), {}};
  auto& row = read.row;
  const auto dir = app_directory_of(source.path);
  const AppRun* run = context.expansions.find_app(dir);
  const command::ProgramFacts* facts = context.host.app_source(source.path);
  row.loaded_by_daemon = run != nullptr;
  if (!run || !facts || !facts->laravel) {
    row.sha256.clear();
    row.read_error = !run                             ? "no job runs this application's scheduler"
                     : facts && !facts->error.empty() ? facts->error
                                                      : "not read by the inspection";
    return read;
  }
  row.sha256 = facts->sha256;
  row.truncated = facts->bytes_read < facts->size;
  row.load_notes.push_back(fmt::format("run by {} as {}", run->origin, run->run_as));
  if (row.truncated) {
    row.load_notes.push_back(fmt::format("truncated: {} of {} bytes read; later tasks not read",
                                         facts->bytes_read, facts->size));
  }
  for (const auto& note : facts->laravel->notes) {
    row.load_notes.push_back(note);
  }
  for (const auto& task : facts->laravel->tasks) {
    read.jobs.push_back(task_job(task, source.path, dir, *run));
  }
  return read;
}

} // namespace digger::collect
