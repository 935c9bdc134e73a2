// Ansible's YAML inventory (lib/ansible/plugins/inventory/yaml.py): top-level keys are groups,
// each a mapping of `hosts` (host patterns to their vars), `vars` and `children` (groups).
#include "digger/inventory/ansible.hpp"
#include "digger/inventory/host_range.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "yaml_tree.hpp"

namespace digger::inventory {
namespace {

using util::Error;
using Node = std::shared_ptr<const YamlNode>;

constexpr int max_nesting = 64;
constexpr size_t max_work = 20'000'000; // node visits: aliases may repeat a subtree

class YamlReader {
public:
  explicit YamlReader(std::string file) : model_(std::move(file)) {}

  util::Result<Inventory> read(const YamlNode& root) {
    if (root.kind != YamlNode::Kind::mapping) {
      return fail(root, "expected a mapping of groups (all: {hosts, vars, children})");
    }
    for (size_t i = 0; i + 1 < root.items.size(); i += 2) {
      if (root.items[i]->value == "plugin") {
        return fail(*root.items[i],
                    fmt::format("this is an inventory plugin configuration (plugin: {}); Digger "
                                "does not run plugins: give it the output of `ansible-inventory "
                                "-i FILE --list`",
                                root.items[i + 1]->value));
      }
    }
    for (size_t i = 0; i + 1 < root.items.size(); i += 2) {
      auto done = group(*root.items[i], *root.items[i + 1], 0);
      if (!done) {
        return Error{done.error()};
      }
    }
    return model_.to_inventory();
  }

private:
  Error fail(const YamlNode& at, const std::string& why) const {
    return Error{fmt::format("{}:{}: {}", model_.file(), at.line, why)};
  }
  SourceRef source(const YamlNode& at) const { return {model_.file(), at.line}; }

  util::Result<bool> budget(const YamlNode& at) {
    if (++work_ > max_work) {
      return fail(at, "inventory too large or too repetitive (aliases)");
    }
    return true;
  }

  AnsibleValue value_of(const YamlNode& node) const {
    if (node.tag == "!vault") {
      return {AnsibleValue::Kind::vault, "", source(node)};
    }
    if (node.kind == YamlNode::Kind::mapping && node.items.size() == 2 &&
        node.items[0]->kind == YamlNode::Kind::scalar) {
      if (node.items[0]->value == "__ansible_vault") {
        return {AnsibleValue::Kind::vault, "", source(node)};
      }
      if (node.items[0]->value == "__ansible_unsafe") {
        return value_of(*node.items[1]);
      }
    }
    if (node.kind != YamlNode::Kind::scalar) {
      return {AnsibleValue::Kind::structure, "", source(node)};
    }
    return {AnsibleValue::Kind::text, node.is_null() ? "" : node.value, source(node)};
  }

  util::Result<bool> vars(const YamlNode& node, std::map<std::string, AnsibleValue>& out) {
    if (node.is_null()) {
      return true;
    }
    if (node.kind != YamlNode::Kind::mapping) {
      return fail(node, "vars must be a mapping");
    }
    for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
      if (!budget(node)) {
        return fail(node, "inventory too large or too repetitive (aliases)");
      }
      out[node.items[i]->value] = value_of(*node.items[i + 1]);
    }
    return true;
  }

  util::Result<bool> hosts(const std::string& group_name, const YamlNode& node) {
    if (node.is_null()) {
      return true;
    }
    if (node.kind != YamlNode::Kind::mapping) {
      return fail(node, fmt::format("'{}.hosts' must be a mapping of host names", group_name));
    }
    for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
      const YamlNode& key = *node.items[i];
      auto names = host_names(key);
      if (!names) {
        return Error{names.error()};
      }
      for (const std::string& name : names->first) {
        auto host = model_.add_host(name, group_name, source(key));
        if (!host) {
          return Error{host.error()};
        }
        if (names->second) {
          (*host)->port = names->second;
        }
        auto read = vars(*node.items[i + 1], (*host)->vars);
        if (!read) {
          return read;
        }
      }
    }
    return true;
  }

