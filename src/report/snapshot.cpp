#include "digger/report/snapshot.hpp"

#include "digger/crontab/schedule.hpp"
#include "digger/timing/calendar_spec.hpp"
#include "digger/timing/next_runs.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace digger::report {
namespace {

// Zones and next runs are computed once per distinct value: a fleet has thousands of jobs but
// few zones and schedules, and a zone lookup costs more than a search.
class NextRunCache {
public:
  explicit NextRunCache(std::chrono::sys_seconds after) : after_(after) {}

  // The zone actually used: the requested one, or UTC when it is unknown or empty.
  std::pair<std::string, const date::time_zone*> zone(const std::string& name) {
    auto found = zones_.find(name);
    if (found == zones_.end()) {
      auto zone = timing::find_time_zone(name.empty() ? "UTC" : name);
      std::pair<std::string, const date::time_zone*> entry{name.empty() ? "UTC" : name, nullptr};
      if (zone) {
        entry.second = *zone;
      } else {
        entry = {"UTC", *timing::find_time_zone("UTC")};
      }
      found = zones_.emplace(name, entry).first;
    }
    return found->second;
  }

  const std::string& next_run(const JobRow& job, const std::string& zone_name) {
    const ScheduleClock clock = schedule_clock(job);
    key_.assign(job.schedule.raw).append(1, '\0').append(zone_name); // reused: no allocation
    key_.append(1, static_cast<char>('0' + static_cast<int>(clock)));
    auto found = next_runs_.find(key_);
    if (found == next_runs_.end()) {
      found = next_runs_.emplace(key_, next_run_of(job, after_, *zone(zone_name).second)).first;
    }
    return found->second;
  }

private:
  std::chrono::sys_seconds after_;
  std::map<std::string, std::pair<std::string, const date::time_zone*>> zones_;
  std::string key_;
  std::unordered_map<std::string, std::string> next_runs_; // schedule NUL zone -> next run
};

std::chrono::sys_seconds parse_reference(const std::string& text) {
  auto utc = timing::find_time_zone("UTC");
  if (utc) {
    auto parsed = timing::parse_iso8601(text, **utc);
    if (parsed) {
      return *parsed;
    }
  }
  return std::chrono::sys_seconds{};
}

} // namespace

std::string_view timer_trigger_name(std::string_view written) {
  static constexpr std::string_view known[] = {"OnCalendar",        "OnBootSec",
                                               "OnStartupSec",      "OnUnitActiveSec",
                                               "OnUnitInactiveSec", "OnActiveSec"};
  if (written.empty()) {
    return "";
  }
  for (std::string_view name : known) {
    if (name == written) {
      return name;
    }
  }
  return "other";
}

