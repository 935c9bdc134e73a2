// The Prometheus text exposition format (docs/reports.md#prometheus): one HELP and TYPE per
// family, every series once, families and series in a fixed order so that two runs on one
// catalog give equal bytes.

#include "digger/report/render_prometheus.hpp"

#include "digger/report/text.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

namespace digger::report {
namespace {

constexpr std::string_view other_value = "(other)"; // values folded by PrometheusLimits
constexpr std::string_view no_value = "(none)";     // a host without the label (as --group-by)

// Label names and values of one series, in the order they are printed; map keys keep each
// series once and sort them.
using Labels = std::vector<std::pair<std::string_view, std::string>>;
using Series = std::map<Labels, std::int64_t>;

// The exposition format's escapes: backslash and newline, and in a label value the double quote.
std::string escaped(std::string_view text, bool label_value) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"' && label_value) {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void write_family(std::string& out, std::string_view name, std::string_view help,
                  const Series& series) {
  out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, escaped(help, false), name);
  for (const auto& [labels, value] : series) {
    out += name;
    if (!labels.empty()) {
      out += '{';
      for (std::size_t i = 0; i < labels.size(); ++i) {
        out += fmt::format("{}{}=\"{}\"", i == 0 ? "" : ",", labels[i].first,
                           prometheus_escape_label_value(labels[i].second));
      }
      out += '}';
    }
    out += fmt::format(" {}\n", value);
  }
}

void write_single(std::string& out, std::string_view name, std::string_view help,
                  std::int64_t value) {
  write_family(out, name, help, Series{{Labels{}, value}});
}

// Valid UTF-8, at most `bytes` bytes, cut before a continuation byte.
std::string bounded(std::string_view raw, std::size_t bytes) {
  std::string value = valid_utf8(raw);
  if (value.size() > bytes) {
    std::size_t end = bytes;
    while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) {
      --end;
    }
    value.resize(end);
  }
  return value;
}

