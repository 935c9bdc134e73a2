// The CSV report: RFC 4180 (CRLF line ends, quoted fields), UTF-8, one row per job.

#include "digger/report/render.hpp"
#include "digger/report/text.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace digger::report {
namespace {

constexpr std::array<std::string_view, 21> columns{
    "group",       "host",        "port",          "labels",  "host_status", "owner",
    "schedule",    "normalized",  "description",   "cron_tz", "zone",        "next_run",
    "command",     "language",    "evidence",      "target",  "file",        "line",
    "source_kind", "fingerprint", "same_job_hosts"};

// "env=prod;role=web": labels sorted by key.
std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [key, value] : labels) {
    out += (out.empty() ? "" : ";") + key + "=" + value;
  }
  return out;
}

void append_row(std::string& out, std::initializer_list<std::string_view> cells) {
  bool first = true;
  for (std::string_view cell : cells) {
    out += first ? "" : ",";
    out += csv_field(cell);
    first = false;
  }
  out += "\r\n";
}

} // namespace

std::string render_csv(const ReportView& view) {
  std::string out;
  bool first = true;
  for (std::string_view column : columns) {
    out += first ? "" : ",";
    out += column;
    first = false;
  }
  out += "\r\n";
  for (const auto& group : view.groups) {
    for (const JobRow* job : group.jobs) {
      const HostRow& host = view.host_of(*job);
      const auto& s = job->schedule;
      append_row(out, {group.key,
                       host.name,
                       std::to_string(host.port),
                       labels_text(host.labels),
                       host.status,
                       job->owner,
                       s.raw,
                       s.normalized,
                       s.description,
                       s.cron_tz,
                       s.zone,
                       s.next_run,
                       job->command,
                       job->language,
                       job->evidence,
                       job->target,
                       job->file,
                       std::to_string(job->line),
                       job->source_kind,
                       job->fingerprint,
                       std::to_string(job->same_job_hosts)});
    }
  }
  return out;
}

} // namespace digger::report
