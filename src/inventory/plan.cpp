// From inventory entries and the ssh config to ScanTargets: precedence of values, ProxyJump
// chains resolved hop by hop, ProxyCommand refused unless allowed, duplicates dropped.
#include "digger/inventory/plan.hpp"

#include "digger/util/ascii.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace digger::inventory {
namespace {

using util::Error;

constexpr int max_jump_depth = 8;    // nested ProxyJump of jump hosts (a loop ends here)
constexpr size_t max_jump_hops = 16; // hops per target

bool is_none(const std::optional<std::string>& value) {
  return !value || util::lower(*value) == "none";
}

class Planner {
public:
  Planner(const SshConfig& config, const TargetDefaults& defaults,
          std::vector<std::string>& warnings)
      : config_(config), defaults_(defaults), warnings_(warnings) {}

  util::Result<ScanTarget> plan(const InventoryEntry& entry);

private:
  ResolvedHost resolve_noting(std::string_view alias, const std::optional<std::string>& user);
  std::vector<std::string> expand_paths(const std::vector<std::string>& paths,
                                        const TokenValues& values, const SourceRef& source);
  std::chrono::milliseconds timeout(const ResolvedHost& resolved) const;
  util::Result<bool> add_chain(const std::string& value, int depth, std::vector<JumpHop>& out);
  JumpHop hop(const JumpSpec& spec, const ResolvedHost& resolved);

