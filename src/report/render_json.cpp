// The JSON report (docs/reports.md#json, docs/report.schema.json). Keys are written in a
// fixed order and every list is sorted, so equal catalogs give equal bytes.

#include "digger/report/render.hpp"
#include "digger/report/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ostream>
#include <sstream>
#include <utility>
#include <vector>

namespace digger::report {
namespace {

using Json = nlohmann::ordered_json;

// Host text may hold invalid UTF-8: replaced with U+FFFD here so the document stays valid.
Json text(std::string_view value) {
  return valid_utf8(value);
}

Json optional_text(std::string_view value) {
  return value.empty() ? Json(nullptr) : text(value);
}

Json labels_json(const std::map<std::string, std::string>& labels) {
  Json out = Json::object();
  for (const auto& [key, value] : labels) {
    out[valid_utf8(key)] = text(value);
  }
  return out;
}

Json scan_json(const catalog::ScanSummary& scan) {
  return Json{{"id", scan.id},
              {"status", catalog::scan_status_name(scan.status)},
              {"started_at", scan.started_at},
              {"finished_at", optional_text(scan.finished_at)},
              {"inventory", text(scan.inventory_path)},
              {"digger_version", scan.digger_version},
              {"hosts_planned", scan.hosts_planned},
              {"hosts_recorded", scan.hosts_recorded}};
}

// Jobs are the bulk of a fleet's report, so they are written by hand rather than through a
// JSON tree: same bytes as nlohmann's compact dump, several times faster.
void append_string(std::string& out, std::string_view value) {
  out += '"';
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::size_t run = i; // plain characters are copied as one run
    while (run < value.size() && static_cast<unsigned char>(value[run]) >= 0x20 &&
           static_cast<unsigned char>(value[run]) < 0x80 && value[run] != '"' &&
           value[run] != '\\') {
      ++run;
    }
    if (run > i) {
      out.append(value.substr(i, run - i));
      i = run - 1;
      continue;
    }
    const char c = value[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) { // valid UTF-8 is copied, each invalid byte becomes U+FFFD
      const std::size_t length = utf8_sequence_length(value, i);
      out += length == 0 ? std::string_view("\xEF\xBF\xBD") : value.substr(i, length);
      i += length == 0 ? 0 : length - 1;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += fmt::format("\\u{:04x}", byte);
      }
    } else {
      out += c;
    }
  }
  out += '"';
}

void append_optional(std::string& out, std::string_view value) {
  if (value.empty()) {
    out += "null";
  } else {
    append_string(out, value);
  }
}

void append_key(std::string& out, std::string_view key) {
  out += out.back() == '{' ? "\"" : ",\"";
  out += key;
  out += "\":";
}

void append_list(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += i == 0 ? "" : ",";
    append_string(out, items[i]);
  }
  out += ']';
}

// The target's inspection, or null when there is none for it.
void append_optional_int(std::string& out, const std::optional<std::int64_t>& value) {
  out += value ? std::to_string(*value) : "null";
}

// Does it run (docs/evidence.md): null when the job has no verdict (not a source the cron
// daemon logs, or a catalog from before schema v6).
void append_runs(std::string& out, const catalog::RunEvidenceRow& run) {
  if (run.verdict.empty()) {
    out += "null";
    return;
  }
  out += "{";
  append_key(out, "verdict"), append_string(out, run.verdict);
  append_key(out, "reason"), append_string(out, run.reason);
  append_key(out, "runs"), out += std::to_string(run.runs);
  append_key(out, "ambiguous_runs"), out += std::to_string(run.ambiguous_runs);
  append_key(out, "last_run"), append_optional(out, utc_text(run.last_run));
  append_key(out, "failures"), out += std::to_string(run.failures);
  append_key(out, "last_failure"), append_optional(out, utc_text(run.last_failure));
  append_key(out, "last_exit_status"), append_optional_int(out, run.last_exit_status);
  append_key(out, "mails"), append_optional_int(out, run.mails);
  append_key(out, "last_mail"), append_optional(out, utc_text(run.last_mail));
  append_key(out, "output_mtime"), append_optional(out, utc_text(run.output_mtime));
  out += "}";
}

