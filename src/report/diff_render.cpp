#include "digger/report/diff_render.hpp"

#include "digger/report/schedule_text.hpp"
#include "digger/report/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace digger::report {
namespace {

using Json = nlohmann::ordered_json;

std::string host_label(const std::string& name, int port) {
  std::string text = terminal_text(name);
  return port == 22 ? text : fmt::format("{}:{}", text, port);
}

// On a terminal a line is cut to its width; in a pipe or a file (width 0) never.
std::string cut(std::string_view text, std::size_t width) {
  return width == 0 ? std::string(text) : fit(text, width);
}

std::string job_line(const JobRow& job) {
  return fmt::format("{} {} {}", terminal_text(job.owner), terminal_text(schedule_text(job)),
                     terminal_text(job.command));
}

std::string scan_line(const catalog::ScanSummary& scan) {
  return fmt::format("scan {} ({}, started {})", scan.id, catalog::scan_status_name(scan.status),
                     scan.started_at);
}

std::string change_lines(const JobChange& change, std::size_t width) {
  const JobRow& job = change.after ? *change.after : *change.before;
  std::string where = fmt::format("{}:{}", terminal_text(job.file), job.line);
  std::string out =
      cut(fmt::format("    {:<16} {}", change_name(change.kind), where), width) + "\n";
  if (change.before) {
    out += cut("      - " + job_line(*change.before), width) + "\n";
  }
  if (change.kind == JobChange::Kind::migrated) {
    out += cut("      + disabled, migrated to " + terminal_text(change.after->managed_by), width) +
           "\n";
  } else if (change.after) {
    out += cut("      + " + job_line(*change.after), width) + "\n";
  }
  return out;
}

Json job_json(const JobRow& job) {
  return Json{
      {"owner", valid_utf8(job.owner)},
      {"schedule", valid_utf8(job.schedule.raw)},
      {"normalized", job.schedule.normalized},
      {"command", valid_utf8(job.command)},
      {"language", job.language},
      {"file", valid_utf8(job.file)},
      {"line", job.line},
      {"fingerprint", job.fingerprint},
      {"verdict", job.verdict.empty() ? Json(nullptr) : Json(job.verdict)},
      {"managed_by", job.managed_by.empty() ? Json(nullptr) : Json(valid_utf8(job.managed_by))}};
}

Json scan_json(const catalog::ScanSummary& scan) {
  return Json{{"id", scan.id},
              {"status", catalog::scan_status_name(scan.status)},
              {"started_at", scan.started_at},
              {"finished_at", scan.finished_at.empty() ? Json(nullptr) : Json(scan.finished_at)}};
}

// The verdict a CSV row carries: the job's before the change (a migrated line's own verdict is
// "migrated", which the kind says already), else after it.
std::string_view verdict_of(const JobChange& change) {
  return change.before ? change.before->verdict : change.after->verdict;
}

void csv_row(std::string& out, std::initializer_list<std::string_view> cells) {
  bool first = true;
  for (auto cell : cells) {
    out += (first ? "" : ",") + csv_field(cell);
    first = false;
  }
  out += "\r\n";
}

} // namespace