bool JobRow::has_flag(std::string_view flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

ScheduleClock schedule_clock(const JobRow& job) {
  if (job.source_traits.clock == "once") {
    return ScheduleClock::once;
  }
  if (job.source_traits.clock == "systemd") {
    return job.schedule.trigger == "OnCalendar" ? ScheduleClock::systemd_calendar
                                                : ScheduleClock::systemd_monotonic;
  }
  // anacrontab lines, and run-parts scripts whose directory anacron runs, carry anacron's
  // normal form (docs/catalog.md#anacrontab); their schedule text is not cron fields.
  if (job.source_traits.clock == "anacron" || job.schedule.normalized.starts_with("anacron ")) {
    return ScheduleClock::anacron;
  }
  return ScheduleClock::cron;
}

void answer_one_off_runs(std::vector<JobRow>& jobs) {
  for (auto& job : jobs) {
    if (!job.run.verdict.empty() || schedule_clock(job) != ScheduleClock::once) {
      continue;
    }
    if (job.has_flag("at-running")) {
      job.run.verdict = "running";
      job.run.reason = "atd is running it now (its file is in the running queue '=')";
    } else {
      job.run.verdict = "waiting";
      job.run.reason = "a one-off job in atd's spool: atd removes a job once it has run it, so "
                       "this one has not run yet";
    }
  }
}

std::string next_calendar_run(const std::string& expression, std::chrono::sys_seconds after,
                              const date::time_zone& zone) {
  auto spec = timing::parse_calendar_spec(expression);
  if (!spec) {
    return "";
  }
  auto elapse = timing::next_calendar_elapse(*spec, after, &zone);
  if (!elapse) {
    return "";
  }
  return timing::to_iso8601(timing::FireTime{*elapse, zone.get_info(*elapse).offset});
}

namespace {

// An at job's time (UTC, ISO 8601 as the reader wrote it) while it is still ahead.
std::string next_once(const std::string& when, std::chrono::sys_seconds after) {
  auto utc = timing::find_time_zone("UTC");
  if (!utc) {
    return "";
  }
  auto time = timing::parse_iso8601(when, **utc);
  return time && *time > after ? when : "";
}

} // namespace

std::string next_run_of(const JobRow& job, std::chrono::sys_seconds after,
                        const date::time_zone& zone) {
  switch (schedule_clock(job)) {
  case ScheduleClock::cron: {
    auto schedule = crontab::parse_schedule(job.schedule.raw);
    if (!schedule) {
      return "";
    }
    const auto time = timing::next_fire_time(*schedule, after, zone);
    return time ? timing::to_iso8601(*time) : "";
  }
  case ScheduleClock::systemd_calendar:
    return next_calendar_run(job.schedule.raw, after, zone);
  case ScheduleClock::once:
    return next_once(job.schedule.raw, after);
  case ScheduleClock::systemd_monotonic:
  case ScheduleClock::anacron:
    return ""; // no wall-clock time: boot, unit activity or anacron's own timestamps decide
  }
  return "";
}

std::string reference_time(const catalog::ScanSummary& scan) {
  return scan.finished_at.empty() ? scan.started_at : scan.finished_at;
}

void compute_derived_fields(Snapshot& snapshot) {
  NextRunCache cache(parse_reference(reference_time(snapshot.scan)));
  std::unordered_map<std::string, std::vector<std::size_t>> hosts_of;
  hosts_of.reserve(snapshot.jobs.size());
  for (auto& job : snapshot.jobs) {
    const std::string& wanted =
        job.schedule.cron_tz.empty() ? snapshot.hosts.at(job.host).timezone : job.schedule.cron_tz;
    job.schedule.zone = cache.zone(wanted).first;
    job.schedule.next_run = cache.next_run(job, wanted);
    if (!job.fingerprint.empty()) {
      hosts_of[job.fingerprint].push_back(job.host);
    }
  }
  for (auto& [fingerprint, hosts] : hosts_of) {
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
  }
  for (auto& job : snapshot.jobs) {
    job.same_job_hosts =
        job.fingerprint.empty() ? 1 : static_cast<std::int64_t>(hosts_of[job.fingerprint].size());
  }
}

JobRow as_job(const WorkerRow& worker) {
  JobRow job;
  job.host = worker.host;
  job.owner = worker.owner;
  job.command = worker.command;
  job.language = worker.language;
  job.evidence = worker.evidence;
  job.file = worker.file;
  job.line = worker.line;
  job.source_kind = worker.manager == "supervisor" ? "supervisor" : "worker-unit";
  job.verdict = worker.verdict;
  job.fingerprint = worker.fingerprint;
  job.flags = worker.flags;
  return job;
}

std::string crash_loop_text(const WorkerRow& worker) {
  if (std::find(worker.flags.begin(), worker.flags.end(), "crash-loop") == worker.flags.end()) {
    return {};
  }
  const auto exits = worker.unexpected_exits.value_or(0);
  std::string text = fmt::format("crash loop: {} unexpected exit{}", exits, exits == 1 ? "" : "s");
  if (!worker.last_exit.empty()) {
    text += ", last " + worker.last_exit;
  }
  if (worker.gave_up > 0) {
    text += ", gave up " + (worker.gave_up_at.empty() ? "(time unknown)" : worker.gave_up_at);
  }
  return text + " (supervisord's log, host time)";
}

} // namespace digger::report
