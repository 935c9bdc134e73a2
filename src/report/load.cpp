#include "digger/report/load.hpp"

#include "digger/catalog/queries/scan_hosts.hpp"
#include "digger/catalog/queries/scan_jobs.hpp"
#include "digger/catalog/queries/scan_workers.hpp"
#include "digger/util/result.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <tuple>
#include <unordered_map>

namespace digger::report {
namespace {

std::string os_text(const std::string& id, const std::string& version) {
  if (id.empty()) {
    return version;
  }
  return version.empty() ? id : id + " " + version;
}

// hosts.id -> index in snapshot.hosts (catalog order is name, port: the order reports use).
using HostIndex = std::unordered_map<std::int64_t, std::size_t>;

HostIndex load_hosts(catalog::Catalog& catalog, std::int64_t scan_id, std::vector<HostRow>& hosts) {
  HostIndex index;
  for (auto& row : catalog::scan_hosts(catalog, scan_id)) {
    HostRow host;
    host.name = std::move(row.name);
    host.port = row.port;
    host.labels = std::move(row.labels);
    host.status = std::move(row.status);
    host.reason = std::move(row.reason);
    host.timezone = std::move(row.timezone);
    host.os = os_text(row.os_id, row.os_version);
    host.jobs = row.jobs;
    host.unreadable_paths = std::move(row.unreadable_paths);
    index[row.host_id] = hosts.size();
    hosts.push_back(std::move(host));
  }
  return index;
}

// "host index NUL path" -> what the inspection of that path found.
using ProgramIndex = std::unordered_map<std::string, std::shared_ptr<const ProgramInfo>>;

std::string program_key(std::size_t host, const std::string& path) {
  return std::to_string(host) + '\0' + path;
}

ProgramIndex load_programs(catalog::Catalog& catalog, std::int64_t scan_id,
                           const HostIndex& host_index) {
  ProgramIndex programs;
  for (auto& row : catalog::scan_programs(catalog, scan_id)) {
    ProgramInfo info;
    info.exists = row.exists;
    info.type = std::move(row.type);
    info.go_version = std::move(row.go_version);
    info.go_module = std::move(row.go_module);
    info.sha256 = std::move(row.sha256);
    // The first record of a path wins should a host ever report one twice.
    programs.emplace(program_key(host_index.at(row.host_id), row.path),
                     std::make_shared<const ProgramInfo>(std::move(info)));
  }
  return programs;
}

JobRow job_row(catalog::ScanJobRow&& row, const HostIndex& host_index, bool details,
               const ProgramIndex& programs) {
  JobRow job;
  job.host = host_index.at(row.host_id);
  job.owner = std::move(row.owner);
  job.schedule.raw = std::move(row.schedule_text);
  job.schedule.normalized = std::move(row.normalized_schedule);
  job.schedule.cron_tz = std::move(row.cron_tz);
  if (details) {
    job.schedule.description = std::move(row.description);
    job.evidence = std::move(row.evidence);
    job.target = std::move(row.target);
    job.verdict_reasons = std::move(row.verdict_reasons);
    job.flags = std::move(row.flags);
    job.schedule_origin = std::move(row.schedule_origin);
    if (!job.target.empty()) {
      auto found = programs.find(program_key(job.host, job.target));
      if (found != programs.end()) {
        job.program = found->second;
      }
    }
  }
  job.command = std::move(row.command);
  job.language = row.language.empty() ? "unknown" : std::move(row.language);
  job.file = std::move(row.path);
  job.line = row.line_number;
  job.source_kind = std::move(row.source_kind);
  job.source_traits = {std::move(row.source_grammar), std::move(row.source_clock)};
  job.loaded_by_daemon = row.loaded_by_daemon;
  job.fingerprint = std::move(row.fingerprint);
  job.verdict = std::move(row.verdict);
  job.managed_by = std::move(row.managed_by);
  job.schedule.trigger = timer_trigger_name(row.timer_key);
  job.run = std::move(row.run);
  return job;
}

void load_jobs(catalog::Catalog& catalog, std::int64_t scan_id, const HostIndex& host_index,
               bool details, Snapshot& snapshot) {
  const ProgramIndex programs =
      details ? load_programs(catalog, scan_id, host_index) : ProgramIndex{};
  catalog::for_each_scan_job(catalog, scan_id, details, [&](catalog::ScanJobRow&& row) {
    auto& list = row.migrated ? snapshot.migrated : snapshot.jobs;
    list.push_back(job_row(std::move(row), host_index, details, programs));
  });
}

void load_workers(catalog::Catalog& catalog, std::int64_t scan_id, const HostIndex& host_index,
                  Snapshot& snapshot) {
  for (auto& row : catalog::scan_workers(catalog, scan_id)) {
    WorkerRow worker;
    worker.host = host_index.at(row.host_id);
    worker.manager = std::move(row.manager);
    worker.name = std::move(row.name);
    worker.owner = std::move(row.owner);
    worker.command = std::move(row.command);
    worker.language = row.language.empty() ? "unknown" : std::move(row.language);
    worker.evidence = std::move(row.evidence);
    worker.instances = row.instances;
    worker.restart = std::move(row.restart);
    worker.autostart = row.autostart;
    worker.rejected = std::move(row.rejected);
    worker.file = std::move(row.path);
    worker.line = row.line_number;
    worker.verdict = std::move(row.verdict);
    worker.fingerprint = std::move(row.fingerprint);
    worker.flags = std::move(row.flags);
    worker.unexpected_exits = row.unexpected_exits;
    worker.gave_up = row.gave_up;
    worker.last_exit = std::move(row.last_exit);
    worker.gave_up_at = std::move(row.gave_up_at);
    snapshot.workers.push_back(std::move(worker));
  }
  std::stable_sort(snapshot.workers.begin(), snapshot.workers.end(),
                   [](const WorkerRow& a, const WorkerRow& b) {
                     return std::tie(a.host, a.file, a.line) < std::tie(b.host, b.file, b.line);
                   });
}

} // namespace

catalog::Catalog open_catalog(const std::string& path) {
  return catalog::Catalog::open(path, catalog::Mode::read_only);
}

catalog::ScanSummary resolve_scan(catalog::Catalog& catalog, std::string_view spec) {
  if (spec.empty() || spec == "latest") {
    for (const auto& scan : catalog.scans()) { // newest first
      if (scan.status == catalog::ScanStatus::complete ||
          scan.status == catalog::ScanStatus::interrupted) {
        return scan;
      }
    }
    throw catalog::CatalogError(
        fmt::format("{}: no complete or interrupted scan in this catalog yet", catalog.path()));
  }
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(spec.data(), spec.data() + spec.size(), id);
  if (error != std::errc{} || end != spec.data() + spec.size() || id <= 0) {
    throw util::UsageError(fmt::format("--scan must be a scan id or 'latest', not '{}'", spec));
  }
  auto scan = catalog.scan(id);
  if (!scan) {
    throw util::UsageError(
        fmt::format("no scan {} in {} (see `digger-scan scans`)", id, catalog.path()));
  }
  return *scan;
}

Snapshot load_snapshot(catalog::Catalog& catalog, const catalog::ScanSummary& scan,
                       const LoadOptions& options) {
  Snapshot snapshot;
  snapshot.scan = scan;
  const auto host_index = load_hosts(catalog, scan.id, snapshot.hosts);
  // The scan row counts its jobs: reserving exactly avoids a vector twice too big for a fleet.
  snapshot.jobs.reserve(static_cast<std::size_t>(std::max<std::int64_t>(scan.jobs, 0)));
  load_jobs(catalog, scan.id, host_index, options.details, snapshot);
  // SQL sorted the hosts; jobs follow host order, then file and line, for stable output.
  const auto by_place = [](const JobRow& a, const JobRow& b) {
    return std::tie(a.host, a.file, a.line) < std::tie(b.host, b.file, b.line);
  };
  if (!std::is_sorted(snapshot.jobs.begin(), snapshot.jobs.end(), by_place)) {
    std::sort(snapshot.jobs.begin(), snapshot.jobs.end(), by_place);
  }
  std::sort(snapshot.migrated.begin(), snapshot.migrated.end(), by_place);
  load_workers(catalog, scan.id, host_index, snapshot);
  answer_one_off_runs(snapshot.jobs);
  if (options.derived) {
    compute_derived_fields(snapshot);
  }
  return snapshot;
}

} // namespace digger::report