std::string render_diff_table(const Diff& diff, const TableStyle& style) {
  const auto w = style.width;
  std::string out;
  out +=
      cut(fmt::format("Digger diff: {} -> {}", scan_line(diff.from), scan_line(diff.to)), w) + "\n";
  const auto& n = diff.counts;
  out += cut(fmt::format("Jobs: {} added, {} removed, {} schedule changed, {} command changed, "
                         "{} moved",
                         n.added, n.removed, n.schedule_changed, n.command_changed, n.moved),
             w) +
         "\n";
  if (n.migrated > 0) {
    out += cut(fmt::format("      {} migrated (disabled and marked `# digger: migrated to`)",
                           n.migrated),
               w) +
           "\n";
  }
  out += cut(fmt::format("Hosts: {} new, {} gone, {} unknown (not scanned in one of the scans)",
                         n.hosts_new, n.hosts_gone, n.hosts_unknown),
             w) +
         "\n";
  for (const auto& host : diff.hosts) {
    if (host.state == HostDiff::State::compared && host.changes.empty() &&
        host.uncompared_paths.empty()) {
      continue;
    }
    if (!host.changes.empty()) {
      out += "\n"; // a blank line before each block of changes; bare host lines stay together
    }
    std::string head =
        fmt::format("{} [{}]", host_label(host.name, host.port), host_state_name(host.state));
    if (host.state == HostDiff::State::unknown) {
      head += fmt::format(
          " {} -> {}: {}", host.status_before.empty() ? "absent" : host.status_before,
          host.status_after.empty() ? "absent" : host.status_after, terminal_text(host.reason));
    } else {
      head += fmt::format(" jobs {} -> {}", host.jobs_before, host.jobs_after);
    }
    out += (style.color ? "\x1b[1m" + cut(head, w) + "\x1b[0m" : cut(head, w)) + "\n";
    for (const auto& path : host.uncompared_paths) {
      out += cut("    not compared (unreadable in a scan): " + terminal_text(path), w) + "\n";
    }
    for (const auto& change : host.changes) {
      out += change_lines(change, w);
    }
  }
  if (!diff.moves.empty()) {
    out += "\n" + cut("Moved (same job gone from one host, new on another)", w) + "\n";
    for (const auto& move : diff.moves) {
      out += cut(fmt::format("  {} -> {}", host_label(move.from_host, move.from_port),
                             host_label(move.to_host, move.to_port)),
                 w) +
             "\n" + cut("      " + job_line(move.after), w) + "\n";
    }
  }
  if (!diff.workers.empty()) { // only then: diffs of fleets without workers keep their bytes
    out +=
        "\n" +
        cut(fmt::format("Workers: {} added, {} removed", n.workers_added, n.workers_removed), w) +
        "\n";
    for (const auto& change : diff.workers) {
      const auto& worker = change.worker;
      out += cut(fmt::format("  {} {} {} {} x{}: {}", change.added ? "+" : "-",
                             host_label(change.host, change.port), terminal_text(worker.owner),
                             terminal_text(worker.name), worker.instances,
                             terminal_text(worker.command)),
                 w) +
             "\n";
    }
  }
  if (!diff.anything_changed()) {
    out += "\nNo change.\n";
  }
  return out;
}

