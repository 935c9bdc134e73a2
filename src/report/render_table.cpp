// The table report for a terminal: fixed columns that fit `style.width`, host text escaped.

#include "digger/report/render.hpp"
#include "digger/report/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace digger::report {
namespace {

class Writer {
public:
  explicit Writer(const TableStyle& style) : style_(style) {}

  // One line, cut to the width (escape sequences are added after cutting).
  void line(std::string_view text) { out_ += fit(text, style_.width) + "\n"; }
  void blank() { out_ += "\n"; }
  void heading(std::string_view text) {
    out_ += style_.color ? fmt::format("\x1b[1m{}\x1b[0m\n", fit(text, style_.width))
                         : fit(text, style_.width) + "\n";
  }
  void alert(std::string_view text) {
    out_ += style_.color ? fmt::format("\x1b[31m{}\x1b[0m\n", fit(text, style_.width))
                         : fit(text, style_.width) + "\n";
  }
  std::size_t width() const { return style_.width; }
  std::string take() { return std::move(out_); }

private:
  const TableStyle& style_;
  std::string out_;
};

std::string host_label(const HostRow& host) {
  std::string name = terminal_text(host.name);
  return host.port == 22 ? name : fmt::format("{}:{}", name, host.port);
}

void write_header(Writer& w, const ReportView& view) {
  const auto& scan = view.snapshot->scan;
  w.heading(fmt::format("Digger report: scan {} ({}), finished {}", scan.id,
                        catalog::scan_status_name(scan.status),
                        scan.finished_at.empty() ? "-" : scan.finished_at));
  w.line(fmt::format("Inventory: {}  Filter: {}  Grouped by: {}",
                     terminal_text(scan.inventory_path),
                     view.filter_text.empty() ? "(none)" : terminal_text(view.filter_text),
                     terminal_text(view.group_by.name())));
  const auto& t = view.totals;
  w.line(fmt::format("Hosts: {} ({} scanned, {} failed)  Jobs: {}{}  Languages: {}", t.hosts,
                     t.hosts_scanned, t.hosts_failed, t.jobs,
                     view.verdicts_known ? fmt::format(" ({} hidden)", t.hidden) : "",
                     t.languages));
  if (!view.verdicts_known) {
    w.line("No verdicts in this scan (recorded before digger-scan told hidden from managed).");
  }
  const std::string managed = managed_summary(view);
  if (!managed.empty()) {
    w.line(managed);
  }
  if (t.migrated > 0) {
    w.line(fmt::format("{} disabled job{} marked migrated (see `digger-scan diff`)", t.migrated,
                       t.migrated == 1 ? "" : "s"));
  }
  w.line(fmt::format("Next runs are computed from the scan's end ({}), not from now.",
                     reference_time(scan)));
}

void write_languages(Writer& w, std::string_view title, const std::vector<LanguageCount>& rows,
                     bool with_hidden) {
  w.blank();
  w.heading(title);
  if (rows.empty()) {
    w.line("  none");
    return;
  }
  w.line(fmt::format("  {} {:>7} {:>6} {:>7}{}", pad("LANGUAGE", 20), "JOBS", "HOSTS", "OWNERS",
                     with_hidden ? fmt::format(" {:>7}", "HIDDEN") : ""));
  for (const auto& row : rows) {
    w.line(fmt::format("  {} {:>7} {:>6} {:>7}{}", pad(terminal_text(row.language), 20), row.jobs,
                       row.hosts, row.owners,
                       with_hidden ? fmt::format(" {:>7}", row.hidden) : ""));
  }
}

void write_owners(Writer& w, std::string_view title, const std::vector<OwnerCount>& rows,
                  bool with_hidden) {
  w.blank();
  w.heading(title);
  if (rows.empty()) {
    w.line("  none");
    return;
  }
  w.line(fmt::format("  {} {:>7} {:>6}{}  {}", pad("OWNER", 20), "JOBS", "HOSTS",
                     with_hidden ? fmt::format(" {:>7}", "HIDDEN") : "", "LANGUAGES"));
  for (const auto& row : rows) {
    w.line(fmt::format("  {} {:>7} {:>6}{}  {}", pad(terminal_text(row.owner), 20), row.jobs,
                       row.hosts, with_hidden ? fmt::format(" {:>7}", row.hidden) : "",
                       fmt::join(row.languages, ", ")));
  }
}

void write_failed(Writer& w, const ReportView& view) {
  w.blank();
  w.heading(fmt::format("Hosts that could not be scanned ({})", view.failed_hosts.size()));
  if (view.failed_hosts.empty()) {
    w.line("  none");
  }
  for (const HostRow* host : view.failed_hosts) {
    w.alert(fmt::format("  {} {} {}", pad(host_label(*host), 24), pad(host->status, 17),
                        terminal_text(host->reason)));
  }
}

void write_duplicates(Writer& w, const ReportView& view) {
  w.blank();
  w.heading(
      fmt::format("Same job on several hosts: one batch run N times ({})", view.duplicates.size()));
  if (view.duplicates.empty()) {
    w.line("  none");
    return;
  }
  w.line(
      fmt::format("  {:>5}  {} {} {}", "HOSTS", pad("OWNER", 10), pad("SCHEDULE", 16), "COMMAND"));
  for (const auto& row : view.duplicates) {
    w.line(fmt::format("  {:>5}  {} {} {}", row.hosts, pad(terminal_text(row.example->owner), 10),
                       pad(terminal_text(row.example->schedule.raw), 16),
                       terminal_text(row.example->command)));
  }
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
  if (job.source_kind != "user" && job.source_kind != "system" && job.source_kind != "cron.d") {
    when += " [" + job.source_kind + "]";
  }
  return when;
}

// "      why: a; b; c" over as many lines as the reasons need: each of them matters.
void write_wrapped(Writer& w, std::string_view lead, const std::vector<std::string>& items) {
  const std::string indent(lead.size(), ' ');
  std::string line(lead);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item = terminal_text(items[i]) + (i + 1 < items.size() ? ";" : "");
    const bool first_on_line = line.size() == lead.size();
    if (!first_on_line && text_width(line) + 1 + text_width(item) > w.width()) {
      w.line(line);
      line = indent;
    }
    line += (line.size() == lead.size() ? "" : " ") + item;
  }
  w.line(line);
}

