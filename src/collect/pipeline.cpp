// One host's files through the source table: read, enrich once, expand, judge once.
#include "digger/collect/pipeline.hpp"

#include "digger/collect/load_rules.hpp"
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

namespace {

// A parent job that runs `run-parts DIR` schedules DIR's files (the child source's jobs).
void note_expansion(const Job& job, const SourceSpec& spec, std::string_view path,
                    Expansions& expansions) {
  if (spec.expansion != Expansion::parent || !job.runs_directory || job.row.kind != "job") {
    return;
  }
  const auto& row = job.row;
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
      const bool child = source_spec(sources[i].kind).expansion == Expansion::child;
      if (child == children) {
        out.sources[i] = read_source(sources[i], context, expansions);
      }
    }
  }
  return out;
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
