// Walks the config tree for one host like OpenSSH's readconf.c: Host and Match lines switch the
// following lines on or off, an Include inherits the state and cannot change it for the lines
// after it, and for each option the first value obtained wins.
#include "digger/inventory/ssh_config.hpp"
#include "digger/util/ascii.hpp"
#include "digger/util/glob.hpp"

#include <algorithm>
#include <cctype>

namespace digger::inventory {
namespace {

using util::glob_match;
using util::ListMatch;
using util::match_pattern_list;

// HostName's only token is %h (and %%).
std::string expand_hostname(std::string_view value, std::string_view alias) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '%' && i + 1 < value.size() && (value[i + 1] == 'h' || value[i + 1] == '%')) {
      out += value[i + 1] == 'h' ? std::string(alias) : "%";
      ++i;
    } else {
      out += value[i];
    }
  }
  return out;
}

class Resolver {
public:
  Resolver(const SshConfig& config, std::string_view alias,
           const std::optional<std::string>& explicit_user)
      : config_(config), alias_(alias), lowercase_alias_(util::lower(alias)),
        explicit_user_(explicit_user) {}

  ResolvedHost run() {
    bool active = true; // lines before the first Host/Match apply to every host
    walk(config_.items, active, false);
    return std::move(result_);
  }

private:
  void walk(const std::vector<ConfigItem>& items, bool& active, bool never_match);
  bool host_line_matches(const ConfigItem& item) const;
  bool match_line_matches(const ConfigItem& item) const;
  void apply(const ConfigItem& item);

  const SshConfig& config_;
  std::string alias_;           // Host lines compare it as given, case-sensitively, like ssh 9.2
  std::string lowercase_alias_; // Match host/originalhost compare without case
  const std::optional<std::string>& explicit_user_;
  ResolvedHost result_;
  bool known_hosts_set_ = false;
  bool identities_only_set_ = false;
};

void Resolver::walk(const std::vector<ConfigItem>& items, bool& active, bool never_match) {
  for (const ConfigItem& item : items) {
    switch (item.kind) {
    case ConfigItem::Kind::host:
      active = !never_match && host_line_matches(item);
      break;
    case ConfigItem::Kind::match:
      active = !never_match && match_line_matches(item);
      break;
    case ConfigItem::Kind::include:
      for (const IncludedFile& file : item.included) {
        bool file_active = active; // a Host inside the file ends at the file's end
        walk(file.items, file_active, never_match || !active);
      }
      break;
    case ConfigItem::Kind::option:
      if (active) {
        apply(item);
      }
      break;
    }
  }
}

bool Resolver::host_line_matches(const ConfigItem& item) const {
  bool matched = false;
  for (const std::string& arg : item.args) {
    bool negated = arg[0] == '!';
    if (glob_match(alias_, negated ? std::string_view(arg).substr(1) : arg)) {
      if (negated) {
        return false; // a negated hit rules the whole line out
      }
      matched = true;
    }
  }
  return matched;
}

bool Resolver::match_line_matches(const ConfigItem& item) const {
  if (item.unsupported_match) {
    return false;
  }
  for (const MatchCriterion& criterion : item.criteria) {
    bool hit = true; // "all"
    if (criterion.name == "host") {
      std::string host = result_.hostname.value_or(lowercase_alias_);
      hit = match_pattern_list(host, criterion.argument, true) == ListMatch::positive;
    } else if (criterion.name == "originalhost") {
      hit = match_pattern_list(lowercase_alias_, criterion.argument, true) == ListMatch::positive;
    } else if (criterion.name == "user") {
      std::string user = explicit_user_.value_or(result_.user.value_or(config_.environment.user));
      hit = match_pattern_list(user, criterion.argument, false) == ListMatch::positive;
    } else if (criterion.name == "localuser") {
      hit = match_pattern_list(config_.environment.user, criterion.argument, false) ==
            ListMatch::positive;
    }
    if (hit == criterion.negated) {
      return false;
    }
  }
  return true;
}

void Resolver::apply(const ConfigItem& item) {
  if (item.ignored) {
    result_.ignored.emplace_back(item.args[0], item.source); // the keyword as written
    return;
  }
  const std::string& keyword = item.keyword;
  const std::string& value = item.args.empty() ? std::string() : item.args[0];
  if (keyword == "hostname" && !result_.hostname) {
    result_.hostname = util::lower(expand_hostname(value, alias_)); // ssh lowercases it too
  } else if (keyword == "user" && !result_.user) {
    result_.user = value;
  } else if (keyword == "port" && !result_.port) {
    result_.port = std::stoi(value);
  } else if (keyword == "identityfile") {
    if (std::find(result_.identity_files.begin(), result_.identity_files.end(), value) ==
        result_.identity_files.end()) {
      result_.identity_files.push_back(value);
    }
  } else if (keyword == "connecttimeout" && !result_.connect_timeout) {
    result_.connect_timeout = parse_ssh_duration(value); // validated when parsed
  } else if (keyword == "hostkeyalias" && !result_.host_key_alias) {
    result_.host_key_alias = value;
  } else if (keyword == "userknownhostsfile" && !known_hosts_set_) {
    known_hosts_set_ = true;
    result_.user_known_hosts_files = item.args;
  } else if (keyword == "stricthostkeychecking" && !result_.strict_host_key_checking) {
    result_.strict_host_key_checking = util::lower(value);
  } else if (keyword == "identitiesonly" && !identities_only_set_) {
    identities_only_set_ = true;
    result_.identities_only = util::lower(value) == "yes" || util::lower(value) == "true";
  } else if (keyword == "proxyjump" && !result_.proxy_jump && !result_.proxy_command) {
    // The first of ProxyJump / ProxyCommand wins ("none" included), except that, as `ssh -G`
    // of OpenSSH 9.2 shows, `ProxyJump none` does not stop a later ProxyCommand.
    result_.proxy_jump = util::lower(value) == "none" ? "none" : value;
    result_.proxy_source = item.source;
  } else if (keyword == "proxycommand" && !result_.proxy_command &&
             (!result_.proxy_jump || *result_.proxy_jump == "none")) {
    result_.proxy_command = value;
    result_.proxy_source = item.source;
  }
}

} // namespace

ResolvedHost resolve(const SshConfig& config, std::string_view host_alias,
                     const std::optional<std::string>& explicit_user) {
  return Resolver(config, host_alias, explicit_user).run();
}

} // namespace digger::inventory