void append_program(std::string& out, const ProgramInfo* found) {
  if (found == nullptr) {
    out += "null";
    return;
  }
  const ProgramInfo& program = *found;
  out += "{";
  append_key(out, "exists"), out += program.exists ? "true" : "false";
  append_key(out, "type"), append_optional(out, program.type);
  append_key(out, "go_version"), append_optional(out, program.go_version);
  append_key(out, "go_module"), append_optional(out, program.go_module);
  append_key(out, "sha256"), append_optional(out, program.sha256);
  out += "}";
}

std::string job_line(const ReportView& view, const JobRow& job, const std::string& group,
                     const std::string& labels) {
  const HostRow& host = view.host_of(job);
  const auto& s = job.schedule;
  std::string out = "{";
  append_key(out, "group"), append_string(out, group);
  append_key(out, "host"), append_string(out, host.name);
  append_key(out, "port"), out += std::to_string(host.port);
  append_key(out, "labels"), out += labels;
  append_key(out, "owner"), append_string(out, job.owner);
  append_key(out, "schedule"), out += "{";
  append_key(out, "raw"), append_string(out, s.raw);
  append_key(out, "normalized"), append_string(out, s.normalized);
  append_key(out, "description"), append_string(out, s.description);
  append_key(out, "cron_tz"), append_optional(out, s.cron_tz);
  append_key(out, "zone"), append_string(out, s.zone);
  append_key(out, "next_run"), append_optional(out, s.next_run);
  append_key(out, "trigger"), append_optional(out, s.trigger);
  append_key(out, "origin"), append_optional(out, job.schedule_origin);
  out += "}";
  append_key(out, "verdict"), append_optional(out, job.verdict);
  append_key(out, "managed_by"), append_optional(out, job.managed_by);
  append_key(out, "verdict_reasons"), append_list(out, job.verdict_reasons);
  append_key(out, "flags"), append_list(out, job.flags);
  append_key(out, "command"), append_string(out, job.command);
  append_key(out, "language"), append_string(out, job.language);
  append_key(out, "evidence"), append_string(out, job.evidence);
  append_key(out, "target"), append_optional(out, job.target);
  append_key(out, "file"), append_string(out, job.file);
  append_key(out, "line"), out += std::to_string(job.line);
  append_key(out, "source_kind"), append_string(out, job.source_kind);
  append_key(out, "program"), append_program(out, job.program.get());
  append_key(out, "loaded_by_daemon"), out += job.loaded_by_daemon ? "true" : "false";
  append_key(out, "fingerprint"), append_optional(out, job.fingerprint);
  append_key(out, "same_job_hosts"), out += std::to_string(job.same_job_hosts);
  append_key(out, "runs"), append_runs(out, job.run);
  out += "}";
  return out;
}

Json host_json(const HostRow& host) {
  return Json{{"host", text(host.name)},
              {"port", host.port},
              {"labels", labels_json(host.labels)},
              {"status", host.status},
              {"reason", optional_text(host.reason)},
              {"timezone", optional_text(host.timezone)},
              {"os", optional_text(host.os)},
              {"jobs", host.jobs}};
}

Json languages_json(const std::vector<LanguageCount>& rows) {
  Json languages = Json::array();
  for (const auto& row : rows) {
    languages.push_back({{"language", row.language},
                         {"jobs", row.jobs},
                         {"hosts", row.hosts},
                         {"owners", row.owners},
                         {"hidden", row.hidden}});
  }
  return languages;
}

