// `ansible-inventory --list` JSON (lib/ansible/cli/inventory.py json_inventory): one object
// per group with `hosts`, `children`, `vars`; `_meta.hostvars` holds host variables (all of them
// when flattened, host-level only with --export). Values dumped with preprocess_unsafe come
// wrapped as {"__ansible_unsafe": "..."} or {"__ansible_vault": "<ciphertext>"}.
#include "digger/inventory/ansible.hpp"
#include "digger/inventory/host_range.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>

namespace digger::inventory {
namespace {

using util::Error;
using Json = nlohmann::json;

// JSON has no per-value lines: a host or group is located at the first line where its name
// appears as a string, from an index built in one pass.
class Locator {
public:
  Locator(std::string_view text, std::string file) : file_(std::move(file)) {
    size_t line = 1;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
      } else if (text[i] == '"') {
        size_t start = ++i;
        while (i < text.size() && text[i] != '"') {
          i += text[i] == '\\' ? 2 : 1;
        }
        first_line_.emplace(text.substr(start, std::min(i, text.size()) - start), line);
      }
    }
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') {
        newline_offsets_.push_back(i);
      }
    }
  }
  SourceRef at(const std::string& name) const {
    auto it = first_line_.find(name);
    return {file_, it == first_line_.end() ? 1 : it->second};
  }
  size_t line_of(size_t offset) const {
    return 1 + static_cast<size_t>(
                   std::lower_bound(newline_offsets_.begin(), newline_offsets_.end(), offset) -
                   newline_offsets_.begin());
  }

private:
  std::string file_;
  std::unordered_map<std::string_view, size_t> first_line_;
  std::vector<size_t> newline_offsets_;
};

AnsibleValue value_of(const Json& json, const SourceRef& source) {
  if (json.is_object() && json.size() == 1 && json.contains("__ansible_vault")) {
    return {AnsibleValue::Kind::vault, "", source};
  }
  if (json.is_object() && json.size() == 1 && json.contains("__ansible_unsafe")) {
    return value_of(json["__ansible_unsafe"], source);
  }
  if (json.is_string()) {
    return {AnsibleValue::Kind::text, json.get<std::string>(), source};
  }
  if (json.is_structured()) {
    return {AnsibleValue::Kind::structure, "", source};
  }
  return {AnsibleValue::Kind::text,
          json.is_boolean() ? (json.get<bool>() ? "true" : "false") : json.dump(), source};
}

util::Result<bool> read_vars(const Json& vars, std::map<std::string, AnsibleValue>& out,
                             const SourceRef& source) {
  if (vars.is_null()) {
    return true;
  }
  if (!vars.is_object()) {
    return Error{fmt::format("{}: vars must be an object", source.str())};
  }
  for (const auto& [key, value] : vars.items()) {
    out[key] = value_of(value, source);
  }
  return true;
}

util::Result<bool> read_group(AnsibleModel& model, const std::string& name, const Json& group,
                              const Locator& where) {
  SourceRef source = where.at(name);
  if (!group.is_object()) {
    return Error{fmt::format("{}: group '{}' must be an object", source.str(), name)};
  }
  model.group(name, source);
  if (auto hosts = group.find("hosts"); hosts != group.end() && !hosts->is_null()) {
    if (!hosts->is_array()) {
      return Error{fmt::format("{}: '{}.hosts' must be a list", source.str(), name)};
    }
    for (const Json& host : *hosts) {
      if (!host.is_string()) {
        return Error{fmt::format("{}: '{}.hosts' must hold names", source.str(), name)};
      }
      auto added = model.add_host(host.get<std::string>(), name, where.at(host.get<std::string>()));
      if (!added) {
        return Error{added.error()};
      }
    }
  }
  if (auto children = group.find("children"); children != group.end() && !children->is_null()) {
    if (!children->is_array()) {
      return Error{fmt::format("{}: '{}.children' must be a list", source.str(), name)};
    }
    for (const Json& child : *children) {
      if (!child.is_string()) {
        return Error{fmt::format("{}: '{}.children' must hold names", source.str(), name)};
      }
      model.add_child(name, child.get<std::string>(), source);
    }
  }
  if (auto vars = group.find("vars"); vars != group.end()) {
    return read_vars(*vars, model.group(name, source).vars, source);
  }
  return true;
}

} // namespace

util::Result<Inventory> parse_ansible_json(std::string_view text, std::string_view file_name) {
  const std::string file(file_name);
  Locator where(text, file);
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    const size_t byte = dynamic_cast<const Json::parse_error*>(&e) != nullptr
                            ? static_cast<const Json::parse_error&>(e).byte
                            : 0;
    return Error{
        fmt::format("{}:{}: not valid JSON", file, where.line_of(byte > 0 ? byte - 1 : 0))};
  }
  if (!root.is_object()) {
    return Error{
        fmt::format("{}:1: expected an object of groups (ansible-inventory --list)", file)};
  }
  AnsibleModel model(file);
  for (const auto& [name, group] : root.items()) {
    if (name == "_meta") {
      continue;
    }
    auto read = read_group(model, name, group, where);
    if (!read) {
      return Error{read.error()};
    }
  }
  if (auto meta = root.find("_meta"); meta != root.end() && meta->is_object()) {
    if (auto hostvars = meta->find("hostvars"); hostvars != meta->end()) {
      if (!hostvars->is_object()) {
        return Error{
            fmt::format("{}: _meta.hostvars must be an object", where.at("hostvars").str())};
      }
      for (const auto& [host, vars] : hostvars->items()) {
        SourceRef source = where.at(host);
        auto added = model.add_host(host, "all", source); // a host only in hostvars is in all
        if (!added) {
          return Error{added.error()};
        }
        auto read = read_vars(vars, (*added)->vars, source);
        if (!read) {
          return Error{read.error()};
        }
      }
    }
  }
  return model.to_inventory();
}

} // namespace digger::inventory