void write_job(Writer& w, const ReportView& view, const JobRow& job) {
  const auto& s = job.schedule;
  w.line(fmt::format("  {} {} {}", pad(host_label(view.host_of(job)), 20),
                     pad(terminal_text(job.owner), 10), when_text(job)));
  w.line(fmt::format("      next {} {}", pad(s.next_run.empty() ? "-" : s.next_run, 25),
                     terminal_text(job.command)));
  if (!job.schedule_origin.empty()) {
    w.line("      schedule from " + terminal_text(job.schedule_origin));
  }
  if (job.managed()) {
    w.line("      managed by " + terminal_text(job.managed_by));
  } else if (!job.verdict_reasons.empty()) {
    write_wrapped(w, "      why: ", job.verdict_reasons);
  }
  if (!job.flags.empty()) {
    w.alert(fmt::format("      flags: {}",
                        terminal_text(fmt::format("{}", fmt::join(job.flags, ", ")))));
  }
}

// Hidden batches first, under their own heading; then whatever else is listed.
void write_jobs(Writer& w, const ReportView& view) {
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
  w.blank();
  w.heading(fmt::format("Hidden batches by {} ({})", terminal_text(view.group_by.name()),
                        view.totals.hidden));
  if (view.totals.hidden == 0) {
    w.line("  none");
  }
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

} // namespace

std::string render_table(const ReportView& view, const TableStyle& style) {
  Writer w(style);
  write_header(w, view);
  if (view.verdicts_known) {
    write_languages(w, "Hidden batches per language", view.hidden_by_language, false);
    write_owners(w, "Hidden batches per owner", view.hidden_by_owner, false);
  }
  write_jobs(w, view);
  if (view.totals.jobs != view.totals.hidden) { // else the same figures as above
    write_languages(w, "Jobs per language (all listed jobs)", view.by_language, true);
    write_owners(w, "Jobs per owner (all listed jobs)", view.by_owner, true);
  }
  write_failed(w, view);
  write_duplicates(w, view);
  return w.take();
}

} // namespace digger::report
