// Host selection as Ansible's InventoryManager (split_host_pattern, order_patterns,
// _match_one_pattern): a term matches the groups it names; when it names no group, or is a
// glob, it also matches host names.
#include "digger/inventory/limit.hpp"

#include "digger/util/glob.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace digger::inventory {
namespace {

using util::Error;
using util::glob_match;

std::vector<bool> matching(const std::vector<InventoryEntry>& entries, std::string_view term) {
  std::vector<bool> hit(entries.size(), false);
  if (term == "all" || term == "*") {
    hit.assign(entries.size(), true);
    return hit;
  }
  bool any_group = false;
  static const std::vector<std::string> ungrouped{"ungrouped"};
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& groups = entries[i].groups.empty() ? ungrouped : entries[i].groups;
    for (const std::string& group : groups) {
      if (glob_match(group, term)) {
        hit[i] = true;
        any_group = true;
      }
    }
  }
  bool glob = term.find_first_of("*?.[") != std::string_view::npos;
  if (!any_group || glob) {
    for (size_t i = 0; i < entries.size(); ++i) {
      hit[i] = hit[i] || glob_match(entries[i].name, term);
    }
  }
  return hit;
}

} // namespace

util::Result<std::vector<InventoryEntry>> apply_limit(std::vector<InventoryEntry> entries,
                                                      std::string_view pattern) {
  std::vector<std::string_view> plain, intersect, exclude;
  std::string_view rest = pattern;
  while (true) {
    size_t cut = rest.find_first_of(":,");
    std::string_view term = rest.substr(0, cut);
    while (!term.empty() && term.front() == ' ') {
      term.remove_prefix(1);
    }
    while (!term.empty() && term.back() == ' ') {
      term.remove_suffix(1);
    }
    if (!term.empty()) {
      if (term[0] == '&') {
        intersect.push_back(term.substr(1));
      } else if (term[0] == '!') {
        exclude.push_back(term.substr(1));
      } else {
        plain.push_back(term);
      }
    }
    if (cut == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(cut + 1);
  }
  if (plain.empty()) {
    plain.push_back("all"); // only modifiers: they apply to everything
  }
  std::vector<bool> keep(entries.size(), false);
  for (std::string_view term : plain) {
    auto hit = matching(entries, term);
    for (size_t i = 0; i < entries.size(); ++i) {
      keep[i] = keep[i] || hit[i];
    }
  }
  for (std::string_view term : intersect) {
    auto hit = matching(entries, term);
    for (size_t i = 0; i < entries.size(); ++i) {
      keep[i] = keep[i] && hit[i];
    }
  }
  for (std::string_view term : exclude) {
    auto hit = matching(entries, term);
    for (size_t i = 0; i < entries.size(); ++i) {
      keep[i] = keep[i] && !hit[i];
    }
  }
  std::vector<InventoryEntry> selected;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (keep[i]) {
      selected.push_back(std::move(entries[i]));
    }
  }
  if (selected.empty()) {
    return Error{fmt::format("--limit '{}' matches no host of the inventory", pattern)};
  }
  return selected;
}

} // namespace digger::inventory
