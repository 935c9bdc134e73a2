// Reads ssh_config text into the item tree; which items apply to a host is decided in
// ssh_config_resolve.cpp. Grammar follows OpenSSH's readconf.c (strdelim, argv_split).
#include "digger/inventory/ssh_config.hpp"
#include "digger/util/ascii.hpp"
#include "digger/util/lines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace digger::inventory {
namespace {

using util::Error;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// OpenSSH's argv_split(): blanks separate, "..." and '...' group, a backslash escapes a quote,
// a backslash or (outside quotes) a blank, and a word starting with '#' ends the line.
util::Result<std::vector<std::string>> split_arguments(std::string_view text) {
  std::vector<std::string> args;
  size_t i = 0;
  while (true) {
    while (i < text.size() && is_space(text[i])) {
      ++i;
    }
    if (i >= text.size() || text[i] == '#') {
      return args;
    }
    std::string arg;
    char quote = 0;
    for (; i < text.size() && (quote != 0 || !is_space(text[i])); ++i) {
      char c = text[i];
      char next = i + 1 < text.size() ? text[i + 1] : '\0';
      if (c == '\\' &&
          (next == '\'' || next == '"' || next == '\\' || (quote == 0 && next == ' '))) {
        arg += next;
        ++i;
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else {
        arg += c;
      }
    }
    if (quote != 0) {
      return Error{"unterminated quote"};
    }
    args.push_back(std::move(arg));
  }
}

// How a keyword's value is read. Keywords Digger neither uses nor warns about are skipped
// unread: some (RemoteCommand, LocalCommand) take the raw rest of the line, which the argument
// splitter must not judge.
enum class KeywordClass { skipped, used, raw, warned };

KeywordClass classify(const std::string& keyword) {
  static const std::array<std::string_view, 12> used = {"host",
                                                        "match",
                                                        "include",
                                                        "hostname",
                                                        "user",
                                                        "port",
                                                        "identityfile",
                                                        "connecttimeout",
                                                        "hostkeyalias",
                                                        "stricthostkeychecking",
                                                        "userknownhostsfile",
                                                        "identitiesonly"};
  // ProxyCommand is a command line and ProxyJump is read raw by ssh too (readconf.c).
  static const std::array<std::string_view, 2> raw = {"proxycommand", "proxyjump"};
  // They change where or how ssh connects, authenticates or checks the host key: silently
  // ignoring them would make Digger reach a host differently from ssh.
  static const std::array<std::string_view, 33> warned = {"addressfamily",
                                                          "bindaddress",
                                                          "bindinterface",
                                                          "canonicaldomains",
                                                          "canonicalizehostname",
                                                          "certificatefile",
                                                          "ciphers",
                                                          "connectionattempts",
                                                          "globalknownhostsfile",
                                                          "gssapiauthentication",
                                                          "hostbasedauthentication",
                                                          "hostkeyalgorithms",
                                                          "identityagent",
                                                          "kbdinteractiveauthentication",
                                                          "kexalgorithms",
                                                          "knownhostscommand",
                                                          "localcommand",
                                                          "macs",
                                                          "passwordauthentication",
                                                          "permitlocalcommand",
                                                          "pkcs11provider",
                                                          "preferredauthentications",
                                                          "proxyusefdpass",
                                                          "pubkeyacceptedalgorithms",
                                                          "pubkeyacceptedkeytypes",
                                                          "pubkeyauthentication",
                                                          "remotecommand",
                                                          "revokedhostkeys",
                                                          "securitykeyprovider",
                                                          "tunnel",
                                                          "tunneldevice",
                                                          "verifyhostkeydns",
                                                          "casignaturealgorithms"};
  auto in = [&](const auto& list) {
    return std::find(list.begin(), list.end(), keyword) != list.end();
  };
  if (in(used)) {
    return KeywordClass::used;
  }
  if (in(raw)) {
    return KeywordClass::raw;
  }
  return in(warned) ? KeywordClass::warned : KeywordClass::skipped;
}

std::optional<std::string> check_option(const std::string& keyword,
                                        const std::vector<std::string>& args) {
  if (args.empty() || args[0].empty()) {
    return "missing argument";
  }
  if (keyword != "userknownhostsfile" && args.size() > 1) {
    return fmt::format("garbage at end of line: '{}'", args[1]);
  }
  const std::string& value = args[0];
  if (keyword == "port") {
    bool digits = value.size() <= 5 && std::all_of(value.begin(), value.end(), [](char c) {
                    return std::isdigit(static_cast<unsigned char>(c)) != 0;
                  });
    if (!digits || std::stoi(value) < 1 || std::stoi(value) > 65535) {
      return fmt::format("bad port '{}'", value);
    }
  } else if (keyword == "connecttimeout" && !parse_ssh_duration(value)) {
    return fmt::format("bad time '{}'", value);
  } else if (keyword == "identitiesonly") {
    static const std::array<std::string_view, 4> values = {"yes", "no", "true", "false"};
    if (std::find(values.begin(), values.end(), util::lower(value)) == values.end()) {
      return fmt::format("bad IdentitiesOnly '{}'", value);
    }
  } else if (keyword == "stricthostkeychecking") {
    static const std::array<std::string_view, 7> values = {"yes",        "no",   "ask",  "off",
                                                           "accept-new", "true", "false"};
    if (std::find(values.begin(), values.end(), util::lower(value)) == values.end()) {
      return fmt::format("bad StrictHostKeyChecking '{}'", value);
    }
  }
  return std::nullopt;
}

// ProxyCommand / ProxyJump: the rest of the line with leading blanks and '=' and trailing blanks
// removed, as readconf.c keeps it. Warned keywords keep only their name and line.
util::Result<ConfigItem> raw_item(std::string_view keyword, std::string_view rest,
                                  const SourceRef& source, bool warned) {
  ConfigItem item;
  item.keyword = util::lower(keyword);
  item.source = source;
  if (warned) {
    item.ignored = true;
    item.args.emplace_back(keyword); // as written, for the warning
    return item;
  }
  while (!rest.empty() && (is_space(rest.front()) || rest.front() == '=')) {
    rest.remove_prefix(1);
  }
  while (!rest.empty() && (is_space(rest.back()) || rest.back() == '\f')) {
    rest.remove_suffix(1);
  }
  if (rest.empty()) {
    return Error{fmt::format("{}: {}: missing argument", source.str(), keyword)};
  }
  std::string value(rest);
  if (item.keyword == "proxyjump") {
    value = value.substr(0, value.find('#')); // parse_jump() drops a comment
    while (!value.empty() && is_space(value.back())) {
      value.pop_back();
    }
    if (util::lower(value) != "none") {
      auto hops = parse_jump_list(value);
      if (!hops) {
        return Error{fmt::format("{}: ProxyJump: {}", source.str(), hops.error())};
      }
    }
  }
  item.args.push_back(std::move(value));
  return item;
}

class Parser {
public:
  Parser(const LocalEnvironment& environment, const IncludeReader& reader)
      : environment_(environment), reader_(reader) {}

  util::Result<std::vector<ConfigItem>> parse(std::string_view text, std::string_view origin,
                                              int depth);
  std::vector<std::string> take_warnings() { return std::move(warnings_); }

private:
  util::Result<ConfigItem> parse_line(std::string_view keyword, std::vector<std::string> args,
                                      const SourceRef& source, int depth);
  std::optional<std::string> parse_match(ConfigItem& item);
  std::optional<std::string> parse_include(ConfigItem& item, int depth);
  std::string include_path(const std::string& arg) const;

  const LocalEnvironment& environment_;
  const IncludeReader& reader_;
  std::vector<std::string> warnings_;
};

util::Result<std::vector<ConfigItem>> Parser::parse(std::string_view text, std::string_view origin,
                                                    int depth) {
  if (text.size() > max_config_file_bytes) {
    return Error{fmt::format("{}: larger than {} KiB", origin, max_config_file_bytes >> 10)};
  }
  std::vector<ConfigItem> items;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    std::string_view line = util::take_line(text);
    SourceRef source{std::string(origin), line_number};
    size_t start = 0;
    while (start < line.size() && is_space(line[start])) {
      ++start;
    }
    if (start == line.size() || line[start] == '#') {
      continue;
    }
    size_t end = start;
    while (end < line.size() && !is_space(line[end]) && line[end] != '=') {
      ++end;
    }
    std::string_view keyword = line.substr(start, end - start);
    KeywordClass kind = classify(util::lower(keyword));
    if (kind == KeywordClass::skipped) {
      continue;
    }
    while (end < line.size() && is_space(line[end])) {
      ++end;
    }
    if (end < line.size() && line[end] == '=') {
      ++end;
    }
    if (kind != KeywordClass::used) {
      auto item = raw_item(keyword, line.substr(end), source, kind == KeywordClass::warned);
      if (!item) {
        return Error{item.error()};
      }
      items.push_back(std::move(item).value());
      continue;
    }
    auto args = split_arguments(line.substr(end));
    if (!args) {
      return Error{fmt::format("{}: {}", source.str(), args.error())};
    }
    auto item = parse_line(keyword, std::move(args).value(), source, depth);
    if (!item) {
      return Error{item.error()};
    }
    items.push_back(std::move(item).value());
  }
  return items;
}

util::Result<ConfigItem> Parser::parse_line(std::string_view keyword, std::vector<std::string> args,
                                            const SourceRef& source, int depth) {
  ConfigItem item;
  item.keyword = util::lower(keyword);
  item.args = std::move(args);
  item.source = source;
  std::optional<std::string> problem;
  if (item.keyword == "host") {
    item.kind = ConfigItem::Kind::host;
    bool any_empty = std::any_of(item.args.begin(), item.args.end(),
                                 [](const std::string& a) { return a.empty() || a == "!"; });
    if (item.args.empty() || any_empty) {
      problem = "Host needs non-empty patterns";
    }
  } else if (item.keyword == "match") {
    item.kind = ConfigItem::Kind::match;
    problem = parse_match(item);
  } else if (item.keyword == "include") {
    item.kind = ConfigItem::Kind::include;
    problem = parse_include(item, depth);
  } else {
    problem = check_option(item.keyword, item.args);
  }
  if (problem) {
    if (item.kind == ConfigItem::Kind::include) {
      return Error{*problem}; // located already: it may come from an included file
    }
    return Error{fmt::format("{}: {}: {}", source.str(), keyword, *problem)};
  }
  return item;
}

std::optional<std::string> Parser::parse_match(ConfigItem& item) {
  static const std::array<std::string_view, 4> with_argument = {"host", "originalhost", "user",
                                                                "localuser"};
  if (item.args.empty()) {
    return "missing criteria";
  }
  for (size_t i = 0; i < item.args.size(); ++i) {
    MatchCriterion criterion;
    std::string_view name = item.args[i];
    criterion.negated = !name.empty() && name[0] == '!';
    criterion.name = util::lower(criterion.negated ? name.substr(1) : name);
    if (criterion.name == "all") {
      if (item.args.size() != 1) {
        return "'all' cannot be combined with other Match attributes";
      }
    } else if (std::find(with_argument.begin(), with_argument.end(), criterion.name) !=
               with_argument.end()) {
      if (i + 1 >= item.args.size()) {
        return fmt::format("missing argument for '{}'", criterion.name);
      }
      criterion.argument = item.args[++i];
    } else {
      item.unsupported_match = true;
      warnings_.push_back(fmt::format("{}: Match {} is not supported; the block is skipped",
                                      item.source.str(), criterion.name));
      return std::nullopt;
    }
    item.criteria.push_back(std::move(criterion));
  }
  return std::nullopt;
}

std::string Parser::include_path(const std::string& arg) const {
  if (arg.rfind("~/", 0) == 0) {
    return environment_.home + arg.substr(1);
  }
  if (!arg.empty() && arg[0] == '/') {
    return arg;
  }
  return environment_.home + "/.ssh/" + arg; // relative to ~/.ssh, as for a user config
}

std::optional<std::string> Parser::parse_include(ConfigItem& item, int depth) {
  if (item.args.empty()) {
    return fmt::format("{}: Include: missing argument", item.source.str());
  }
  if (!reader_) {
    warnings_.push_back(fmt::format("{}: Include is not followed here", item.source.str()));
    return std::nullopt;
  }
  if (depth + 1 > max_include_depth) {
    return fmt::format("{}: Include nested deeper than {} levels", item.source.str(),
                       max_include_depth);
  }
  for (const std::string& arg : item.args) {
    auto files = reader_(include_path(arg));
    if (!files) {
      return fmt::format("{}: Include: {}", item.source.str(), files.error());
    }
    for (ConfigFile& file : files.value()) {
      auto items = parse(file.text, file.name, depth + 1);
      if (!items) {
        return items.error(); // already "file:line: ..."
      }
      item.included.push_back({std::move(file.name), std::move(items).value()});
    }
  }
  return std::nullopt;
}

} // namespace

util::Result<SshConfig> parse_ssh_config(std::string_view text, std::string_view origin,
                                         const LocalEnvironment& environment,
                                         const IncludeReader& reader) {
  Parser parser(environment, reader);
  auto items = parser.parse(text, origin, 0);
  if (!items) {
    return Error{items.error()};
  }
  return SshConfig{environment, std::move(items).value(), parser.take_warnings()};
}

} // namespace digger::inventory
