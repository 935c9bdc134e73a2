#include "digger/report/view.hpp"

#include "digger/util/enum_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace digger::report {
namespace {

std::string group_key(const GroupBy& group_by, const JobRow& job, const HostRow& host) {
  switch (group_by.kind) {
  case GroupBy::Kind::language:
    return job.language;
  case GroupBy::Kind::owner:
    return job.owner;
  case GroupBy::Kind::host:
    return host.port == 22 ? host.name : fmt::format("{}:{}", host.name, host.port);
  case GroupBy::Kind::label: {
    const auto found = host.labels.find(group_by.label);
    return found == host.labels.end() ? "(none)" : found->second;
  }
  }
  return {};
}

struct Tally {
  std::int64_t jobs = 0;
  std::int64_t hidden = 0;
  std::set<std::size_t> hosts;
  std::set<std::string> others; // owners of a language, languages of an owner
};

template <class Row, class Fill>
std::vector<Row> ranked(const std::map<std::string, Tally>& tallies, Fill fill) {
  std::vector<Row> rows;
  for (const auto& [key, tally] : tallies) {
    rows.push_back(fill(key, tally));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.jobs > b.jobs; // ties keep the map's name order
  });
  return rows;
}

void count_languages_and_owners(const std::vector<const JobRow*>& jobs,
                                std::vector<LanguageCount>& by_language,
                                std::vector<OwnerCount>& by_owner) {
  std::map<std::string, Tally> languages, owners;
  for (const JobRow* job : jobs) {
    auto& language = languages[job->language];
    ++language.jobs;
    language.hidden += job->hidden() ? 1 : 0;
    language.hosts.insert(job->host);
    language.others.insert(job->owner);
    auto& owner = owners[job->owner];
    ++owner.jobs;
    owner.hidden += job->hidden() ? 1 : 0;
    owner.hosts.insert(job->host);
    owner.others.insert(job->language);
  }
  by_language = ranked<LanguageCount>(languages, [](const std::string& key, const Tally& t) {
    return LanguageCount{key, t.jobs, static_cast<std::int64_t>(t.hosts.size()),
                         static_cast<std::int64_t>(t.others.size()), t.hidden};
  });
  by_owner = ranked<OwnerCount>(owners, [](const std::string& key, const Tally& t) {
    return OwnerCount{key, t.jobs, static_cast<std::int64_t>(t.hosts.size()),
                      std::vector<std::string>(t.others.begin(), t.others.end()), t.hidden};
  });
}

std::string manager_of(const JobRow& job) {
  const auto colon = job.managed_by.find(':');
  std::string manager = job.managed_by.substr(0, colon);
  return manager.empty() ? "unknown" : manager;
}

std::vector<ManagerCount> count_managers(const std::map<std::string, std::int64_t>& counts) {
  std::vector<ManagerCount> rows;
  for (const auto& [manager, jobs] : counts) {
    rows.push_back({manager, jobs});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const ManagerCount& a, const ManagerCount& b) { return a.jobs > b.jobs; });
  return rows;
}

std::vector<Group> sorted_groups(std::map<std::string, Group>& groups, bool hidden) {
  std::vector<Group> out;
  for (auto& [key, group] : groups) {
    group.key = key;
    group.hidden = hidden;
    out.push_back(std::move(group));
  }
  return out;
}

// Host names per fingerprint over the whole scan, not just the filter's part: "this job also
// runs on 40 other hosts" is the point of the section.
void find_duplicates(ReportView& view, const Snapshot& snapshot,
                     const std::vector<const JobRow*>& jobs) {
  std::map<std::string, Duplicate> by_fingerprint;
  for (const JobRow* job : jobs) {
    if (job->same_job_hosts > 1) {
      auto& duplicate = by_fingerprint[job->fingerprint];
      if (duplicate.example == nullptr) {
        duplicate.fingerprint = job->fingerprint;
        duplicate.hosts = job->same_job_hosts;
        duplicate.example = job;
      }
    }
  }
  for (const auto& job : snapshot.jobs) {
    auto found = by_fingerprint.find(job.fingerprint);
    if (found != by_fingerprint.end()) {
      ++found->second.jobs;
      const std::string& name = snapshot.hosts.at(job.host).name;
      auto& names = found->second.host_names;
      if (names.empty() || names.back() != name) {
        names.push_back(name);
      }
    }
  }
  for (auto& [fingerprint, duplicate] : by_fingerprint) {
    std::sort(duplicate.host_names.begin(), duplicate.host_names.end());
    duplicate.host_names.erase(
        std::unique(duplicate.host_names.begin(), duplicate.host_names.end()),
        duplicate.host_names.end());
    view.duplicates.push_back(std::move(duplicate));
  }
  std::stable_sort(view.duplicates.begin(), view.duplicates.end(),
                   [](const Duplicate& a, const Duplicate& b) { return a.hosts > b.hosts; });
}

// The label kind is written "label:KEY".
constexpr util::EnumNames<GroupBy::Kind, GroupBy::Kind::label> group_by_names{
    {"language", "owner", "host", "label"}};

} // namespace

std::string GroupBy::name() const {
  const std::string_view kind_name = group_by_names.name_of(kind);
  return kind == Kind::label ? fmt::format("{}:{}", kind_name, label) : std::string(kind_name);
}

