// Run verdicts of the jobs that no cron log line names (docs/evidence.md, "Jobs without log
// lines of their own"): run-parts scripts and Laravel tasks follow the job that runs them, and
// systemd timers are looked up in systemd's own timer table. Pure: after apply_run_evidence,
// once every job of the host is read (the Laravel tasks come with the inspection).
#include "digger/collect/run_evidence.hpp"
#include "digger/evidence/attribution.hpp"
#include "digger/evidence/timer_list.hpp"

#include <fmt/format.h>

#include <charconv>
#include <map>

namespace digger::collect {
namespace {

using evidence::Verdict;
using evidence::verdict_name;

// "/etc/crontab:17" -> that job's run evidence, for the jobs the cron log judged.
std::map<std::string, const catalog::RunEvidenceRow*, std::less<>>
judged_parents(const HostJobs& jobs) {
  std::map<std::string, const catalog::RunEvidenceRow*, std::less<>> parents;
  for (const auto& source : jobs.sources) {
    for (const auto& job : source.jobs) {
      if (job.parent_origin.empty() && !job.row.run.verdict.empty()) {
        parents.emplace(fmt::format("{}:{}", source.row.path, job.row.line_number), &job.row.run);
      }
    }
  }
  return parents;
}

void follow_parent(Job& job, const catalog::SourceRow& source,
                   const catalog::RunEvidenceRow& parent) {
  auto& run = job.row.run;
  if (!source.loaded_by_daemon) {
    run.verdict = std::string(verdict_name(Verdict::no_evidence));
    run.reason =
        fmt::format("{} does not run this file: {}", job.parent_origin, source.not_loaded_reason);
    return;
  }
  run.verdict = parent.verdict;
  if (job.runs_with_parent) {
    run.runs = parent.runs;
    run.ambiguous_runs = parent.ambiguous_runs;
    run.last_run = parent.last_run;
    run.reason = fmt::format("each run of {} runs it (no log line of its own): {}",
                             job.parent_origin, parent.reason);
  } else {
    run.reason = fmt::format("runs inside the scheduler that {} starts, at its own due minutes "
                             "(the scheduler logs no line per task); the scheduler: {}",
                             job.parent_origin, parent.reason);
  }
}

std::optional<std::string> fact(const HostSnapshot& snapshot, std::string_view name) {
  for (const auto& [key, value] : snapshot.extra_facts) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

struct TimerTable {
  bool read = false; // systemctl answered: a timer missing from it is not loaded
  std::map<std::string, std::optional<std::int64_t>, std::less<>> last;
};

TimerTable timer_table(const HostSnapshot& snapshot) {
  TimerTable table;
  const auto text = fact(snapshot, "systemctl_timers");
  if (!text) {
    return table;
  }
  table.read = true;
  for (auto& state : evidence::parse_timer_list(*text, utc_offset(snapshot))) {
    table.last.emplace(std::move(state.unit), state.last);
  }
  return table;
}

void judge_timer(Job& job, const TimerTable& table) {
  auto& run = job.row.run;
  const auto no_evidence = std::string(verdict_name(Verdict::no_evidence));
  // What was not read is not evidence of absence: the exports keep such timers.
  const auto unread = std::string(verdict_name(Verdict::log_unreadable));
  if (job.user_timer) {
    run.verdict = unread;
    run.reason = "a per-user timer: it runs in the user's own service manager, whose timers "
                 "(`systemctl --user list-timers` as that user) are not read";
    return;
  }
  if (!table.read) {
    run.verdict = unread;
    run.reason = "systemctl list-timers gave nothing (systemd not running, no systemctl, or "
                 "it timed out): systemd's last trigger time is unknown";
    return;
  }
  const auto it = table.last.find(job.timer_unit);
  if (it == table.last.end()) {
    run.verdict = no_evidence;
    run.reason = "systemd does not list this timer (systemctl list-timers --all): not loaded";
  } else if (!it->second) {
    run.verdict = no_evidence;
    run.reason = "systemd lists this timer but it has not fired since the manager started "
                 "(systemctl list-timers --all: LAST is empty)";
  } else {
    run.verdict = std::string(verdict_name(Verdict::running));
    run.last_run = it->second;
    run.reason = "systemctl list-timers: systemd last fired it at the time shown (its runs "
                 "are counted in the journal, which is not read for timers)";
  }
}

} // namespace

std::optional<int> utc_offset(const HostSnapshot& snapshot) {
  for (const auto& [name, value] : snapshot.extra_facts) {
    if (name != "clock" || value.size() < 5 || (value[0] != '+' && value[0] != '-')) {
      continue;
    }
    int hhmm = 0;
    const auto [end, error] = std::from_chars(value.data() + 1, value.data() + 5, hhmm);
    if (error == std::errc{} && end == value.data() + 5) {
      return (value[0] == '-' ? -1 : 1) * (hhmm / 100 * 3600 + hhmm % 100 * 60);
    }
  }
  return std::nullopt;
}

void apply_derived_evidence(HostJobs& jobs, const HostSnapshot& snapshot) {
  const auto parents = judged_parents(jobs);
  std::optional<TimerTable> timers;
  for (auto& source : jobs.sources) {
    for (auto& job : source.jobs) {
      if (!job.has_command || job.row.kind != "job" || !job.row.run.verdict.empty()) {
        continue;
      }
      if (!job.parent_origin.empty()) {
        if (const auto it = parents.find(job.parent_origin); it != parents.end()) {
          follow_parent(job, source.row, *it->second);
        }
      } else if (!job.timer_unit.empty()) {
        if (!timers) {
          timers = timer_table(snapshot);
        }
        judge_timer(job, *timers);
      }
    }
  }
}

} // namespace digger::collect