  // `host`, `host:port`, ranges; an IPv6 address has several ':' and no port.
  util::Result<std::pair<std::vector<std::string>, std::optional<int>>>
  host_names(const YamlNode& key) const {
    std::string_view text = key.value;
    std::optional<int> port;
    size_t colon = text.rfind(':');
    bool ipv6 =
        std::count(text.begin(), text.end(), ':') > 1 && text.find('[') == std::string_view::npos;
    if (!ipv6 && colon != std::string_view::npos &&
        text.find(']', colon) == std::string_view::npos) {
      std::string_view digits = text.substr(colon + 1);
      bool ok = !digits.empty() && digits.size() <= 5 &&
                std::all_of(digits.begin(), digits.end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
      if (!ok || std::stoi(std::string(digits)) < 1 || std::stoi(std::string(digits)) > 65535) {
        return fail(key, fmt::format("bad port '{}'", digits));
      }
      port = std::stoi(std::string(digits));
      text = text.substr(0, colon);
    }
    if (key.kind != YamlNode::Kind::scalar || text.empty() || text[0] == '-' ||
        text.find_first_of(" \t\"'=,\\") != std::string_view::npos) {
      return fail(key, fmt::format("bad host name '{}'", text.substr(0, 80)));
    }
    if (ipv6) {
      return std::pair{std::vector<std::string>{std::string(text)}, port};
    }
    auto names = expand_host_ranges(text, RangeSyntax::ansible, max_hosts);
    if (!names) {
      return fail(key, names.error());
    }
    return std::pair{std::move(names).value(), port};
  }

  util::Result<bool> group(const YamlNode& key, const YamlNode& node, int depth) {
    if (depth > max_nesting) {
      return fail(key, fmt::format("groups nested deeper than {} levels", max_nesting));
    }
    if (!budget(key)) {
      return fail(key, "inventory too large or too repetitive (aliases)");
    }
    const std::string& name = key.value;
    if (key.kind != YamlNode::Kind::scalar || name.empty() ||
        name.find_first_of(" \t:[]") != std::string::npos) {
      return fail(key, fmt::format("bad group name '{}'", name.substr(0, 80)));
    }
    model_.group(name, source(key));
    if (node.is_null()) {
      return true;
    }
    if (node.kind != YamlNode::Kind::mapping) {
      return fail(node,
                  fmt::format("group '{}' must be a mapping of hosts, vars and children", name));
    }
    for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
      const std::string& section = node.items[i]->value;
      const YamlNode& value = *node.items[i + 1];
      util::Result<bool> done = true;
      if (section == "hosts") {
        done = hosts(name, value);
      } else if (section == "vars") {
        done = vars(value, model_.group(name, source(key)).vars);
      } else if (section == "children") {
        done = children(name, value, depth);
      } else {
        return fail(*node.items[i], fmt::format("unknown key '{}' in group '{}' (expected hosts, "
                                                "vars or children)",
                                                section.substr(0, 40), name));
      }
      if (!done) {
        return done;
      }
    }
    return true;
  }

  util::Result<bool> children(const std::string& parent, const YamlNode& node, int depth) {
    if (node.is_null()) {
      return true;
    }
    if (node.kind != YamlNode::Kind::mapping) {
      return fail(node, fmt::format("'{}.children' must be a mapping of groups", parent));
    }
    for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
      model_.add_child(parent, node.items[i]->value, source(*node.items[i]));
      auto done = group(*node.items[i], *node.items[i + 1], depth + 1);
      if (!done) {
        return done;
      }
    }
    return true;
  }

  AnsibleModel model_;
  size_t work_ = 0;
};

} // namespace

util::Result<Inventory> parse_ansible_yaml(std::string_view text, std::string_view file_name) {
  auto root = parse_yaml(text, file_name);
  if (!root) {
    return Error{root.error()};
  }
  return YamlReader(std::string(file_name)).read(**root);
}

} // namespace digger::inventory
