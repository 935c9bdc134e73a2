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
  w.line(fmt::format("Hosts: {} ({} scanned, {} failed)  Jobs: {}  Languages: {}  Owners: {}",
                     t.hosts, t.hosts_scanned, t.hosts_failed, t.jobs, t.languages, t.owners));
  w.line(fmt::format("Next runs are computed from the scan's end ({}), not from now.",
                     reference_time(scan)));
}

void write_languages(Writer& w, const ReportView& view) {
  w.blank();
  w.heading("Jobs per language");
  w.line(fmt::format("  {} {:>7} {:>6} {:>7}", pad("LANGUAGE", 20), "JOBS", "HOSTS", "OWNERS"));
  for (const auto& row : view.by_language) {
    w.line(fmt::format("  {} {:>7} {:>6} {:>7}", pad(terminal_text(row.language), 20), row.jobs,
                       row.hosts, row.owners));
  }
}

void write_owners(Writer& w, const ReportView& view) {
  w.blank();
  w.heading("Jobs per owner");
  w.line(fmt::format("  {} {:>7} {:>6}  {}", pad("OWNER", 20), "JOBS", "HOSTS", "LANGUAGES"));
  for (const auto& row : view.by_owner) {
    w.line(fmt::format("  {} {:>7} {:>6}  {}", pad(terminal_text(row.owner), 20), row.jobs,
                       row.hosts, fmt::join(row.languages, ", ")));
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

void write_jobs(Writer& w, const ReportView& view) {
  w.blank();
  w.heading(fmt::format("Jobs by {}", terminal_text(view.group_by.name())));
  for (const auto& group : view.groups) {
    w.heading(fmt::format("== {} ({}) ==", terminal_text(group.key), group.jobs.size()));
    for (const JobRow* job : group.jobs) {
      const auto& s = job->schedule;
      std::string when = terminal_text(s.description.empty() ? s.raw : s.description);
      if (!s.cron_tz.empty()) {
        when += " (CRON_TZ=" + terminal_text(s.cron_tz) + ")";
      }
      w.line(fmt::format("  {} {} {}", pad(host_label(view.host_of(*job)), 20),
                         pad(terminal_text(job->owner), 10), when));
      w.line(fmt::format("      next {} {}", pad(s.next_run.empty() ? "-" : s.next_run, 25),
                         terminal_text(job->command)));
    }
  }
}

} // namespace

std::string render_table(const ReportView& view, const TableStyle& style) {
  Writer w(style);
  write_header(w, view);
  write_languages(w, view);
  write_owners(w, view);
  write_failed(w, view);
  write_duplicates(w, view);
  write_jobs(w, view);
  return w.take();
}

} // namespace digger::report