util::Result<GroupBy> parse_group_by(std::string_view text) {
  GroupBy group_by;
  if (const auto kind = group_by_names.value_of(text); kind && *kind != GroupBy::Kind::label) {
    group_by.kind = *kind;
  } else if (text.starts_with("label:") && text.size() > 6) {
    group_by.kind = GroupBy::Kind::label;
    group_by.label = std::string(text.substr(6));
  } else {
    return util::Error{
        fmt::format("--group-by must be language, owner, host or label:KEY, not '{}'", text)};
  }
  return group_by;
}

std::size_t ReportView::job_count() const {
  std::size_t count = 0;
  for (const auto& group : groups) {
    count += group.jobs.size();
  }
  return count;
}

std::string manager_label(std::string_view manager) {
  static const std::map<std::string_view, std::string_view> labels{{"package", "packages"},
                                                                   {"ansible", "Ansible"},
                                                                   {"puppet", "Puppet"},
                                                                   {"chef", "Chef"},
                                                                   {"salt", "Salt"},
                                                                   {"registry", "the registry"},
                                                                   {"digger", "Digger migrations"}};
  const auto found = labels.find(manager);
  return std::string(found == labels.end() ? manager : found->second);
}

std::string managed_summary(const ReportView& view) {
  if (view.totals.managed == 0) {
    return "";
  }
  std::vector<std::string> parts;
  for (const auto& row : view.managers) {
    parts.push_back(fmt::format("{} by {}", row.jobs, manager_label(row.manager)));
  }
  return fmt::format("{} job{} managed ({}) {}", view.totals.managed,
                     view.totals.managed == 1 ? "" : "s", fmt::join(parts, ", "),
                     view.managed_listed ? "listed with the others"
                                         : "not shown; --all shows them");
}

std::string app_scheduler_reason(const JobRow& job) {
  for (const auto& reason : job.verdict_reasons) {
    if (reason.starts_with("app scheduler: ")) {
      return reason;
    }
  }
  return "";
}

ReportView build_view(const Snapshot& snapshot, const Filter& filter, std::string filter_text,
                      GroupBy group_by, bool list_managed) {
  ReportView view;
  view.snapshot = &snapshot;
  view.filter_text = std::move(filter_text);
  view.group_by = group_by;
  view.managed_listed = list_managed || filter.chooses_verdict();
  view.verdicts_known = std::any_of(snapshot.jobs.begin(), snapshot.jobs.end(),
                                    [](const JobRow& job) { return !job.verdict.empty(); });
  for (const auto& host : snapshot.hosts) {
    if (filter.matches_host(host)) {
      view.hosts.push_back(&host);
      if (!host.scanned()) {
        view.failed_hosts.push_back(&host);
      }
    }
  }
  std::vector<const JobRow*> jobs, hidden_jobs;
  std::map<std::string, Group> hidden_groups, other_groups;
  std::map<std::string, std::int64_t> managers;
  for (const auto& job : snapshot.jobs) {
    const HostRow& host = snapshot.hosts.at(job.host);
    if (!filter.matches_job(job, host)) {
      continue;
    }
    if (job.managed()) {
      ++view.totals.managed;
      ++managers[manager_of(job)];
      if (!view.managed_listed) {
        continue;
      }
    }
    jobs.push_back(&job);
    if (job.hidden()) {
      hidden_jobs.push_back(&job);
    }
    auto& groups = job.hidden() ? hidden_groups : other_groups;
    groups[group_key(group_by, job, host)].jobs.push_back(&job);
  }
  for (const auto& line : snapshot.migrated) {
    view.totals.migrated += filter.matches_job(line, snapshot.hosts.at(line.host)) ? 1 : 0;
  }
  for (const auto& worker : snapshot.workers) {
    if (filter.matches_job(as_job(worker), snapshot.hosts.at(worker.host))) {
      view.workers.push_back(&worker);
    }
  }
  view.groups = sorted_groups(hidden_groups, true);
  for (auto& group : sorted_groups(other_groups, false)) {
    view.groups.push_back(std::move(group));
  }
  view.managers = count_managers(managers);
  view.totals.hidden = static_cast<std::int64_t>(hidden_jobs.size());
  count_languages_and_owners(jobs, view.by_language, view.by_owner);
  count_languages_and_owners(hidden_jobs, view.hidden_by_language, view.hidden_by_owner);
  find_duplicates(view, snapshot, jobs);
  for (const JobRow* job : jobs) {
    if (job->source_kind == "laravel-task") {
      view.app_schedulers.tasks.push_back(job);
    } else if (job->has_flag("app-scheduler-expanded") ||
               job->has_flag("app-scheduler-not-expanded")) {
      view.app_schedulers.schedulers.push_back(job);
    }
  }
  view.totals.hosts = static_cast<std::int64_t>(view.hosts.size());
  view.totals.hosts_failed = static_cast<std::int64_t>(view.failed_hosts.size());
  view.totals.hosts_scanned = view.totals.hosts - view.totals.hosts_failed;
  view.totals.jobs = static_cast<std::int64_t>(jobs.size());
  view.totals.languages = static_cast<std::int64_t>(view.by_language.size());
  view.totals.owners = static_cast<std::int64_t>(view.by_owner.size());
  view.totals.duplicated_jobs = static_cast<std::int64_t>(view.duplicates.size());
  return view;
}

} // namespace digger::report
