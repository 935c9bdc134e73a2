// One host's files through the source table: read, enrich once, expand, judge once.
#include "digger/collect/pipeline.hpp"

#include "digger/collect/load_rules.hpp"
#include "digger/collect/readers.hpp"
#include "digger/collect/source_table.hpp"

#include <fmt/format.h>

namespace digger::collect {

void Expansions::note(const std::string& dir, DirSchedule schedule) {
  auto [it, inserted] = dirs_.try_emplace(dir, schedule);
  if (!inserted && schedule.from_anacron && !it->second.from_anacron) {
    it->second = std::move(schedule);
  }
}

const DirSchedule* Expansions::find(std::string_view dir) const {
  auto it = dirs_.find(dir);
  return it == dirs_.end() ? nullptr : &it->second;
}

void Expansions::note_app(const std::string& dir, AppRun run) {
  apps_.try_emplace(dir, std::move(run));
}

const AppRun* Expansions::find_app(std::string_view dir) const {
  auto it = apps_.find(dir);
  return it == apps_.end() ? nullptr : &it->second;
}

std::vector<std::string> laravel_app_files(std::string_view app_directory) {
  std::string base(app_directory == "/" ? "" : app_directory);
  std::vector<std::string> files;
  for (std::string_view tail : laravel_schedule_files) {
    files.push_back(base + std::string(tail));
  }
  return files;
}

namespace {

// A parent job that runs `run-parts DIR` schedules DIR's files (the child source's jobs).
void note_expansion(const Job& job, const SourceSpec& spec, std::string_view path,
                    Expansions& expansions) {
  if (spec.expansion != Expansion::parent || job.row.kind != "job") {
    return;
  }
  const auto& row = job.row;
  if (job.app_directory) {
    expansions.note_app(*job.app_directory,
                        AppRun{fmt::format("{}:{}", path, row.line_number), row.run_as, job.owner});
  }
  if (!job.runs_directory) {
    return;
  }
  expansions.note(*job.runs_directory,
                  DirSchedule{row.schedule_text, row.macro, row.normalized_schedule,
                              row.description, row.cron_tz,
                              fmt::format("{}:{}", path, row.line_number),
                              spec.clock == ScheduleClock::anacron});
}

SourceRead read_source(const CronSource& source, const ReadContext& context,
                       Expansions& expansions) {
  const SourceSpec& spec = source_spec(source.kind);
  SourceRead read = spec.read(source, context);
  if (spec.load == LoadRule::crontab) {
    auto load = daemon_loads(source, context.host.daemon);
    read.row.loaded_by_daemon = load.loaded;
    read.row.not_loaded_reason = std::move(load.reason);
  }
  for (auto& job : read.jobs) {
    enrich(job);
    note_expansion(job, spec, source.path, expansions);
  }
  return read;
}

} // namespace

// Two passes, in the snapshot's order: every source but the children first (their parent jobs
// say when each child runs), then the children.
HostJobs read_host(const HostSnapshot& snapshot, const HostContext& host) {
  const auto& sources = snapshot.sources;
  HostJobs out;
  out.sources.resize(sources.size());
  Expansions expansions;
  const ReadContext context{sources, host, expansions};
  for (const bool children : {false, true}) {
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const auto expansion = source_spec(sources[i].kind).expansion;
      if (expansion == Expansion::inspected) {
        out.sources[i].row = base_source_row(sources[i], host); // never from the collector
        out.sources[i].row.read_error = "not a collected source";
      } else if ((expansion == Expansion::child) == children) {
        out.sources[i] = read_source(sources[i], context, expansions);
      }
    }
  }
  out.expansions = std::move(expansions);
  return out;
}

namespace {

// The parent jobs that run the application in `dir`.
template <typename F>
void for_each_parent(HostJobs& jobs, std::string_view dir, F&& f) {
  for (auto& source : jobs.sources) {
    for (auto& job : source.jobs) {
      if (job.app_directory && *job.app_directory == dir) {
        f(job);
      }
    }
  }
}

} // namespace

void expand_inspected(HostJobs& jobs, const HostSnapshot& snapshot, const HostContext& host) {
  const ReadContext context{snapshot.sources, host, jobs.expansions};
  std::vector<SourceRead> added;
  for (const auto& [dir, run] : jobs.expansions.apps()) {
    std::size_t tasks = 0, read = 0;
    std::string why;
    for (const auto& path : laravel_app_files(dir)) {
      const auto* facts = host.app_source(path);
      if (!facts || !facts->exists) {
        // missing (no error): an app without that file; else why it was not inspected
        why = !facts                 ? "its files were not inspected"
              : facts->error.empty() ? why
                                     : fmt::format("{}: {}", path, facts->error);
        continue;
      }
      CronSource source;
      source.path = path;
      source.kind = SourceKind::laravel_task;
      source.owner = facts->owner;
      source.file_owner = facts->owner;
      source.uid = facts->uid;
      source.mode = facts->mode;
      source.mtime = facts->mtime;
      source.size = facts->size;
      SourceRead file = source_spec(SourceKind::laravel_task).read(source, context);
      for (auto& job : file.jobs) {
        enrich(job);
      }
      read += facts->laravel ? 1 : 0;
      tasks += file.jobs.size();
      if (!facts->laravel) {
        why = fmt::format("{}: {}", path, facts->error.empty() ? "no reason given" : facts->error);
      }
      added.push_back(std::move(file));
    }
    for_each_parent(jobs, dir, [&](Job& job) {
      if (read > 0) {
        job.app_tasks = tasks;
      }
      job.app_note =
          read > 0 ? ""
                   : (why.empty() ? "no Kernel.php, routes/console.php or bootstrap/app.php" : why);
    });
  }
  for (auto& file : added) {
    jobs.sources.push_back(std::move(file));
  }
}

std::vector<catalog::SourceRow> judged_rows(HostJobs&& jobs, const HostContext& host) {
  std::vector<catalog::SourceRow> rows;
  rows.reserve(jobs.sources.size());
  for (auto& source : jobs.sources) {
    auto& row = source.row;
    row.entries.reserve(source.jobs.size());
    for (auto& job : source.jobs) {
      judge(job, row.kind, row.path, host);
      row.entries.push_back(std::move(job.row));
    }
    rows.push_back(std::move(row));
  }
  jobs.sources.clear();
  return rows;
}

PreparedHost prepare_host(std::string_view stdout_bytes, std::string_view remote_stderr,
                          bool stdout_truncated, std::size_t max_lines) {
  PreparedHost prepared;
  prepared.decoded = decode_collector_output(stdout_bytes);
  prepared.collection = judge_collection(prepared.decoded, remote_stderr, stdout_truncated);
  // Before any parsing: the lines past the cap cost nothing.
  prepared.cap = cap_host_lines(prepared.decoded.snapshot, max_lines);
  const HostContext host = host_context(prepared.decoded.snapshot, "", nullptr);
  prepared.jobs = read_host(prepared.decoded.snapshot, host);
  return prepared;
}

} // namespace digger::collect
