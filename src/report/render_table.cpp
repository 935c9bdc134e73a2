// The table report for a terminal: by default a summary that fits a screen (the answer first),
// with --full every listed job. On a terminal, table cells are cut to its width; in a pipe or
// a file nothing is cut. Host text is escaped.

#include "digger/report/render.hpp"
#include "digger/report/schedule_text.hpp"
#include "digger/report/table_writer.hpp"
#include "digger/report/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace digger::report {
namespace {

// Rows per summary table: with the header and the hints, the summary stays near 50 lines.
constexpr std::size_t summary_rows = 6;
constexpr std::size_t all_rows = 0;

std::string host_label(const HostRow& host) {
  std::string name = terminal_text(host.name);
  return host.port == 22 ? name : fmt::format("{}:{}", name, host.port);
}

std::string plural(std::int64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// How many rows a summary table shows of `total` (all of them for 0).
std::size_t shown(std::size_t total, std::size_t limit) {
  return limit == all_rows ? total : std::min(total, limit);
}

void write_more(TableWriter& w, std::size_t total, std::size_t limit, std::string_view what) {
  if (shown(total, limit) < total) {
    const std::size_t more = total - limit;
    w.line(fmt::format("  ... and {} more {}{} (--full lists them)", more, what,
                       more == 1 ? "" : "s"));
  }
}

// A section's blank line and heading, then "none" when it has no rows; returns has_rows.
bool open_section(TableWriter& w, std::string_view title, bool has_rows) {
  w.blank();
  w.heading(title);
  if (!has_rows) {
    w.line("  none");
  }
  return has_rows;
}

// Does it run: the run verdicts of the listed jobs (docs/evidence.md); "" when no
// listed job was judged (other sources, or a catalog from before run evidence).
std::string runs_summary(const ReportView& view) {
  std::map<std::string, std::int64_t, std::less<>> counts;
  for (const auto& group : view.groups) {
    for (const JobRow* job : group.jobs) {
      if (!job->run.verdict.empty()) {
        ++counts[job->run.verdict];
      }
    }
  }
  std::vector<std::string> parts;
  for (std::string_view verdict :
       {"running", "ambiguous", "no-evidence", "log-unreadable", "waiting"}) {
    if (auto it = counts.find(verdict); it != counts.end()) {
      parts.push_back(fmt::format("{} {}", it->second, verdict));
    }
  }
  return parts.empty() ? ""
                       : fmt::format("Does it run: {}; --filter evidence=VERDICT "
                                     "lists them",
                                     fmt::join(parts, ", "));
}

void write_header(TableWriter& w, const ReportView& view, bool full) {
  const auto& scan = view.snapshot->scan;
  w.heading(fmt::format("Digger report: scan {} ({}), finished {}", scan.id,
                        catalog::scan_status_name(scan.status),
                        scan.finished_at.empty() ? "-" : scan.finished_at));
  w.para(fmt::format("Inventory: {}  Filter: {}  Grouped by: {}",
                     terminal_text(scan.inventory_path),
                     view.filter_text.empty() ? "(none)" : terminal_text(view.filter_text),
                     terminal_text(view.group_by.name())));
  const auto& t = view.totals;
  w.para(fmt::format("Hosts: {} ({} scanned, {} failed)  Jobs: {}{}  Languages: {}", t.hosts,
                     t.hosts_scanned, t.hosts_failed, t.jobs,
                     view.verdicts_known ? fmt::format(" ({} hidden)", t.hidden) : "",
                     t.languages));
  if (!view.verdicts_known) {
    w.para("No verdicts in this scan (recorded before digger-scan told hidden from managed).");
  }
  const std::string managed = managed_summary(view);
  if (!managed.empty()) {
    w.para(managed);
  }
  if (const std::string runs = runs_summary(view); !runs.empty()) {
    w.para(runs);
  }
  if (t.migrated > 0) {
    w.para(fmt::format("{} marked migrated (see `digger-scan diff`)",
                       plural(t.migrated, "disabled job")));
  }
  if (full) {
    w.para(fmt::format("Next runs are computed from the scan's end ({}), not from now.",
                       reference_time(scan)));
  }
}

void write_languages(TableWriter& w, std::string_view title, const std::vector<LanguageCount>& rows,
                     bool with_hidden, std::size_t limit) {
  if (!open_section(w, title, !rows.empty())) {
    return;
  }
  w.line(fmt::format("  {} {:>7} {:>6} {:>7}{}", w.cell("LANGUAGE", 20), "JOBS", "HOSTS", "OWNERS",
                     with_hidden ? fmt::format(" {:>7}", "HIDDEN") : ""));
  for (std::size_t i = 0; i < shown(rows.size(), limit); ++i) {
    const auto& row = rows[i];
    w.line(fmt::format("  {} {:>7} {:>6} {:>7}{}", w.cell(terminal_text(row.language), 20),
                       row.jobs, row.hosts, row.owners,
                       with_hidden ? fmt::format(" {:>7}", row.hidden) : ""));
  }
  write_more(w, rows.size(), limit, "language");
}

void write_owners(TableWriter& w, std::string_view title, const std::vector<OwnerCount>& rows,
                  bool with_hidden, std::size_t limit) {
  if (!open_section(w, title, !rows.empty())) {
    return;
  }
  w.line(fmt::format("  {} {:>7} {:>6}{}  {}", w.cell("OWNER", 20), "JOBS", "HOSTS",
                     with_hidden ? fmt::format(" {:>7}", "HIDDEN") : "", "LANGUAGES"));
  for (std::size_t i = 0; i < shown(rows.size(), limit); ++i) {
    const auto& row = rows[i];
    w.line(fmt::format("  {} {:>7} {:>6}{}  {}", w.cell(terminal_text(row.owner), 20), row.jobs,
                       row.hosts, with_hidden ? fmt::format(" {:>7}", row.hidden) : "",
                       fmt::join(row.languages, ", ")));
  }
  write_more(w, rows.size(), limit, "owner");
}

// The hosts with the most hidden batches (most listed jobs when verdicts are unknown).
void write_top_hosts(TableWriter& w, const ReportView& view, std::size_t limit) {
  std::map<std::size_t, std::pair<std::int64_t, std::int64_t>> counts; // host -> hidden, jobs
  for (const auto& group : view.groups) {
    for (const JobRow* job : group.jobs) {
      auto& [hidden, jobs] = counts[job->host];
      hidden += job->hidden() ? 1 : 0;
      ++jobs;
    }
  }
  std::vector<std::pair<std::size_t, std::pair<std::int64_t, std::int64_t>>> rows(counts.begin(),
                                                                                  counts.end());
  const bool by_hidden = view.verdicts_known;
  std::stable_sort(rows.begin(), rows.end(), [by_hidden](const auto& a, const auto& b) {
    return by_hidden ? a.second.first > b.second.first : a.second.second > b.second.second;
  });
  const std::string_view title =
      by_hidden ? "Hosts with the most hidden batches" : "Hosts with the most jobs";
  if (!open_section(w, title, !rows.empty())) {
    return;
  }
  w.line(fmt::format("  {} {:>7} {:>7}", w.cell("HOST", 24), "HIDDEN", "JOBS"));
  for (std::size_t i = 0; i < shown(rows.size(), limit); ++i) {
    const auto& [host, n] = rows[i];
    w.line(fmt::format("  {} {:>7} {:>7}", w.cell(host_label(view.snapshot->hosts.at(host)), 24),
                       by_hidden ? std::to_string(n.first) : "-", n.second));
  }
  write_more(w, rows.size(), limit, "host");
}

// Failed hosts with their whole reason: wrapped on a terminal, never cut.
void write_failed(TableWriter& w, const ReportView& view, std::size_t limit) {
  open_section(w, fmt::format("Hosts that could not be scanned ({})", view.failed_hosts.size()),
               !view.failed_hosts.empty());
  for (std::size_t i = 0; i < shown(view.failed_hosts.size(), limit); ++i) {
    const HostRow& host = *view.failed_hosts[i];
    w.para(fmt::format("  {} {} {}", w.cell(host_label(host), 24), w.cell(host.status, 17),
                       terminal_text(host.reason)),
           44, true);
  }
  write_more(w, view.failed_hosts.size(), limit, "host");
}

void write_duplicates(TableWriter& w, const ReportView& view, std::size_t limit) {
  const std::string title =
      fmt::format("Same job on several hosts: one batch run N times ({})", view.duplicates.size());
  if (!open_section(w, title, !view.duplicates.empty())) {
    return;
  }
  w.line(fmt::format("  {:>5}  {} {} {}", "HOSTS", w.cell("OWNER", 10), w.cell("SCHEDULE", 16),
                     "COMMAND"));
  for (std::size_t i = 0; i < shown(view.duplicates.size(), limit); ++i) {
    const auto& row = view.duplicates[i];
    w.line(fmt::format("  {:>5}  {} {} {}", row.hosts,
                       w.cell(terminal_text(row.example->owner), 10),
                       w.cell(terminal_text(schedule_text(*row.example)), 16),
                       terminal_text(row.example->command)));
  }
  write_more(w, view.duplicates.size(), limit, "job");
}

std::string when_text(const JobRow& job);

// In-app schedulers and the tasks read from their source; only when the listed jobs have any,
// so reports of fleets without them are unchanged.
void write_app_schedulers(TableWriter& w, const ReportView& view, std::size_t limit) {
  const auto& apps = view.app_schedulers;
  if (apps.empty()) {
    return;
  }
  w.blank();
  w.heading(fmt::format("Application schedulers: jobs that run an in-app scheduler ({})",
                        apps.schedulers.size()));
  for (std::size_t i = 0; i < shown(apps.schedulers.size(), limit); ++i) {
    const JobRow& job = *apps.schedulers[i];
    w.line(fmt::format("  {} {} {}:{} {}", w.cell(host_label(view.host_of(job)), 20),
                       w.cell(terminal_text(job.owner), 10), terminal_text(job.file), job.line,
                       terminal_text(job.command)));
    w.para("      " + terminal_text(app_scheduler_reason(job)), 6);
  }
  write_more(w, apps.schedulers.size(), limit, "scheduler");
  open_section(w, fmt::format("Application tasks, inferred from source ({})", apps.tasks.size()),
               !apps.tasks.empty());
  for (std::size_t i = 0; i < shown(apps.tasks.size(), limit); ++i) {
    const JobRow& job = *apps.tasks[i];
    w.line(fmt::format("  {} {} {} {}", w.cell(host_label(view.host_of(job)), 20),
                       w.cell(terminal_text(job.owner), 10),
                       w.cell(terminal_text(job.schedule.raw.empty() ? "?" : job.schedule.raw), 16),
                       terminal_text(job.command)));
    w.line(fmt::format("      from {}{}", terminal_text(job.schedule_origin),
                       job.has_flag("not-static") ? " (partly not known statically)" : ""));
  }
  write_more(w, apps.tasks.size(), limit, "task");
}

// Long-running programs: shown only when the scan found some, so a fleet without any reads as
// before.
void write_workers(TableWriter& w, const ReportView& view, std::size_t limit) {
  if (view.workers.empty()) {
    return;
  }
  w.blank();
  w.heading(fmt::format("Workers: programs kept running by Supervisor or systemd ({})",
                        view.workers.size()));
  w.line(fmt::format("  {} {} {} {:>4} {} {}", w.cell("HOST", 20), w.cell("OWNER", 10),
                     w.cell("LANGUAGE", 10), "PROC", w.cell("RESTART", 10), "NAME: COMMAND"));
  for (std::size_t i = 0; i < shown(view.workers.size(), limit); ++i) {
    const WorkerRow& worker = *view.workers[i];
    w.line(fmt::format(
        "  {} {} {} {:>4} {} {}: {}", w.cell(host_label(view.snapshot->hosts.at(worker.host)), 20),
        w.cell(terminal_text(worker.owner), 10), w.cell(terminal_text(worker.language), 10),
        worker.instances, w.cell(terminal_text(worker.restart), 10), terminal_text(worker.name),
        terminal_text(worker.command)));
    if (!worker.rejected.empty()) {
      w.alert("      rejected: would not run: " + terminal_text(worker.rejected));
    }
    if (const auto crash = crash_loop_text(worker); !crash.empty()) {
      w.alert("      " + terminal_text(crash));
    }
  }
  write_more(w, view.workers.size(), limit, "worker");
}

std::string when_text(const JobRow& job) {
  const auto& s = job.schedule;
  std::string when = terminal_text(s.description.empty() ? s.raw : s.description);
  if (!s.trigger.empty()) {
    when = std::string(s.trigger) + "=" + when;
  }
  if (!s.cron_tz.empty()) {
    when += " (CRON_TZ=" + terminal_text(s.cron_tz) + ")";
  }
  if (!job.source_traits.crontab()) { // not a crontab line: say what it is
    when += " [" + job.source_kind + "]";
  }
  return when;
}

void write_job(TableWriter& w, const ReportView& view, const JobRow& job) {
  const auto& s = job.schedule;
  w.line(fmt::format("  {} {} {}", w.cell(host_label(view.host_of(job)), 20),
                     w.cell(terminal_text(job.owner), 10), when_text(job)));
  w.line(fmt::format("      next {} {}", w.cell(s.next_run.empty() ? "-" : s.next_run, 25),
                     terminal_text(job.command)));
  if (!job.schedule_origin.empty()) {
    w.line("      schedule from " + terminal_text(job.schedule_origin));
  }
  if (job.managed()) {
    w.line("      managed by " + terminal_text(job.managed_by));
  } else if (!job.verdict_reasons.empty()) {
    w.items("      why: ", job.verdict_reasons);
  }
  if (!job.run.verdict.empty()) {
    const auto last = utc_text(job.run.last_run);
    const auto hints = spool_hints(job.run.mails, job.run.last_mail, job.run.output_mtime);
    w.line(fmt::format("      runs: {}{} ({}){}", job.run.verdict,
                       last.empty() ? "" : ", last " + last, terminal_text(job.run.reason),
                       hints.empty() ? "" : "; " + hints));
  }
  if (!job.flags.empty()) {
    w.alert(fmt::format("      flags: {}",
                        terminal_text(fmt::format("{}", fmt::join(job.flags, ", ")))));
  }
}

// Hidden batches first, under their own heading; then whatever else is listed.
void write_jobs(TableWriter& w, const ReportView& view) {
  if (!view.verdicts_known) {
    w.blank();
    w.heading(fmt::format("Jobs by {}", terminal_text(view.group_by.name())));
    for (const auto& group : view.groups) {
      w.heading(fmt::format("== {} ({}) ==", terminal_text(group.key), group.jobs.size()));
      for (const JobRow* job : group.jobs) {
        write_job(w, view, *job);
      }
    }
    return;
  }
  bool hidden_part = true;
  const std::string title = fmt::format("Hidden batches by {} ({})",
                                        terminal_text(view.group_by.name()), view.totals.hidden);
  open_section(w, title, view.totals.hidden != 0);
  for (const auto& group : view.groups) {
    if (hidden_part && !group.hidden) {
      hidden_part = false;
      w.blank();
      w.heading(
          fmt::format("Other jobs by {} ({}): {}", terminal_text(view.group_by.name()),
                      view.totals.jobs - view.totals.hidden,
                      view.managed_listed ? "managed, or without a verdict" : "without a verdict"));
    }
    w.heading(fmt::format("== {} ({}) ==", terminal_text(group.key), group.jobs.size()));
    for (const JobRow* job : group.jobs) {
      write_job(w, view, *job);
    }
  }
}

// What both renderings end with, `limit` rows each: workers, failed hosts, duplicates and the
// in-app schedulers.
void write_closing_sections(TableWriter& w, const ReportView& view, std::size_t limit) {
  write_workers(w, view, limit);
  write_failed(w, view, limit);
  write_duplicates(w, view, limit);
  write_app_schedulers(w, view, limit);
}

std::string render_full(const ReportView& view, const TableStyle& style) {
  TableWriter w(style);
  write_header(w, view, true);
  if (view.verdicts_known) {
    write_languages(w, "Hidden batches per language", view.hidden_by_language, false, all_rows);
    write_owners(w, "Hidden batches per owner", view.hidden_by_owner, false, all_rows);
  }
  write_jobs(w, view);
  if (view.totals.jobs != view.totals.hidden) { // else the same figures as above
    write_languages(w, "Jobs per language (all listed jobs)", view.by_language, true, all_rows);
    write_owners(w, "Jobs per owner (all listed jobs)", view.by_owner, true, all_rows);
  }
  write_closing_sections(w, view, all_rows);
  return w.take();
}

// The answer on one screen: figures, the worst places, and where the full list is.
std::string render_summary(const ReportView& view, const TableStyle& style) {
  TableWriter w(style);
  write_header(w, view, false);
  if (view.verdicts_known) {
    write_languages(w, "Hidden batches per language", view.hidden_by_language, false, summary_rows);
    write_owners(w, "Hidden batches per owner", view.hidden_by_owner, false, summary_rows);
  } else {
    write_languages(w, "Jobs per language", view.by_language, false, summary_rows);
    write_owners(w, "Jobs per owner", view.by_owner, false, summary_rows);
  }
  write_top_hosts(w, view, summary_rows);
  write_closing_sections(w, view, summary_rows);
  w.blank();
  w.para(fmt::format("Every job ({}): `digger-scan report --full`, or a page to browse: "
                     "`digger-scan report --format html -o report.html`.",
                     plural(view.totals.jobs, "job")));
  return w.take();
}

} // namespace

std::string render_table(const ReportView& view, const TableStyle& style) {
  return style.full ? render_full(view, style) : render_summary(view, style);
}

} // namespace digger::report
