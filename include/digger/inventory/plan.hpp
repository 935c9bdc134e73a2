#pragma once

#include "digger/inventory/hosts_file.hpp"
#include "digger/inventory/ssh_config.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace digger::inventory {

// One ProxyJump hop, with its own user, keys and known_hosts key.
struct JumpHop {
  std::string name;
  std::string address;
  int port = 22;
  std::string user;
  std::vector<std::string> identity_files;
  std::string known_hosts_host;
  int known_hosts_port = 22;
  std::chrono::milliseconds connect_timeout{5000};
};

// Everything needed to reach one host, decided before any connection.
struct ScanTarget {
  std::string name;    // as written in hosts.txt (reports show it)
  std::string address; // HostName from the ssh config, else the name
  int port = 22;
  std::string user;
  std::vector<std::string> identity_files; // expanded paths, in order; empty = key ring defaults
  std::chrono::milliseconds connect_timeout{5000};
  std::string host_key_alias; // empty when none
  // The known_hosts lookup key, exactly as ssh forms it: HostKeyAlias with no port, else the
  // address (not the alias from hosts.txt) with the port ("[addr]:port" unless 22).
  std::string known_hosts_host;
  int known_hosts_port = 22;
  std::vector<std::string> user_known_hosts_files;     // expanded; empty = the usual files
  std::optional<std::string> strict_host_key_checking; // from the config, for the report only
  std::vector<Label> labels;
  SourceRef source;
  std::vector<JumpHop> jump_hosts; // connection order: [0] is dialled first
};

// --user / --port / -i / --connect-timeout from the command line: weaker than the ssh config.
struct TargetDefaults {
  std::optional<std::string> user;
  std::optional<int> port;
  std::vector<std::string> identity_files;
  std::optional<std::chrono::milliseconds> connect_timeout;
};

inline constexpr std::chrono::milliseconds builtin_connect_timeout{5000};

// Precedence, per value: hosts.txt > ssh config > defaults > built-ins (the current user from
// config.environment, port 22, 5 s). IdentityFile lines of the config replace -i files rather
// than adding to them. Two entries reaching the same user@address:port are scanned once; the
// later one is reported in `warnings` (file:line of both), as are unusable %tokens.
std::vector<ScanTarget> plan_targets(const std::vector<InventoryEntry>& entries,
                                     const SshConfig& config, const TargetDefaults& defaults,
                                     std::vector<std::string>* warnings = nullptr);

} // namespace digger::inventory