// The `keep` values with the most jobs (ties: by name); every value when there are no more.
std::set<std::string> top_values(const std::map<std::string, std::int64_t>& counts,
                                 std::size_t keep) {
  std::vector<std::pair<std::string, std::int64_t>> ranked(counts.begin(), counts.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::set<std::string> kept;
  for (std::size_t i = 0; i < ranked.size() && i < keep; ++i) {
    kept.insert(ranked[i].first);
  }
  return kept;
}

std::string fold(std::string value, const std::set<std::string>& kept) {
  return kept.count(value) > 0 ? value : std::string(other_value);
}

std::string verdict_of(const JobRow& job) {
  return job.verdict.empty() ? "unknown" : job.verdict;
}

std::vector<const JobRow*> counted_jobs(const ReportView& view) {
  std::vector<const JobRow*> jobs;
  for (const auto& group : view.groups) {
    jobs.insert(jobs.end(), group.jobs.begin(), group.jobs.end());
  }
  return jobs;
}

// Counts by (`label`, language, owner) of each row, bounded once; languages and owners beyond
// the limits' most frequent ones are folded together.
template <class Row, class LabelOf>
Series by_language_and_owner(const std::vector<const Row*>& rows, std::string_view label,
                             const LabelOf& label_of, const PrometheusLimits& limits) {
  std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> counts;
  std::map<std::string, std::int64_t> owners, languages;
  for (const Row* row : rows) {
    auto language = bounded(row->language, limits.value_bytes);
    auto owner = bounded(row->owner, limits.value_bytes);
    ++languages[language];
    ++owners[owner];
    ++counts[{label_of(*row), std::move(language), std::move(owner)}];
  }
  const auto kept_owners = top_values(owners, limits.owners);
  const auto kept_languages = top_values(languages, limits.languages);
  Series series;
  for (const auto& [key, count] : counts) {
    const auto& [value, language, owner] = key;
    series[{{label, value},
            {"language", fold(language, kept_languages)},
            {"owner", fold(owner, kept_owners)}}] += count;
  }
  return series;
}

void write_jobs(std::string& out, const std::vector<const JobRow*>& jobs,
                const PrometheusLimits& limits) {
  write_family(out, "digger_jobs",
               "Jobs of the scan by verdict (hidden, managed, unknown), language and owner.",
               by_language_and_owner(jobs, "verdict", verdict_of, limits));
}

// Does it run (docs/evidence.md). Written only when some job has a verdict, so catalogs from
// before run evidence keep their exact metrics.
void write_jobs_by_evidence(std::string& out, const std::vector<const JobRow*>& jobs) {
  Series series;
  bool any = false;
  for (const JobRow* job : jobs) {
    any = any || !job->run.verdict.empty();
    series[{{"evidence", job->run.verdict.empty() ? "not-judged" : job->run.verdict}}] += 1;
  }
  if (any) {
    write_family(out, "digger_jobs_by_evidence",
                 "Jobs of the scan by run evidence from the cron log (running, ambiguous, "
                 "no-evidence, log-unreadable; not-judged: a source the daemon does not log).",
                 series);
  }
}

// Supervisor workers in a crash loop by supervisord's log (docs/workers.md); only when some
// host's log was read, so a scan without one keeps its bytes.
void write_crash_loops(std::string& out, const ReportView& view) {
  bool read = false;
  std::int64_t looping = 0;
  for (const WorkerRow* worker : view.workers) {
    read |= worker->unexpected_exits.has_value();
    looping += crash_loop_text(*worker).empty() ? 0 : 1;
  }
  if (read) {
    write_single(out, "digger_worker_crash_loops",
                 "Supervisor workers restarting in a loop by supervisord's log (3 or more "
                 "unexpected exits in the window read, or gave up).",
                 looping);
  }
}

// Workers by manager, language and owner (folded like the jobs'); only when the scan found
// some, so the exposition of a fleet without workers keeps its bytes.
void write_workers(std::string& out, const ReportView& view, const PrometheusLimits& limits) {
  if (view.workers.empty()) {
    return;
  }
  const auto manager_of = [&limits](const WorkerRow& worker) {
    return bounded(worker.manager, limits.value_bytes);
  };
  write_family(out, "digger_workers",
               "Long-running workers (Supervisor programs, systemd services) by manager, "
               "language and owner.",
               by_language_and_owner(view.workers, "manager", manager_of, limits));
  write_crash_loops(out, view);
}

using HostLabels = std::map<std::string, std::string>;

HostLabels bounded_labels(const HostRow& host, const PrometheusLimits& limits) {
  HostLabels labels;
  for (const auto& [key, value] : host.labels) {
    labels.emplace(bounded(key, limits.value_bytes), bounded(value, limits.value_bytes));
  }
  return labels;
}

// The inventory label keys most hosts carry.
std::vector<std::string> label_keys(const ReportView& view, const PrometheusLimits& limits) {
  std::map<std::string, std::int64_t> keys;
  for (const HostRow* host : view.hosts) {
    for (const auto& [key, value] : bounded_labels(*host, limits)) {
      ++keys[key];
    }
  }
  const auto kept = top_values(keys, limits.label_keys);
  return {kept.begin(), kept.end()};
}

// Labels belong to hosts: jobs are counted per host and verdict once, then each label key
// costs one pass over the hosts, not over the jobs.
void write_jobs_by_label(std::string& out, const ReportView& view,
                         const std::vector<const JobRow*>& jobs, const PrometheusLimits& limits) {
  std::map<std::pair<std::size_t, std::string>, std::int64_t> per_host; // (host, verdict)
  for (const JobRow* job : jobs) {
    ++per_host[{job->host, verdict_of(*job)}];
  }
  std::map<std::size_t, HostLabels> labels;
  for (const auto& [host_verdict, count] : per_host) {
    const std::size_t host = host_verdict.first;
    if (labels.count(host) == 0) {
      labels.emplace(host, bounded_labels(view.snapshot->hosts.at(host), limits));
    }
  }
  auto value_of = [&labels](std::size_t host, const std::string& key) {
    const auto& host_labels = labels.at(host);
    const auto found = host_labels.find(key);
    return found == host_labels.end() ? std::string(no_value) : found->second;
  };
  Series series;
  for (const auto& key : label_keys(view, limits)) {
    std::map<std::string, std::int64_t> values;
    for (const auto& [host_verdict, count] : per_host) {
      values[value_of(host_verdict.first, key)] += count;
    }
    const auto kept = top_values(values, limits.label_values);
    for (const auto& [host_verdict, count] : per_host) {
      series[{{"verdict", host_verdict.second},
              {"label", key},
              {"value", fold(value_of(host_verdict.first, key), kept)}}] += count;
    }
  }
  write_family(out, "digger_jobs_by_label",
               "Jobs of the scan by verdict and inventory label (label: the key, value: the "
               "host's value, (none) without it).",
               series);
}

// The catalog's times: "2026-11-18T02:00:00Z" (UTC, whole seconds).
std::optional<std::int64_t> unix_seconds(const std::string& iso8601) {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char zulu = 0;
  if (std::sscanf(iso8601.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%c", &year, &month, &day, &hour, &minute,
                  &second, &zulu) != 7 ||
      zulu != 'Z' || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  const auto midnight = date::sys_days{ymd}.time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(midnight).count() + hour * 3600 +
         minute * 60 + second;
}

void write_scan(std::string& out, const ReportView& view) {
  const auto& scan = view.snapshot->scan;
  write_family(out, "digger_scan_info",
               "The reported scan: its status and the digger-scan version that ran it.",
               Series{{Labels{{"status", std::string(catalog::scan_status_name(scan.status))},
                              {"version", scan.digger_version}},
                       1}});
  write_single(out, "digger_scan_id", "Catalog id of the reported scan.", scan.id);
  const auto start = unix_seconds(scan.started_at);
  const auto end = unix_seconds(scan.finished_at);
  if (start) {
    write_single(out, "digger_scan_start_timestamp_seconds",
                 "When the scan started, in seconds since the Unix epoch.", *start);
  }
  if (end) {
    write_single(out, "digger_scan_end_timestamp_seconds",
                 "When the scan ended, in seconds since the Unix epoch.", *end);
  }
  if (start && end) {
    write_single(out, "digger_scan_duration_seconds", "How long the scan took, in seconds.",
                 *end - *start);
  }
}

void write_hosts(std::string& out, const ReportView& view, const PrometheusLimits& limits) {
  Series series;
  for (const HostRow* host : view.hosts) {
    ++series[{{"status", bounded(host->status, limits.value_bytes)}}];
  }
  write_family(out, "digger_hosts",
               "Hosts of the scan by status (ok, partial, unreachable, auth-failed, ...).", series);
}

// Whose verdict a change counts under: the job as it is now, or as it was when it is gone.
const JobRow* changed_job(const JobChange& change) {
  using Kind = JobChange::Kind;
  const bool gone = change.kind == Kind::removed || change.kind == Kind::migrated;
  const auto& job = gone ? change.before : change.after;
  return job ? &*job : nullptr;
}

void write_changes(std::string& out, const Diff& diff, const PrometheusLimits& limits) {
  using Kind = JobChange::Kind;
  Series series;
  // Every change and verdict is present, at 0 when nothing changed: a panel or an alert on
  // `digger_job_changes{change="added",verdict="hidden"}` then always has a value.
  for (auto kind : {Kind::added, Kind::removed, Kind::schedule_changed, Kind::command_changed,
                    Kind::migrated}) {
    for (const char* verdict : {"hidden", "managed", "unknown"}) {
      series[{{"change", std::string(change_name(kind))}, {"verdict", verdict}}] = 0;
    }
  }
  for (const char* verdict : {"hidden", "managed", "unknown"}) {
    series[{{"change", "moved"}, {"verdict", verdict}}] = 0;
  }
  for (const auto& host : diff.hosts) {
    for (const auto& change : host.changes) {
      const JobRow* job = changed_job(change);
      const std::string verdict = job ? bounded(verdict_of(*job), limits.value_bytes) : "unknown";
      ++series[{{"change", std::string(change_name(change.kind))}, {"verdict", verdict}}];
    }
  }
  for (const auto& move : diff.moves) {
    ++series[{{"change", "moved"},
              {"verdict", bounded(verdict_of(move.after), limits.value_bytes)}}];
  }
  write_single(out, "digger_previous_scan_id",
               "Catalog id of the scan digger_job_changes compares with.", diff.from.id);
  write_family(out, "digger_job_changes",
               "Jobs added, removed, changed, migrated or moved since the previous complete scan, "
               "by the job's verdict (fleet-wide, whatever the filter).",
               series);
  write_family(
      out, "digger_host_changes",
      "Hosts new to or gone from the inventory since the previous complete scan.",
      Series{{Labels{{"change", "new"}}, static_cast<std::int64_t>(diff.counts.hosts_new)},
             {Labels{{"change", "gone"}}, static_cast<std::int64_t>(diff.counts.hosts_gone)}});
}

} // namespace

std::string prometheus_escape_label_value(std::string_view value) {
  return escaped(valid_utf8(value), true);
}

std::string render_prometheus(const ReportView& view, const Diff* since_previous,
                              const PrometheusLimits& limits) {
  std::string out;
  write_scan(out, view);
  write_hosts(out, view, limits);
  const auto jobs = counted_jobs(view);
  write_jobs(out, jobs, limits);
  write_jobs_by_evidence(out, jobs);
  write_jobs_by_label(out, view, jobs, limits);
  write_single(out, "digger_migrated_jobs",
               "Disabled lines marked `# digger: migrated to ...` on the reported hosts.",
               view.totals.migrated);
  write_workers(out, view, limits);
  if (since_previous != nullptr) {
    write_changes(out, *since_previous, limits);
  }
  return out;
}

} // namespace digger::report