Json owners_json(const std::vector<OwnerCount>& rows) {
  Json owners = Json::array();
  for (const auto& row : rows) {
    Json names = Json::array();
    for (const auto& language : row.languages) {
      names.push_back(language);
    }
    owners.push_back({{"owner", text(row.owner)},
                      {"jobs", row.jobs},
                      {"hosts", row.hosts},
                      {"languages", names},
                      {"hidden", row.hidden}});
  }
  return owners;
}

Json managed_json(const ReportView& view) {
  Json managers = Json::array();
  for (const auto& row : view.managers) {
    managers.push_back({{"manager", text(row.manager)}, {"jobs", row.jobs}});
  }
  return Json{{"jobs", view.totals.managed},
              {"listed", view.managed_listed},
              {"summary", text(managed_summary(view))},
              {"by_manager", managers}};
}

Json summary_json(const ReportView& view) {
  Json duplicates = Json::array();
  for (const auto& row : view.duplicates) {
    Json names = Json::array();
    for (const auto& name : row.host_names) {
      names.push_back(text(name));
    }
    duplicates.push_back({{"fingerprint", row.fingerprint},
                          {"hosts", row.hosts},
                          {"jobs", row.jobs},
                          {"owner", text(row.example->owner)},
                          {"schedule", text(row.example->schedule.raw)},
                          {"command", text(row.example->command)},
                          {"host_names", names}});
  }
  const auto& t = view.totals;
  return Json{{"totals",
               {{"hosts", t.hosts},
                {"hosts_scanned", t.hosts_scanned},
                {"hosts_failed", t.hosts_failed},
                {"jobs", t.jobs},
                {"languages", t.languages},
                {"owners", t.owners},
                {"duplicated_jobs", t.duplicated_jobs},
                {"hidden", t.hidden},
                {"managed", t.managed},
                {"migrated", t.migrated}}},
              {"managed", managed_json(view)},
              {"hidden_by_language", languages_json(view.hidden_by_language)},
              {"hidden_by_owner", owners_json(view.hidden_by_owner)},
              {"by_language", languages_json(view.by_language)},
              {"by_owner", owners_json(view.by_owner)},
              {"duplicates", duplicates}};
}

// The in-app schedulers section (only written when there are some): each scheduler job with
// its reason, each task with its schedule and origin (file:line in the application's source).
Json app_schedulers_json(const ReportView& view) {
  Json schedulers = Json::array(), tasks = Json::array();
  for (const JobRow* job : view.app_schedulers.schedulers) {
    schedulers.push_back({{"host", text(view.host_of(*job).name)},
                          {"file", text(job->file)},
                          {"line", job->line},
                          {"owner", text(job->owner)},
                          {"command", text(job->command)},
                          {"expanded", job->has_flag("app-scheduler-expanded")},
                          {"reason", text(app_scheduler_reason(*job))}});
  }
  for (const JobRow* job : view.app_schedulers.tasks) {
    tasks.push_back({{"host", text(view.host_of(*job).name)},
                     {"origin", text(job->schedule_origin)},
                     {"run_as", text(job->owner)},
                     {"schedule", text(job->schedule.raw)},
                     {"command", text(job->command)},
                     {"fingerprint", job->fingerprint},
                     {"static", !job->has_flag("not-static")}});
  }
  return Json{{"schedulers", schedulers}, {"tasks", tasks}};
}

// Writes `"key": value` with the value pretty-printed at the document's second level.
void write_member(std::ostream& out, const std::string& key, const Json& value, bool& first) {
  std::string text = value.dump(2, ' ', false, Json::error_handler_t::replace);
  std::string indented;
  indented.reserve(text.size());
  for (char c : text) {
    indented += c;
    if (c == '\n') {
      indented += "  ";
    }
  }
  out << (first ? "{\n  " : ",\n  ") << Json(key).dump() << ": " << indented;
  first = false;
}

