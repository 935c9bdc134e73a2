// The HTML report: one self-contained file (inline CSS and JS, no network: a CSP forbids it),
// every host string HTML-escaped, tables sortable and filterable by a little vanilla JS.

#include "digger/crontab/schedule.hpp"
#include "digger/report/render.hpp"
#include "digger/report/schedule_text.hpp"
#include "digger/report/text.hpp"
#include "digger/timing/heat_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace digger::report {
namespace {

constexpr std::string_view style_sheet = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#b8c0cc}main{padding:20px 28px;max-width:1400px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;padding:16px 20px;margin:0 0 20px}
h2{font-size:17px;margin:0 0 12px}.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;padding:12px 18px;min-width:120px}
.card b{display:block;font-size:26px}.card.bad b{color:#c0392b}.grid{display:grid;grid-template-columns:1fr 1fr;gap:20px}
.bar{display:flex;align-items:center;gap:8px;margin:3px 0}.bar span:first-child{width:140px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bar i{display:block;height:14px;background:#3b7dd8;border-radius:3px}.bar em{font-style:normal;color:#555}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{cursor:pointer;user-select:none;background:#f0f2f5;position:sticky;top:0}th.asc:after{content:" \25B2"}th.desc:after{content:" \25BC"}
td.num,th.num{text-align:right}code{font:12px ui-monospace,monospace;word-break:break-all}
.heat td{width:3.6%;height:22px;padding:0;text-align:center;font-size:10px;border:1px solid #fff}
.heat th{cursor:default;font-weight:normal;font-size:11px}input.filter{width:320px;padding:6px;margin:0 0 10px;border:1px solid #ccd;border-radius:4px}
.status{color:#c0392b;font-weight:600}.muted{color:#777}.verdict-hidden{color:#c0392b;font-weight:600}
)css";

constexpr std::string_view script = R"js(
(function(){
  function cellValue(row, i){var c=row.cells[i];var v=c.getAttribute('data-sort');return v!==null?v:c.textContent;}
  document.querySelectorAll('table.sortable').forEach(function(table){
    var heads=table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads,function(th,i){
      th.addEventListener('click',function(){
        var asc=!th.classList.contains('asc');
        Array.prototype.forEach.call(heads,function(h){h.classList.remove('asc','desc');});
        th.classList.add(asc?'asc':'desc');
        var numeric=th.classList.contains('num');var body=table.tBodies[0];
        var rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){var x=cellValue(a,i),y=cellValue(b,i);
          var r=numeric?(parseFloat(x)-parseFloat(y)):x.localeCompare(y);return asc?r:-r;});
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
  document.querySelectorAll('input.filter').forEach(function(input){
    var table=document.getElementById(input.getAttribute('data-table'));
    var counter=document.getElementById(input.getAttribute('data-count'));
    function apply(){
      var words=input.value.toLowerCase().split(/\s+/).filter(Boolean);var shown=0;var rows=table.tBodies[0].rows;
      Array.prototype.forEach.call(rows,function(r){var t=r.textContent.toLowerCase();
        var ok=words.every(function(w){return t.indexOf(w)>=0;});r.style.display=ok?'':'none';if(ok)shown++;});
      if(counter)counter.textContent=shown+' of '+rows.length+' shown';
    }
    input.addEventListener('input',apply);apply();
  });
  document.body.setAttribute('data-ready','1');
})();
)js";

using Heat = timing::WeeklyHeatMap;

// A job that starts in every hour of the week (every N minutes) would paint the whole map the
// same colour and hide the nightly and weekly peaks that matter, so such jobs are counted apart.
bool starts_every_hour(const Heat& heat) {
  return std::all_of(heat.begin(), heat.end(), [](const auto& day) {
    return std::all_of(day.begin(), day.end(), [](double value) { return value > 0; });
  });
}

struct FleetHeat {
  Heat total{};
  std::size_t hourly_jobs = 0; // left out: they start every hour
};

// Sum of the jobs' weekly heat maps; each distinct schedule is computed once.
FleetHeat fleet_heat(const ReportView& view) {
  std::map<std::string, Heat> cache;
  FleetHeat fleet;
  for (const auto& group : view.groups) {
    for (const JobRow* job : group.jobs) {
      if (schedule_clock(*job) != ScheduleClock::cron) {
        continue; // timers and anacron: no cron fields to count (yet)
      }
      auto found = cache.find(job->schedule.raw);
      if (found == cache.end()) {
        auto schedule = crontab::parse_schedule(job->schedule.raw);
        const Heat heat = schedule ? timing::weekly_fire_counts(*schedule) : Heat{};
        found = cache.emplace(job->schedule.raw, heat).first;
      }
      if (starts_every_hour(found->second)) {
        ++fleet.hourly_jobs;
        continue;
      }
      for (std::size_t d = 0; d < 7; ++d) {
        for (std::size_t h = 0; h < 24; ++h) {
          fleet.total[d][h] += found->second[d][h];
        }
      }
    }
  }
  return fleet;
}

std::string card(std::string_view label, std::int64_t value, const char* id, bool bad = false) {
  return fmt::format("<div class=\"card{}\"><b id=\"{}\">{}</b>{}</div>", bad ? " bad" : "", id,
                     value, label);
}

std::string summary_cards(const ReportView& view) {
  const auto& t = view.totals;
  return "<div class=\"cards\">" + card("hosts", t.hosts, "total-hosts") +
         card("scanned", t.hosts_scanned, "total-scanned") +
         card("could not be scanned", t.hosts_failed, "total-failed", t.hosts_failed > 0) +
         card("hidden batches", t.hidden, "total-hidden", t.hidden > 0) +
         card("jobs listed", t.jobs, "total-jobs") + card("managed", t.managed, "total-managed") +
         card("languages", t.languages, "total-languages") +
         card("owners", t.owners, "total-owners") +
         card("jobs on several hosts", t.duplicated_jobs, "total-duplicated") + "</div>\n" +
         (managed_summary(view).empty() ? ""
                                        : "<p class=\"muted\" id=\"managed-summary\">" +
                                              html_escape(managed_summary(view)) + "</p>\n");
}

template <class Rows, class Name>
std::string bars(std::string_view title, const Rows& rows, Name name) {
  std::int64_t top = 1;
  for (const auto& row : rows) {
    top = std::max(top, row.jobs);
  }
  std::string out = fmt::format("<section><h2>{}</h2>\n", title);
  for (const auto& row : rows) {
    out +=
        fmt::format("<div class=\"bar\"><span title=\"{0}\">{0}</span><i style=\"width:{1}px\"></i>"
                    "<em>{2} jobs, {3} hosts</em></div>\n",
                    html_escape(name(row)), 4 + row.jobs * 300 / top, row.jobs, row.hosts);
  }
  return out + "</section>\n";
}

std::string heat_section(const ReportView& view) {
  const FleetHeat fleet = fleet_heat(view);
  const Heat& heat = fleet.total;
  double top = 0;
  for (const auto& day : heat) {
    top = std::max(top, *std::max_element(day.begin(), day.end()));
  }
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  std::string out =
      fmt::format("<section><h2>When jobs start (starts per hour of a typical week, wall time as "
                  "written)</h2>\n<p class=\"muted\">Not counted: <b id=\"hourly-jobs\">{}</b> "
                  "jobs that start every hour (every few minutes), which would fill every cell."
                  "</p>\n<table class=\"heat\"><thead><tr><th></th>",
                  fleet.hourly_jobs);
  for (int h = 0; h < 24; ++h) {
    out += fmt::format("<th>{:02}</th>", h);
  }
  out += "</tr></thead><tbody>\n";
  for (int d = 0; d < 7; ++d) {
    out += fmt::format("<tr><th>{}</th>", days[d]);
    for (int h = 0; h < 24; ++h) {
      const double value = heat[d][h];
      const double alpha = top > 0 ? 0.08 + 0.92 * value / top : 0;
      out += fmt::format("<td title=\"{} {:02}:00: {:.1f} starts\" style=\"background:rgba(216,"
                         "59,59,{:.2f})\">{}</td>",
                         days[d], h, value, value > 0 ? alpha : 0.0,
                         value >= 0.5 ? fmt::format("{:.0f}", value) : "");
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table></section>\n";
}

std::string duplicates_section(const ReportView& view) {
  std::string out = "<section><h2>Same job on several hosts: one batch run N times (migration "
                    "candidates, double-run risk)</h2>\n";
  if (view.duplicates.empty()) {
    return out + "<p class=\"muted\">None.</p></section>\n";
  }
  out += "<table class=\"sortable\" id=\"duplicates\"><thead><tr><th class=\"num\">Hosts</th>"
         "<th>Owner</th><th>Schedule</th><th>Command</th><th>Host names</th></tr></thead><tbody>\n";
  for (const auto& d : view.duplicates) {
    std::string names;
    for (const auto& name : d.host_names) {
      names += (names.empty() ? "" : ", ") + html_escape(name);
    }
    out +=
        fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td><code>{}</code></td>"
                    "<td><code>{}</code></td><td>{}</td></tr>\n",
                    d.hosts, html_escape(d.example->owner), html_escape(schedule_text(*d.example)),
                    html_escape(d.example->command), names);
  }
  return out + "</tbody></table></section>\n";
}

std::string failed_section(const ReportView& view) {
  std::string out = fmt::format("<section><h2>Hosts that could not be scanned ({})</h2>\n",
                                view.failed_hosts.size());
  if (view.failed_hosts.empty()) {
    return out + "<p class=\"muted\">None.</p></section>\n";
  }
  out += "<table class=\"sortable\" id=\"failed-hosts\"><thead><tr><th>Host</th><th>Status</th>"
         "<th>Reason</th></tr></thead><tbody>\n";
  for (const HostRow* host : view.failed_hosts) {
    out += fmt::format("<tr><td>{}:{}</td><td class=\"status\">{}</td><td>{}</td></tr>\n",
                       html_escape(host->name), host->port, html_escape(host->status),
                       html_escape(host->reason));
  }
  return out + "</tbody></table></section>\n";
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : std::string(separator)) + item;
  }
  return out;
}

// The "Does it run" cell: the verdict, then the mail and output-file hints when known.
std::string run_cell(const catalog::RunEvidenceRow& run) {
  const auto hints = spool_hints(run.mails, run.last_mail, run.output_mtime);
  return hints.empty() ? run.verdict : run.verdict + "; " + hints;
}

// Who manages the job, or why it is hidden, with where its schedule came from.
std::string why(const JobRow& job) {
  std::string out = job.managed() || job.verdict == "migrated"
                        ? "managed by " + html_escape(job.managed_by)
                        : html_escape(joined(job.verdict_reasons, "; "));
  if (!job.schedule_origin.empty()) {
    out += (out.empty() ? "" : "<br>") + std::string("schedule from <code>") +
           html_escape(job.schedule_origin) + "</code>";
  }
  if (job.program && !job.program->go_version.empty()) {
    out += (out.empty() ? "" : "<br>") + std::string("built with ") +
           html_escape(job.program->go_version);
  }
  return out;
}

std::string jobs_section(const ReportView& view) {
  std::string out = fmt::format(
      "<section><h2>Jobs by {}</h2>\n<input class=\"filter\" type=\"search\" placeholder=\"Filter "
      "jobs (all words must match)\" data-table=\"jobs\" data-count=\"jobs-shown\"> "
      "<span id=\"jobs-shown\" class=\"muted\"></span>\n"
      "<table class=\"sortable\" id=\"jobs\"><thead><tr><th>{}</th><th>Host</th><th>Owner</th>"
      "<th>Schedule</th><th>When</th><th>Next run</th><th>Language</th><th>Command</th>"
      "<th>File</th><th class=\"num\">Same job on hosts</th><th>Verdict</th><th>Why</th>"
      "<th>Flags</th><th>Does it run</th></tr></thead><tbody>\n",
      html_escape(view.group_by.name()), html_escape(view.group_by.name()));
  for (const auto& group : view.groups) {
    for (const JobRow* job : group.jobs) {
      const HostRow& host = view.host_of(*job);
      const auto& s = job->schedule;
      out += fmt::format(
          "<tr><td>{}</td><td>{}:{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td>"
          "<td>{}</td><td><code>{}</code></td><td><code>{}:{}</code></td><td class=\"num\">{}</td>"
          "<td class=\"verdict-{}\">{}</td><td>{}</td><td class=\"status\">{}</td>"
          "<td title=\"{}\">{}</td></tr>\n",
          html_escape(group.key), html_escape(host.name), host.port, html_escape(job->owner),
          html_escape(schedule_text(*job)), html_escape(s.description),
          s.next_run.empty() ? "-" : html_escape(s.next_run + " (" + s.zone + ")"),
          html_escape(job->language), html_escape(job->command), html_escape(job->file), job->line,
          job->same_job_hosts, job->verdict.empty() ? "none" : job->verdict,
          job->verdict.empty() ? "-" : html_escape(job->verdict), why(*job),
          html_escape(joined(job->flags, ", ")), html_escape(job->run.reason),
          job->run.verdict.empty() ? "-" : html_escape(run_cell(job->run)));
    }
  }
  return out + "</tbody></table></section>\n";
}

} // namespace

std::string render_html(const ReportView& view) {
  const auto& scan = view.snapshot->scan;
  std::string out = fmt::format(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; script-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Digger report: scan {}</title>\n<style>{}</style></head>\n<body>\n"
      "<header><h1>Hidden batches: cron jobs of the fleet</h1><p>Scan {} ({}), started {}, "
      "finished {}; inventory {}; filter: {}. Next runs are computed from the scan's end, not "
      "from when this page was made.</p></header>\n<main>\n",
      scan.id, style_sheet, scan.id, catalog::scan_status_name(scan.status), scan.started_at,
      scan.finished_at.empty() ? "-" : scan.finished_at, html_escape(scan.inventory_path),
      view.filter_text.empty() ? "none" : html_escape(view.filter_text));
  out += summary_cards(view);
  out += "<div class=\"grid\">";
  if (view.verdicts_known) { // else a scan from before verdicts: nothing to say about them
    out += bars("Hidden batches per language", view.hidden_by_language,
                [](const LanguageCount& row) { return row.language; });
    out += bars("Hidden batches per owner", view.hidden_by_owner,
                [](const OwnerCount& row) { return row.owner; });
  }
  out += bars("Jobs per language", view.by_language,
              [](const LanguageCount& row) { return row.language; });
  out += bars("Jobs per owner", view.by_owner, [](const OwnerCount& row) { return row.owner; });
  out += "</div>\n";
  out += heat_section(view);
  out += duplicates_section(view);
  out += failed_section(view);
  out += jobs_section(view);
  out += fmt::format("</main>\n<script>{}</script>\n</body></html>\n", script);
  return out;
}

} // namespace digger::report
