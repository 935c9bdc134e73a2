// The JSON report (docs/reports.md#json, docs/report.schema.json). Keys are written in a
// fixed order and every list is sorted, so equal catalogs give equal bytes.

#include "digger/report/render.hpp"
#include "digger/report/text.hpp"

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

Json job_json(const ReportView& view, const JobRow& job, const std::string& group) {
  const HostRow& host = view.host_of(job);
  return Json{{"group", text(group)},
              {"host", text(host.name)},
              {"port", host.port},
              {"labels", labels_json(host.labels)},
              {"owner", text(job.owner)},
              {"schedule",
               {{"raw", text(job.schedule.raw)},
                {"normalized", job.schedule.normalized},
                {"description", text(job.schedule.description)},
                {"cron_tz", optional_text(job.schedule.cron_tz)},
                {"zone", text(job.schedule.zone)},
                {"next_run", optional_text(job.schedule.next_run)}}},
              {"command", text(job.command)},
              {"language", job.language},
              {"evidence", text(job.evidence)},
              {"target", optional_text(job.target)},
              {"file", text(job.file)},
              {"line", job.line},
              {"source_kind", job.source_kind},
              {"loaded_by_daemon", job.loaded_by_daemon},
              {"fingerprint", optional_text(job.fingerprint)},
              {"same_job_hosts", job.same_job_hosts}};
}

Json host_json(const HostRow& host) {
  return Json{{"host", text(host.name)},      {"port", host.port},
              {"labels", labels_json(host.labels)}, {"status", host.status},
              {"reason", optional_text(host.reason)}, {"timezone", optional_text(host.timezone)},
              {"os", optional_text(host.os)},    {"jobs", host.jobs}};
}

Json summary_json(const ReportView& view) {
  Json languages = Json::array();
  for (const auto& row : view.by_language) {
    languages.push_back(
        {{"language", row.language}, {"jobs", row.jobs}, {"hosts", row.hosts}, {"owners", row.owners}});
  }
  Json owners = Json::array();
  for (const auto& row : view.by_owner) {
    Json names = Json::array();
    for (const auto& language : row.languages) {
      names.push_back(language);
    }
    owners.push_back(
        {{"owner", text(row.owner)}, {"jobs", row.jobs}, {"hosts", row.hosts}, {"languages", names}});
  }
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
                {"duplicated_jobs", t.duplicated_jobs}}},
              {"by_language", languages},
              {"by_owner", owners},
              {"duplicates", duplicates}};
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
  write_list(out, "hosts", view.hosts, [](const HostRow* host) { return host_json(*host); });
  std::vector<std::pair<const JobRow*, const std::string*>> jobs;
  jobs.reserve(view.job_count());
  for (const auto& group : view.groups) {
    for (const JobRow* job : group.jobs) {
      jobs.emplace_back(job, &group.key);
    }
  }
  write_list(out, "jobs", jobs, [&view](const auto& item) {
    return job_json(view, *item.first, *item.second);
  });
  out << "\n}\n";
}

std::string render_json(const ReportView& view) {
  std::ostringstream out;
  write_json(view, out);
  return std::move(out).str();
}

} // namespace digger::report
