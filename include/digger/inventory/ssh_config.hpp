#pragma once

#include "digger/inventory/hosts_file.hpp"
#include "digger/util/result.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::inventory {

// What `~` and the %d %u %l tokens stand for; captured once so parsing stays pure.
struct LocalEnvironment {
  std::string home;     // "/home/alice" (no trailing '/')
  std::string user;     // local login name
  std::string hostname; // local host name, for %l
};

// The subset of an OpenSSH client config (ssh_config(5)) that decides how to reach a host.
// It is kept as the tree OpenSSH walks (Host/Match conditions and Include files in order),
// because which lines apply depends on the host being resolved.
struct ConfigItem;
struct IncludedFile {
  std::string name;
  std::vector<ConfigItem> items;
};
struct MatchCriterion {
  std::string name; // "all", "host", "originalhost", "user", "localuser"
  bool negated = false;
  std::string argument; // pattern list; empty for "all"
};
struct ConfigItem {
  enum class Kind { option, host, match, include };
  Kind kind = Kind::option;
  std::string keyword;                  // lowercased
  std::vector<std::string> args;        // unquoted
  std::vector<MatchCriterion> criteria; // Kind::match only
  bool unsupported_match = false;       // a criterion we do not evaluate: the block never applies
  bool ignored = false; // a keyword Digger warns about and does not honour (args[0]: as written)
  std::vector<IncludedFile> included; // Kind::include only, in glob order
  SourceRef source;
};

struct SshConfig {
  LocalEnvironment environment;
  std::vector<ConfigItem> items;
  std::vector<std::string> warnings; // "config:7: Match exec is not supported; block skipped"
};

struct ConfigFile {
  std::string name; // the path, for messages
  std::string text;
};
// Expands one Include glob (already absolute) into files, sorted like glob(3). No match is not
// an error. Left empty, Include lines only produce a warning.
using IncludeReader =
    std::function<util::Result<std::vector<ConfigFile>>(const std::string& absolute_glob)>;

inline constexpr int max_include_depth = 16; // as OpenSSH's READCONF_MAX_DEPTH
inline constexpr std::size_t max_config_file_bytes = 1u << 20;

// Pure apart from `reader`. Keywords are case-insensitive, `keyword value`, `keyword=value` and
// quoted arguments are accepted. Unknown keywords are ignored; a malformed value of a keyword we
// use is an error naming file and line (ssh would refuse to run as well).
util::Result<SshConfig> parse_ssh_config(std::string_view text, std::string_view origin,
                                         const LocalEnvironment& environment,
                                         const IncludeReader& reader = {});

// Reads `path` (e.g. ~/.ssh/config or the -F file) and its Include files from disk (glob(3)).
util::Result<SshConfig> load_ssh_config(const std::filesystem::path& path,
                                        const LocalEnvironment& environment);

// The environment of the running process (getpwuid, $HOME, gethostname).
LocalEnvironment current_environment();

// Values for one host; each is the first one obtained, as ssh_config(5) says. IdentityFile lines
// accumulate. Paths keep their %tokens (they need the final user): see expand_path().
struct ResolvedHost {
  std::optional<std::string> hostname; // %h replaced by the alias, lowercased like ssh does
  std::optional<std::string> user;
  std::optional<int> port;
  std::vector<std::string> identity_files;
  std::optional<std::chrono::seconds> connect_timeout; // 0 = ssh's "no timeout"
  std::optional<std::string> host_key_alias;
  std::vector<std::string> user_known_hosts_files;     // from the first UserKnownHostsFile line
  std::optional<std::string> strict_host_key_checking; // lowercased: yes, no, ask, accept-new...
  bool identities_only = false;
  // The first of ProxyJump / ProxyCommand wins, as in ssh; "none" is kept as "none".
  std::optional<std::string> proxy_jump;    // "[user@]host[:port],..." as written
  std::optional<std::string> proxy_command; // raw, tokens not expanded
  SourceRef proxy_source;                   // the line that set either
  // Keywords that change how ssh connects but that Digger does not honour, with the first
  // line that applied: the caller warns once per keyword.
  std::vector<std::pair<std::string, SourceRef>> ignored;
};

// One element of a ProxyJump list: `[user@]host[:port]` or `ssh://[user@]host[:port]`.
struct JumpSpec {
  std::string host;
  std::optional<std::string> user;
  std::optional<int> port;
};
// Splits and checks a ProxyJump value (not "none"); an error names the bad element.
util::Result<std::vector<JumpSpec>> parse_jump_list(std::string_view value);

// `host_alias` is the name from hosts.txt. As in OpenSSH 9.2 (checked with `ssh -G`), Host
// patterns compare it case-sensitively as written, Match host/originalhost without case.
// `explicit_user` is the user named in hosts.txt, which `Match user` sees and User cannot change.
ResolvedHost resolve(const SshConfig& config, std::string_view host_alias,
                     const std::optional<std::string>& explicit_user = std::nullopt);

// OpenSSH's time format ("90", "1m30s", "2h"): seconds, or nothing when malformed.
std::optional<std::chrono::seconds> parse_ssh_duration(std::string_view text);

// Values of the %-tokens in IdentityFile and UserKnownHostsFile paths.
struct TokenValues {
  std::string remote_host; // %h (after HostName)
  std::string remote_user; // %r
  int port = 22;           // %p
  std::string alias;       // %n (the name as written)
};
// `~/` and the tokens %% %d %u %l %h %r %p %n; an unknown token is an error, as in ssh.
util::Result<std::string> expand_path(std::string_view path, const LocalEnvironment& environment,
                                      const TokenValues& values);

// ProxyCommand's tokens %% %h %p %r %n (ssh_config(5)); an unknown token is an error.
util::Result<std::string> expand_proxy_command(std::string_view command, const TokenValues& values);

} // namespace digger::inventory
