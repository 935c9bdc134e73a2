// The CSV report: RFC 4180 (CRLF line ends, quoted fields), UTF-8, one row per job.

#include "digger/report/render.hpp"
#include "digger/report/text.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace digger::report {
namespace {

// New columns go at the end: spreadsheets and scripts that read columns by position keep working.
constexpr std::array<std::string_view, 38> columns{
    "group",         "host",        "port",
    "labels",        "host_status", "owner",
    "schedule",      "normalized",  "description",
    "cron_tz",       "zone",        "next_run",
    "command",       "language",    "evidence",
    "target",        "file",        "line",
    "source_kind",   "fingerprint", "same_job_hosts",
    "verdict",       "managed_by",  "verdict_reasons",
    "flags",         "trigger",     "schedule_origin",
    "target_exists", "target_type", "go_version",
    "go_module",     "does_it_run", "last_run",
    "run_failures",  "run_reason",  "cron_mails",
    "last_mail",     "output_mtime"};

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : std::string(separator)) + item;
  }
  return out;
}

std::string_view yes_no(const ProgramInfo* program) {
  if (program == nullptr) {
    return "";
  }
  return program->exists ? "yes" : "no";
}

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
                       std::to_string(job->same_job_hosts),
                       job->verdict,
                       job->managed_by,
                       joined(job->verdict_reasons, "; "),
                       joined(job->flags, ";"),
                       s.trigger,
                       job->schedule_origin,
                       yes_no(job->program.get()),
                       job->program ? job->program->type : "",
                       job->program ? job->program->go_version : "",
                       job->program ? job->program->go_module : "",
                       job->run.verdict,
                       utc_text(job->run.last_run),
                       job->run.verdict.empty() ? "" : std::to_string(job->run.failures),
                       job->run.reason,
                       job->run.mails ? std::to_string(*job->run.mails) : "",
                       utc_text(job->run.last_mail),
                       utc_text(job->run.output_mtime)});
    }
  }
  return out;
}

} // namespace digger::report
