// The Ansible group tree to InventoryEntry rows: membership through child groups, variable
// precedence (all < groups by depth then name < host), groups as a `group` label.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "ansible_connection.hpp"

namespace digger::inventory {
namespace {

using util::Error;

constexpr int max_group_depth = 64;

} // namespace

AnsibleModel::AnsibleModel(std::string file) : file_(std::move(file)) {
  group("all", {file_, 0});
  group("ungrouped", {file_, 0});
}

AnsibleGroup& AnsibleModel::group(const std::string& name, const SourceRef& source) {
  auto [it, inserted] = group_index_.emplace(name, groups_.size());
  if (inserted) {
    groups_.push_back({name, {}, {}, {}, source});
  }
  return groups_[it->second];
}

util::Result<AnsibleHost*> AnsibleModel::add_host(const std::string& name,
                                                  const std::string& group_name,
                                                  const SourceRef& source) {
  auto [it, inserted] = host_index_.emplace(name, hosts_.size());
  if (inserted) {
    if (hosts_.size() >= max_hosts) {
      return Error{fmt::format("{}: more than {} hosts", source.str(), max_hosts)};
    }
    hosts_.push_back({name, std::nullopt, {}, source});
  }
  AnsibleGroup& g = group(group_name, source);
  if (inserted || std::find(g.hosts.begin(), g.hosts.end(), name) == g.hosts.end()) {
    g.hosts.push_back(name);
  }
  return &hosts_[it->second];
}

void AnsibleModel::add_child(const std::string& parent, const std::string& child,
                             const SourceRef& source) {
  group(child, source);
  AnsibleGroup& p = group(parent, source);
  if (std::find(p.children.begin(), p.children.end(), child) == p.children.end()) {
    p.children.push_back(child);
  }
}

util::Result<Inventory> AnsibleModel::to_inventory() const {
  if (groups_.size() > max_ansible_groups) {
    return Error{fmt::format("{}: more than {} groups", file_, max_ansible_groups)};
  }
  // Parents of every group; a group nobody names as a child hangs under `all`.
  std::vector<std::vector<size_t>> parents(groups_.size());
  for (size_t g = 0; g < groups_.size(); ++g) {
    for (const std::string& child : groups_[g].children) {
      parents[group_index_.at(child)].push_back(g);
    }
  }
  const size_t all = group_index_.at("all");
  // Depth = longest path from `all`; ancestors of each group, both bounded (a loop is an error).
  std::vector<int> depth(groups_.size(), -1);
  std::vector<std::vector<size_t>> ancestors(groups_.size());
  std::function<util::Result<int>(size_t, int)> visit = [&](size_t g,
                                                            int level) -> util::Result<int> {
    if (level > max_group_depth) {
      return Error{fmt::format("{}: group '{}' nested deeper than {} levels (a loop?)",
                               groups_[g].source.str(), groups_[g].name, max_group_depth)};
    }
    if (depth[g] >= 0) {
      return depth[g];
    }
    int d = g == all ? 0 : 1;
    std::vector<size_t> up;
    for (size_t p : parents[g]) {
      auto pd = visit(p, level + 1);
      if (!pd) {
        return pd;
      }
      d = std::max(d, *pd + 1);
      up.push_back(p);
      up.insert(up.end(), ancestors[p].begin(), ancestors[p].end());
    }
    std::sort(up.begin(), up.end());
    up.erase(std::unique(up.begin(), up.end()), up.end());
    ancestors[g] = std::move(up);
    depth[g] = d;
    return d;
  };
  for (size_t g = 0; g < groups_.size(); ++g) {
    auto d = visit(g, 0);
    if (!d) {
      return Error{d.error()};
    }
  }
  // Each host's groups (direct and inherited).
  std::vector<std::vector<size_t>> member_of(hosts_.size());
  for (size_t g = 0; g < groups_.size(); ++g) {
    for (const std::string& name : groups_[g].hosts) {
      auto& list = member_of[host_index_.at(name)];
      list.push_back(g);
      list.insert(list.end(), ancestors[g].begin(), ancestors[g].end());
    }
  }
  Inventory inventory;
  ConnectionNotes notes;
  for (size_t h = 0; h < hosts_.size(); ++h) {
    auto& groups = member_of[h];
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    std::vector<size_t> ordered = groups; // all first, then by depth and name, as Ansible
    if (std::find(ordered.begin(), ordered.end(), all) == ordered.end()) {
      ordered.push_back(all);
    }
    std::sort(ordered.begin(), ordered.end(), [&](size_t a, size_t b) {
      return std::tie(depth[a], groups_[a].name) < std::tie(depth[b], groups_[b].name);
    });
    std::map<std::string, const AnsibleValue*> vars;
    for (size_t g : ordered) {
      for (const auto& [key, value] : groups_[g].vars) {
        vars[key] = &value;
      }
    }
    for (const auto& [key, value] : hosts_[h].vars) {
      vars[key] = &value;
    }
    auto entry = connection_entry(hosts_[h], vars, notes);
    if (!entry) {
      return Error{entry.error()};
    }
    if (!entry->has_value()) {
      continue;
    }
    InventoryEntry& e = *entry.value();
    std::vector<std::string> names;
    for (size_t g : groups) {
      if (g != all && groups_[g].name != "ungrouped") {
        names.push_back(groups_[g].name);
      }
    }
    std::sort(names.begin(), names.end());
    if (!names.empty()) {
      std::string joined;
      for (const auto& n : names) {
        joined += (joined.empty() ? "" : ",") + n;
      }
      e.labels.emplace_back("group", joined);
    }
    e.groups = names;
    if (names.empty()) {
      e.groups.push_back("ungrouped"); // Ansible's implicit group, for --limit
    }
    inventory.entries.push_back(std::move(e));
  }
  inventory.warnings = std::move(notes.warnings);
  return inventory;
}

} // namespace digger::inventory
