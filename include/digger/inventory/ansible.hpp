#pragma once

// Ansible inventories (INI, YAML, `ansible-inventory --list` JSON) read into one model, then
// turned into InventoryEntry rows: groups become labels, connection variables become the
// entry's address, port, user, key files and jump chain. Nothing is ever executed or decrypted.

#include "digger/inventory/hosts_file.hpp"
#include "digger/util/result.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::inventory {

struct AnsibleValue {
  enum class Kind { text, vault, structure }; // structure: a list or a mapping
  Kind kind = Kind::text;
  std::string text; // __ansible_unsafe / !unsafe unwrapped; booleans and numbers as written
  SourceRef source;
};

struct AnsibleGroup {
  std::string name;
  std::vector<std::string> hosts;    // direct members, in order
  std::vector<std::string> children; // child groups, in order
  std::map<std::string, AnsibleValue> vars;
  SourceRef source;
};

struct AnsibleHost {
  std::string name;
  std::optional<int> port; // `host:port`
  std::map<std::string, AnsibleValue> vars;
  SourceRef source;
};

// Built by the parsers; `all` and `ungrouped` always exist.
class AnsibleModel {
public:
  explicit AnsibleModel(std::string file);

  AnsibleGroup& group(const std::string& name, const SourceRef& source);
  // Adds the host (once) to the model and to `group_name`. Fails past max_hosts.
  util::Result<AnsibleHost*> add_host(const std::string& name, const std::string& group_name,
                                      const SourceRef& source);
  void add_child(const std::string& parent, const std::string& child, const SourceRef& source);
  const std::string& file() const { return file_; }
  std::size_t host_count() const { return hosts_.size(); }

  // Variable precedence as Ansible: all, then groups by depth and name, then the host.
  util::Result<Inventory> to_inventory() const;

private:
  std::string file_;
  std::vector<AnsibleGroup> groups_;
  std::map<std::string, std::size_t> group_index_;
  std::vector<AnsibleHost> hosts_;
  std::map<std::string, std::size_t> host_index_;
};

inline constexpr std::size_t max_inventory_file_bytes = 256u << 20;
inline constexpr std::size_t max_ansible_groups = 10'000;

util::Result<Inventory> parse_ansible_ini(std::string_view text, std::string_view file_name);
util::Result<Inventory> parse_ansible_yaml(std::string_view text, std::string_view file_name);
util::Result<Inventory> parse_ansible_json(std::string_view text, std::string_view file_name);

} // namespace digger::inventory
