// Which programs the second round trip inspects (what the jobs of every source kind run, and
// as whom), and the bytes sent to the host for them.
#include "digger/collect/host_record.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace digger::collect {
namespace {

bool inspectable(std::string_view path) {
  return path.size() > 1 && path.size() <= 4096 && path.front() == '/' &&
         path.find('\0') == std::string_view::npos;
}

// An account name the host's `id` may be asked about: no option, separator or shell syntax.
bool valid_user(std::string_view user) {
  if (user.empty() || user.size() > 64 || user.front() == '-') {
    return false;
  }
  return std::all_of(user.begin(), user.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '$' || c == '@';
  });
}

// "root,alice": the run-as accounts that can be asked about (an invalid one is left out: no
// read on its behalf, and no flag either, since the host was not asked).
std::string user_list(const std::vector<std::string>& users) {
  std::string out;
  for (const auto& user : users) {
    if (valid_user(user)) {
      out += out.empty() ? user : "," + user;
    }
  }
  return out;
}

} // namespace

std::vector<InspectionTarget> inspection_targets(const HostSnapshot& snapshot) {
  return targets_to_inspect(read_host(snapshot, host_context(snapshot, "", nullptr)));
}

// The enriched jobs are the one definition of a job's target; the record is built from the
// same jobs once the programs are known.
std::vector<InspectionTarget> targets_to_inspect(const HostJobs& jobs) {
  std::map<std::string, std::set<std::string>, std::less<>> users;
  for (const auto& source : jobs.sources) {
    for (const auto& job : source.jobs) {
      const auto& entry = job.row;
      if ((entry.kind == "job" || entry.kind == "worker") && inspectable(entry.target)) {
        users[entry.target].insert(entry.run_as);
      }
    }
  }
  std::vector<InspectionTarget> out;
  out.reserve(users.size());
  for (auto& [path, names] : users) {
    out.push_back({path, {names.begin(), names.end()}, false});
  }
  // The application files whose scheduler a job runs, read as that job's user.
  for (const auto& [dir, run] : jobs.expansions.apps()) {
    for (auto& path : laravel_app_files(dir)) {
      if (inspectable(path) && !users.contains(path)) {
        out.push_back({std::move(path), {run.run_as}, true});
      }
    }
  }
  // Last, so that programs come first under the per-host bound: the files the jobs' output
  // goes to, stat'ed for their mtime (docs/evidence.md, "Output file freshness").
  std::map<std::string, std::set<std::string>, std::less<>> writers;
  for (const auto& source : jobs.sources) {
    for (const auto& job : source.jobs) {
      for (const auto& file : job.output_files) {
        if (job.row.kind == "job" && inspectable(file) && !users.contains(file)) {
          writers[file].insert(job.row.run_as);
        }
      }
    }
  }
  for (auto& [path, names] : writers) {
    out.push_back({path, {names.begin(), names.end()}, false, true});
  }
  return out;
}

InspectionPlan plan_inspection(const std::vector<InspectionTarget>& targets,
                               const InspectLimits& limits) {
  InspectionPlan plan;
  plan.payload = fmt::format("+{}", limits.max_read_bytes);
  plan.payload.push_back('\0');
  std::set<std::string_view> seen;
  std::size_t app_sources = 0;
  bool programs_over = false;
  for (const auto& [path, users, app_source, output_file] : targets) {
    if (!seen.insert(path).second) {
      continue;
    }
    if (app_source) {
      plan.app_paths.insert(path);
    }
    if (output_file) {
      plan.output_paths.insert(path);
    }
    if (path.empty() || path.front() != '/') {
      plan.rejected.emplace_back(path, "not an absolute path");
      continue;
    }
    if (path.find('\0') != std::string::npos) {
      plan.rejected.emplace_back(path, "path holds a NUL byte");
      continue;
    }
    if (path.size() > limits.max_path_bytes) {
      plan.rejected.emplace_back(path,
                                 fmt::format("path longer than {} bytes", limits.max_path_bytes));
      continue;
    }
    ++plan.requested;
    const std::string item = (app_source ? "=" : output_file ? ">" : "") + user_list(users) + path;
    if (plan.paths.size() >= limits.max_targets ||
        plan.payload.size() + item.size() + 1 > limits.max_payload_bytes ||
        (app_source && app_sources >= limits.max_app_sources)) {
      plan.over_bound.push_back(path);
      programs_over |= !app_source && !output_file; // the others' bound is said on their jobs
      continue;
    }
    app_sources += app_source ? 1 : 0;
    plan.paths.push_back(path);
    plan.payload += item;
    plan.payload.push_back('\0');
  }
  if (programs_over) {
    plan.note =
        fmt::format("bound hit: {} of {} targets inspected", plan.paths.size(), plan.requested);
  }
  return plan;
}

} // namespace digger::collect
