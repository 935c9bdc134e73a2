#include "digger/evidence/attribution.hpp"

#include "digger/evidence/log_key.hpp"
#include "digger/util/enum_names.hpp"

#include <fmt/format.h>

#include <map>

#include "civil_time.hpp"

namespace digger::evidence {

namespace {

using Candidates = std::vector<std::size_t>;

// (user, logged command) -> the entries that log exactly that line, under either daemon.
using KeyIndex = std::map<std::pair<std::string, std::string>, Candidates, std::less<>>;

KeyIndex index_entries(const std::vector<EntryRef>& entries) {
  KeyIndex index;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    if (entry.not_logged || !entry.anacron_job.empty()) {
      continue;
    }
    const auto cronie = log_key(entry.command, Daemon::cronie);
    const auto debian = log_key(entry.command, Daemon::debian);
    index[{entry.user, cronie}].push_back(i);
    if (debian != cronie) {
      index[{entry.user, debian}].push_back(i);
    }
  }
  return index;
}

// Several entries log the same line: keep those whose schedule fires at the line's minute
// (or the minute before: the shell may log a second late). None left: all stay candidates.
Candidates narrow(const std::vector<EntryRef>& entries, const Candidates& all,
                  const LogEvent& event) {
  if (all.size() < 2 || !event.local) {
    return all;
  }
  const LocalTime now = *event.local;
  const LocalTime before = civil_from_epoch(epoch_of(now) - 60);
  Candidates kept;
  for (const auto i : all) {
    const auto& schedule = entries[i].schedule;
    if (!schedule || fires_at(*schedule, now) || fires_at(*schedule, before)) {
      kept.push_back(i);
    }
  }
  return kept.empty() ? all : kept;
}

void note_run(JobEvidence& evidence, const LogEvent& event, bool alone) {
  (alone ? evidence.runs : evidence.ambiguous_runs) += 1;
  if (event.epoch && (!evidence.last_run || *event.epoch > *evidence.last_run)) {
    evidence.last_run = event.epoch;
  }
}

void note_failure(JobEvidence& evidence, const LogEvent& event) {
  evidence.failures += 1;
  if (event.epoch && (!evidence.last_failure || *event.epoch >= *evidence.last_failure)) {
    evidence.last_failure = event.epoch;
    evidence.last_exit_status = event.exit_status;
  }
}

std::string window_text(const Coverage& coverage) {
  const auto day = [](std::int64_t t) {
    const auto c = civil_from_epoch(t);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute);
  };
  if (!coverage.from || !coverage.to) {
    return fmt::format("{} (no dated line)", coverage.source);
  }
  return fmt::format("{} from {} to {}", coverage.source, day(*coverage.from), day(*coverage.to));
}

constexpr util::EnumNames<Verdict, Verdict::log_unreadable> verdict_names{
    {"running", "ambiguous", "no-evidence", "log-unreadable"}};

} // namespace

std::string_view verdict_name(Verdict verdict) {
  return verdict_names.name_of(verdict, "no-evidence");
}

std::optional<Verdict> verdict_from_name(std::string_view name) {
  return verdict_names.value_of(name);
}

bool fires_at(const crontab::Schedule& s, const LocalTime& t) {
  if (s.is_reboot() || s.randomized) {
    return true; // @reboot has no minute; a `~` value is drawn when cron loads the file
  }
  const int weekday = weekday_of(t);
  const bool dom = s.days_of_month.test(static_cast<std::size_t>(t.day));
  const bool dow = s.days_of_week.test(static_cast<std::size_t>(weekday));
  // cronie's job_runs_at(): with either day field starting with '*', both must match.
  const bool day = (s.dom_star || s.dow_star) ? (dom && dow) : (dom || dow);
  return s.minutes.test(static_cast<std::size_t>(t.minute)) &&
         s.hours.test(static_cast<std::size_t>(t.hour)) &&
         s.months.test(static_cast<std::size_t>(t.month)) && day;
}

void attribute(const std::vector<EntryRef>& entries, const std::vector<LogEvent>& events,
               std::vector<JobEvidence>& evidence) {
  evidence.resize(entries.size());
  const auto index = index_entries(entries);
  // The job PID of each start, to give Debian's "-L 4" failure line to its entry.
  std::map<std::int64_t, Candidates> started;
  for (const auto& event : events) {
    if (event.kind == EventKind::cmd) {
      const auto it = index.find(std::pair{event.user, event.detail});
      if (it == index.end()) {
        continue;
      }
      const auto owners = narrow(entries, it->second, event);
      for (const auto i : owners) {
        note_run(evidence[i], event, owners.size() == 1);
      }
      const auto job_pid = event.job_pid ? event.job_pid : event.pid;
      if (job_pid) {
        started[*job_pid] = owners;
      }
    } else if (event.kind == EventKind::job_failed && event.job_pid) {
      const auto it = started.find(*event.job_pid);
      if (it != started.end() && it->second.size() == 1) {
        note_failure(evidence[it->second.front()], event);
      }
    } else if (event.kind == EventKind::anacron_started ||
               event.kind == EventKind::anacron_terminated) {
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].anacron_job.empty() || entries[i].anacron_job != event.detail) {
          continue;
        }
        if (event.kind == EventKind::anacron_started) {
          note_run(evidence[i], event, true);
        } else if (event.exit_status && *event.exit_status != 0) {
          note_failure(evidence[i], event);
        }
      }
    }
  }
}

Judgement judge(const EntryRef& entry, const JobEvidence& evidence, const Coverage& coverage) {
  if (!coverage.readable) {
    return {Verdict::log_unreadable,
            fmt::format("{}: {}; reading it needs sudo, or membership in group adm or "
                        "systemd-journal",
                        coverage.source.empty() ? "cron log" : coverage.source,
                        coverage.unreadable_reason)};
  }
  const auto window = window_text(coverage);
  if (evidence.runs > 0) {
    return {Verdict::running, fmt::format("{} run(s) in {}", evidence.runs, window)};
  }
  if (evidence.ambiguous_runs > 0) {
    return {Verdict::ambiguous,
            fmt::format("{} run(s) in {} that another entry with the same command could own",
                        evidence.ambiguous_runs, window)};
  }
  if (entry.not_logged) {
    return {Verdict::no_evidence,
            "the entry starts with '-': cronie never logs it (no evidence by design)"};
  }
  return {Verdict::no_evidence,
          fmt::format("no start logged in {} (logging may be off or filtered: not proof that "
                      "it does not run)",
                      window)};
}

std::string entry_key(const EntryRef& entry) {
  const std::string what =
      entry.anacron_job.empty() ? log_key(entry.command, Daemon::cronie) : entry.anacron_job;
  const std::string when = entry.schedule ? entry.schedule->normalized() : std::string();
  return fmt::format("{}\n{}\n{}", entry.user, when, what);
}

} // namespace digger::evidence