std::string render_diff_json(const Diff& diff) {
  const auto& n = diff.counts;
  Json hosts = Json::array();
  for (const auto& host : diff.hosts) {
    Json uncompared = Json::array();
    for (const auto& path : host.uncompared_paths) {
      uncompared.push_back(valid_utf8(path));
    }
    Json changes = Json::array();
    for (const auto& change : host.changes) {
      changes.push_back({{"kind", change_name(change.kind)},
                         {"before", change.before ? job_json(*change.before) : Json(nullptr)},
                         {"after", change.after ? job_json(*change.after) : Json(nullptr)}});
    }
    hosts.push_back(
        {{"host", valid_utf8(host.name)},
         {"port", host.port},
         {"state", host_state_name(host.state)},
         {"status_before", host.status_before.empty() ? Json(nullptr) : Json(host.status_before)},
         {"status_after", host.status_after.empty() ? Json(nullptr) : Json(host.status_after)},
         {"reason", host.reason.empty() ? Json(nullptr) : Json(valid_utf8(host.reason))},
         {"jobs_before", host.jobs_before},
         {"jobs_after", host.jobs_after},
         {"uncompared_paths", uncompared},
         {"changes", changes}});
  }
  Json moves = Json::array();
  for (const auto& move : diff.moves) {
    moves.push_back({{"fingerprint", move.after.fingerprint},
                     {"from", {{"host", valid_utf8(move.from_host)}, {"port", move.from_port}}},
                     {"to", {{"host", valid_utf8(move.to_host)}, {"port", move.to_port}}},
                     {"before", job_json(move.before)},
                     {"after", job_json(move.after)}});
  }
  Json out{{"format", "digger-diff"},
           {"version", diff_json_format_version},
           {"from", scan_json(diff.from)},
           {"to", scan_json(diff.to)},
           {"changed", diff.anything_changed()},
           {"counts",
            {{"added", n.added},
             {"removed", n.removed},
             {"schedule_changed", n.schedule_changed},
             {"command_changed", n.command_changed},
             {"moved", n.moved},
             {"migrated", n.migrated},
             {"hosts_new", n.hosts_new},
             {"hosts_gone", n.hosts_gone},
             {"hosts_unknown", n.hosts_unknown}}},
           {"hosts", hosts},
           {"moves", moves}};
  if (!diff.workers.empty()) {
    Json workers = Json::array();
    for (const auto& change : diff.workers) {
      const auto& worker = change.worker;
      workers.push_back({{"kind", change.added ? "added" : "removed"},
                         {"host", valid_utf8(change.host)},
                         {"port", change.port},
                         {"manager", valid_utf8(worker.manager)},
                         {"name", valid_utf8(worker.name)},
                         {"owner", valid_utf8(worker.owner)},
                         {"command", valid_utf8(worker.command)},
                         {"instances", worker.instances},
                         {"restart", valid_utf8(worker.restart)},
                         {"file", valid_utf8(worker.file)},
                         {"line", worker.line}});
    }
    out["counts"]["workers_added"] = n.workers_added;
    out["counts"]["workers_removed"] = n.workers_removed;
    out["workers"] = std::move(workers);
  }
  return out.dump(2) + "\n";
}

std::string render_diff_csv(const Diff& diff) {
  std::string out = "kind,host,port,to_host,to_port,owner,file,line,schedule_before,"
                    "schedule_after,command_before,command_after,fingerprint,detail,verdict\r\n";
  for (const auto& host : diff.hosts) {
    const std::string port = std::to_string(host.port);
    if (host.state != HostDiff::State::compared) {
      csv_row(out,
              {fmt::format("host-{}", host_state_name(host.state)), host.name, port, "", "", "", "",
               "", "", "", "", "", "",
               fmt::format("{} -> {}{}", host.status_before.empty() ? "absent" : host.status_before,
                           host.status_after.empty() ? "absent" : host.status_after,
                           host.reason.empty() ? "" : ": " + host.reason),
               ""});
    }
    for (const auto& change : host.changes) {
      const JobRow& job = change.after ? *change.after : *change.before;
      const auto& b = change.before;
      const auto& a = change.after;
      csv_row(out,
              {change_name(change.kind), host.name, port, "", "", job.owner, job.file,
               std::to_string(job.line), b ? b->schedule.raw : "", a ? a->schedule.raw : "",
               b ? b->command : "", a ? a->command : "", job.fingerprint,
               change.kind == JobChange::Kind::migrated ? a->managed_by : "", verdict_of(change)});
    }
  }
  for (const auto& change : diff.workers) {
    const auto& worker = change.worker;
    csv_row(out,
            {change.added ? "worker-added" : "worker-removed", change.host,
             std::to_string(change.port), "", "", worker.owner, worker.file,
             std::to_string(worker.line), "", "", change.added ? "" : worker.command,
             change.added ? worker.command : "", worker.fingerprint, worker.name, worker.verdict});
  }
  for (const auto& move : diff.moves) {
    csv_row(out, {"moved", move.from_host, std::to_string(move.from_port), move.to_host,
                  std::to_string(move.to_port), move.after.owner, move.after.file,
                  std::to_string(move.after.line), move.before.schedule.raw,
                  move.after.schedule.raw, move.before.command, move.after.command,
                  move.after.fingerprint, "", move.after.verdict});
  }
  return out;
}

} // namespace digger::report
