#pragma once

#include "digger/util/result.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace digger::inventory {

// Where a value came from, for messages: "hosts.txt:12".
struct SourceRef {
  std::string file;
  std::size_t line = 0;

  std::string str() const;
  friend bool operator==(const SourceRef&, const SourceRef&) = default;
};

// `team=billing`: free-form tags carried into the catalog and the report.
using Label = std::pair<std::string, std::string>;

// One host of the inventory: a line of hosts.txt (`[user@]host[:port] [key=value ...]`, where
// a pdsh range `web[01-20]` gives one entry per host), or an Ansible host (ansible.hpp).
struct InventoryEntry {
  std::string name;                // host as written, without the IPv6 brackets
  std::optional<std::string> user; // only when the line names one
  std::optional<int> port;         // only when the line names one
  std::vector<Label> labels;       // in line order, keys unique
  SourceRef source;
  // Set by Ansible inventories (ansible_host, ansible_ssh_private_key_file, -J / -o ProxyJump=
  // / -o ProxyCommand= in ansible_ssh_common_args or _extra_args, ansible_become). They beat the
  // ssh config, as ssh's command line does; the config is matched against `address` if set.
  std::optional<std::string> address;
  std::vector<std::string> identity_files;
  std::optional<std::string> proxy_jump;
  std::optional<std::string> proxy_command;
  SourceRef proxy_source; // the line that set proxy_jump / proxy_command
  bool become = false;
  std::vector<std::string> groups; // Ansible groups, with their parents (not "all"), for --limit

  friend bool operator==(const InventoryEntry&, const InventoryEntry&) = default;
};

struct Inventory {
  std::vector<InventoryEntry> entries;
  std::vector<std::string> warnings; // duplicates dropped: "hosts.txt:9: duplicate of ..."
};

// Bounds: a longer line or a larger file is refused rather than half read.
inline constexpr std::size_t max_hosts_line_bytes = 4096;
inline constexpr std::size_t max_hosts = 1'000'000;
inline constexpr std::size_t max_hosts_file_bytes = 256u << 20;

// Pure. Any bad line makes the whole file an error ("hosts.txt:12: bad port 'abc'"): scanning
// part of a fleet because of a typo would look like a complete scan.
util::Result<Inventory> parse_hosts(std::string_view text, std::string_view file_name);

// Reads the file (bounded) and parses it; the file name in messages is `path` as given.
util::Result<Inventory> load_hosts_file(const std::filesystem::path& path);

// A host as compared for duplicates: lowercased, an IPv6 address in canonical form.
std::string normalized_host(std::string_view host);

} // namespace digger::inventory
