#include "digger/inventory/plan.hpp"

#include <fmt/format.h>

#include <map>

namespace digger::inventory {
namespace {

std::vector<std::string> expand_paths(const std::vector<std::string>& paths,
                                      const ScanTarget& target, const LocalEnvironment& env,
                                      std::vector<std::string>& warnings) {
  TokenValues values{target.address, target.user, target.port, target.name};
  std::vector<std::string> expanded;
  for (const std::string& path : paths) {
    auto result = expand_path(path, env, values);
    if (result) {
      expanded.push_back(std::move(result).value());
    } else {
      warnings.push_back(fmt::format("{}: {}: {}; path not used", target.source.str(), target.name,
                                     result.error()));
    }
  }
  return expanded;
}

ScanTarget plan_one(const InventoryEntry& entry, const SshConfig& config,
                    const TargetDefaults& defaults, std::vector<std::string>& warnings) {
  ResolvedHost resolved = resolve(config, entry.name, entry.user);
  ScanTarget target;
  target.name = entry.name;
  target.source = entry.source; // named by warnings below
  target.address = resolved.hostname.value_or(entry.name);
  target.port = entry.port.value_or(resolved.port.value_or(defaults.port.value_or(22)));
  target.user =
      entry.user.value_or(resolved.user.value_or(defaults.user.value_or(config.environment.user)));
  const auto& identities =
      resolved.identity_files.empty() ? defaults.identity_files : resolved.identity_files;
  target.identity_files = expand_paths(identities, target, config.environment, warnings);
  target.connect_timeout = defaults.connect_timeout.value_or(builtin_connect_timeout);
  if (resolved.connect_timeout && resolved.connect_timeout->count() > 0) {
    target.connect_timeout = *resolved.connect_timeout; // 0 ("system default") is no bound
  }
  target.host_key_alias = resolved.host_key_alias.value_or("");
  target.known_hosts_host = resolved.host_key_alias.value_or(target.address);
  target.known_hosts_port = resolved.host_key_alias ? 22 : target.port;
  if (resolved.user_known_hosts_files != std::vector<std::string>{"none"}) {
    target.user_known_hosts_files =
        expand_paths(resolved.user_known_hosts_files, target, config.environment, warnings);
  }
  target.strict_host_key_checking = resolved.strict_host_key_checking;
  target.labels = entry.labels;
  return target;
}

} // namespace

std::vector<ScanTarget> plan_targets(const std::vector<InventoryEntry>& entries,
                                     const SshConfig& config, const TargetDefaults& defaults,
                                     std::vector<std::string>* warnings) {
  std::vector<std::string> local_warnings;
  std::vector<ScanTarget> targets;
  std::map<std::string, size_t> seen; // user@address:port -> index in targets
  for (const InventoryEntry& entry : entries) {
    ScanTarget target = plan_one(entry, config, defaults, local_warnings);
    std::string address = normalized_host(target.address);
    if (address.find(':') != std::string::npos) {
      address = "[" + address + "]";
    }
    std::string key = fmt::format("{}@{}:{}", target.user, address, target.port);
    auto [it, inserted] = seen.emplace(key, targets.size());
    if (!inserted) {
      const ScanTarget& first = targets[it->second];
      local_warnings.push_back(fmt::format("{}: {} reaches {} like {} ({}); scanned once",
                                           target.source.str(), target.name, key,
                                           first.source.str(), first.name));
      continue;
    }
    targets.push_back(std::move(target));
  }
  if (warnings != nullptr) {
    warnings->insert(warnings->end(), local_warnings.begin(), local_warnings.end());
  }
  return targets;
}

} // namespace digger::inventory