  const SshConfig& config_;
  const TargetDefaults& defaults_;
  std::vector<std::string>& warnings_;
  std::map<std::string, bool> warned_keywords_;
  SourceRef current_; // the entry being planned, for path warnings of its hops
};

ResolvedHost Planner::resolve_noting(std::string_view alias,
                                     const std::optional<std::string>& user) {
  ResolvedHost resolved = resolve(config_, alias, user);
  for (const auto& [keyword, source] : resolved.ignored) {
    if (warned_keywords_.emplace(util::lower(keyword), true).second) {
      warnings_.push_back(fmt::format("{}: {} is not supported by Digger; ignored (warned once)",
                                      source.str(), keyword));
    }
  }
  return resolved;
}

std::vector<std::string> Planner::expand_paths(const std::vector<std::string>& paths,
                                               const TokenValues& values, const SourceRef& source) {
  std::vector<std::string> expanded;
  for (const std::string& path : paths) {
    auto result = expand_path(path, config_.environment, values);
    if (result) {
      expanded.push_back(std::move(result).value());
    } else {
      warnings_.push_back(
          fmt::format("{}: {}: {}; path not used", source.str(), values.alias, result.error()));
    }
  }
  return expanded;
}

std::chrono::milliseconds Planner::timeout(const ResolvedHost& resolved) const {
  if (resolved.connect_timeout && resolved.connect_timeout->count() > 0) {
    return *resolved.connect_timeout; // 0 ("system default") is no bound: keep ours
  }
  return defaults_.connect_timeout.value_or(builtin_connect_timeout);
}

JumpHop Planner::hop(const JumpSpec& spec, const ResolvedHost& resolved) {
  JumpHop out;
  out.name = spec.host;
  out.address = resolved.hostname.value_or(spec.host);
  out.port = spec.port.value_or(resolved.port.value_or(22)); // -J host:port beats Port
  out.user = spec.user.value_or(resolved.user.value_or(config_.environment.user));
  TokenValues values{out.address, out.user, out.port, spec.host};
  out.identity_files = expand_paths(resolved.identity_files, values, current_);
  out.known_hosts_host = resolved.host_key_alias.value_or(out.address);
  out.known_hosts_port = resolved.host_key_alias ? 22 : out.port;
  out.connect_timeout = timeout(resolved);
  return out;
}

// ssh runs `ssh -J <earlier hops> -W target <last hop>`: every hop is looked up in the config
// under its own name; only the first hop of a list is reached without -J, so only its own
// ProxyJump applies (which prepends that hop's chain).
util::Result<bool> Planner::add_chain(const std::string& value, int depth,
                                      std::vector<JumpHop>& out) {
  if (depth > max_jump_depth) {
    return Error{fmt::format("ProxyJump nested deeper than {} (a loop?)", max_jump_depth)};
  }
  auto specs = parse_jump_list(value);
  if (!specs) {
    return Error{fmt::format("ProxyJump: {}", specs.error())};
  }
  for (size_t i = 0; i < specs->size(); ++i) {
    const JumpSpec& spec = (*specs)[i];
    ResolvedHost resolved = resolve_noting(spec.host, spec.user);
    if (i == 0 && !is_none(resolved.proxy_command)) {
      return Error{fmt::format("jump host {} uses ProxyCommand ({}); not supported for jump hosts",
                               spec.host, resolved.proxy_source.str())};
    }
    if (i == 0 && !is_none(resolved.proxy_jump)) {
      auto nested = add_chain(*resolved.proxy_jump, depth + 1, out);
      if (!nested) {
        return nested;
      }
    }
    out.push_back(hop(spec, resolved));
    if (out.size() > max_jump_hops) {
      return Error{fmt::format("more than {} jump hosts (a loop?)", max_jump_hops)};
    }
  }
  return true;
}

util::Result<ScanTarget> Planner::plan(const InventoryEntry& entry) {
  current_ = entry.source;
  // ssh is given ansible_host, so the config is matched against it (%n too).
  const std::string lookup = entry.address.value_or(entry.name);
  ResolvedHost resolved = resolve_noting(lookup, entry.user);
  ScanTarget target;
  target.name = entry.name;
  target.source = entry.source;
  target.address = resolved.hostname.value_or(lookup);
  target.port = entry.port.value_or(resolved.port.value_or(defaults_.port.value_or(22)));
  target.user = entry.user.value_or(
      resolved.user.value_or(defaults_.user.value_or(config_.environment.user)));
  std::vector<std::string> identities = entry.identity_files; // `ssh -i` first, then the config
  identities.insert(identities.end(), resolved.identity_files.begin(),
                    resolved.identity_files.end());
  if (identities.empty()) {
    identities = defaults_.identity_files;
  }
  TokenValues values{target.address, target.user, target.port, lookup};
  target.identity_files = expand_paths(identities, values, entry.source);
  target.connect_timeout = timeout(resolved);
  target.host_key_alias = resolved.host_key_alias.value_or("");
  target.known_hosts_host = resolved.host_key_alias.value_or(target.address);
  target.known_hosts_port = resolved.host_key_alias ? 22 : target.port;
  if (resolved.user_known_hosts_files != std::vector<std::string>{"none"}) {
    target.user_known_hosts_files =
        expand_paths(resolved.user_known_hosts_files, values, entry.source);
  }
  target.strict_host_key_checking = resolved.strict_host_key_checking;
  target.identities_only = resolved.identities_only;
  target.become = entry.become;
  target.labels = entry.labels;

  // The inventory's -J / -o options beat the config, as ssh's command line does.
  bool from_entry = entry.proxy_jump || entry.proxy_command;
  const auto& command = from_entry ? entry.proxy_command : resolved.proxy_command;
  const auto& jump = from_entry ? entry.proxy_jump : resolved.proxy_jump;
  const SourceRef& proxy_source = from_entry ? entry.proxy_source : resolved.proxy_source;
  if (command && *command != "none") {
    if (!defaults_.allow_proxy_command) {
      return Error{fmt::format("ProxyCommand ({}) refused: it runs a local command; pass "
                               "--allow-proxy-command to allow it",
                               proxy_source.str())};
    }
    auto expanded = expand_proxy_command(*command, values);
    if (!expanded) {
      return Error{fmt::format("{}: {}", proxy_source.str(), expanded.error())};
    }
    target.proxy_command = std::move(expanded).value();
  }
  if (!is_none(jump) && !target.proxy_command) {
    auto chain = add_chain(*jump, 0, target.jump_hosts);
    if (!chain) {
      return Error{fmt::format("{} (from {})", chain.error(), proxy_source.str())};
    }
  }
  return target;
}

std::string reach_key(const ScanTarget& target) {
  std::string address = normalized_host(target.address);
  if (address.find(':') != std::string::npos) {
    address = "[" + address + "]";
  }
  std::string key = fmt::format("{}@{}:{}", target.user, address, target.port);
  for (const JumpHop& hop : target.jump_hosts) {
    key += fmt::format(" via {}@{}:{}", hop.user, normalized_host(hop.address), hop.port);
  }
  return key;
}

} // namespace

std::vector<ScanTarget> plan_targets(const std::vector<InventoryEntry>& entries,
                                     const SshConfig& config, const TargetDefaults& defaults,
                                     std::vector<std::string>* warnings,
                                     std::vector<std::string>* errors) {
  std::vector<std::string> local_warnings;
  Planner planner(config, defaults, local_warnings);
  std::vector<ScanTarget> targets;
  std::map<std::string, size_t> seen; // user@address:port [via hops] -> index in targets
  for (const InventoryEntry& entry : entries) {
    auto planned = planner.plan(entry);
    if (!planned) {
      if (errors != nullptr) {
        errors->push_back(
            fmt::format("{}: {}: {}", entry.source.str(), entry.name, planned.error()));
      }
      continue;
    }
    ScanTarget target = std::move(planned).value();
    std::string key = reach_key(target);
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