// A long list, one compact element per line, written as it is made: a 300,000-job report
// never holds more than one job as a JSON tree.
template <class Items, class ToJson>
void write_list(std::ostream& out, const std::string& key, const Items& items, ToJson to_json) {
  out << ",\n  " << Json(key).dump() << ": [";
  bool first = true;
  for (const auto& item : items) {
    out << (first ? "\n    " : ",\n    ")
        << to_json(item).dump(-1, ' ', false, Json::error_handler_t::replace);
    first = false;
  }
  out << (first ? "]" : "\n  ]");
}

Json worker_json(const ReportView& view, const WorkerRow& worker) {
  const HostRow& host = view.snapshot->hosts.at(worker.host);
  Json flags = Json::array();
  for (const auto& flag : worker.flags) {
    flags.push_back(text(flag));
  }
  return Json{{"type", "worker"},
              {"host", text(host.name)},
              {"port", host.port},
              {"manager", text(worker.manager)},
              {"name", text(worker.name)},
              {"owner", text(worker.owner)},
              {"command", text(worker.command)},
              {"language", text(worker.language)},
              {"evidence", text(worker.evidence)},
              {"instances", worker.instances},
              {"restart", text(worker.restart)},
              {"autostart", worker.autostart},
              {"rejected", optional_text(worker.rejected)},
              {"file", text(worker.file)},
              {"line", worker.line},
              {"verdict", optional_text(worker.verdict)},
              {"flags", flags},
              {"fingerprint", optional_text(worker.fingerprint)},
              {"unexpected_exits",
               worker.unexpected_exits ? Json(*worker.unexpected_exits) : Json(nullptr)},
              {"gave_up", worker.gave_up},
              {"last_exit", optional_text(worker.last_exit)},
              {"gave_up_at", optional_text(worker.gave_up_at)}};
}

} // namespace

void write_json(const ReportView& view, std::ostream& out) {
  bool first = true;
  write_member(out, "format", "digger-report", first);
  write_member(out, "version", json_format_version, first);
  write_member(out, "scan", scan_json(view.snapshot->scan), first);
  write_member(out, "next_runs_after", reference_time(view.snapshot->scan), first);
  write_member(out, "filter", valid_utf8(view.filter_text), first);
  write_member(out, "group_by", valid_utf8(view.group_by.name()), first);
  const Json summary = summary_json(view);
  for (const auto& item : summary.items()) {
    write_member(out, item.key(), item.value(), first);
  }
  if (!view.app_schedulers.empty()) {
    write_member(out, "app_schedulers", app_schedulers_json(view), first);
  }
  write_list(out, "hosts", view.hosts, [](const HostRow* host) { return host_json(*host); });
  // Each host's labels are serialized once, not once per job.
  std::vector<std::string> labels(view.snapshot->hosts.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    labels[i] = labels_json(view.snapshot->hosts[i].labels).dump();
  }
  out << ",\n  \"jobs\": [";
  bool first_job = true;
  for (const auto& group : view.groups) {
    for (const JobRow* job : group.jobs) {
      out << (first_job ? "\n    " : ",\n    ")
          << job_line(view, *job, group.key, labels[job->host]);
      first_job = false;
    }
  }
  out << (first_job ? "]" : "\n  ]");
  if (!view.workers.empty()) { // only then: reports of fleets without workers keep their bytes
    write_list(out, "workers", view.workers,
               [&view](const WorkerRow* worker) { return worker_json(view, *worker); });
  }
  out << "\n}\n";
}

void write_ndjson(const ReportView& view, std::ostream& out) {
  std::vector<std::string> labels(view.snapshot->hosts.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    labels[i] = labels_json(view.snapshot->hosts[i].labels).dump();
  }
  for (const auto& group : view.groups) {
    for (const JobRow* job : group.jobs) {
      out << job_line(view, *job, group.key, labels[job->host]) << '\n';
    }
  }
  for (const WorkerRow* worker : view.workers) { // told apart from jobs by "type": "worker"
    out << worker_json(view, *worker).dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
  }
}

std::string render_json(const ReportView& view) {
  std::ostringstream out;
  write_json(view, out);
  return std::move(out).str();
}

} // namespace digger::report
