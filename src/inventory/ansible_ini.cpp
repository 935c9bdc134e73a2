// Ansible's INI inventory (lib/ansible/plugins/inventory/ini.py): sections are groups,
// [g:vars] and [g:children], host lines `host[:port] key=value ...` split like shlex with
// comments, ranges web[01:20], db-[a:f], web[01:50:2].
#include "digger/inventory/ansible.hpp"
#include "digger/inventory/host_range.hpp"
#include "digger/util/lines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>

#include "ansible_connection.hpp"

namespace digger::inventory {
namespace {

using util::Error;

constexpr size_t max_ini_line_bytes = 64u
                                      << 10; // host lines carry variables: longer than hosts.txt

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool valid_group_name(std::string_view name) {
  return !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

// ini.py's section pattern: `[name]` or `[name:kind]`, then blanks and an optional comment.
bool is_section(std::string_view line) {
  size_t close = line.find(']');
  if (line.empty() || line[0] != '[' || close == std::string_view::npos || close < 2) {
    return false;
  }
  std::string_view inside = line.substr(1, close - 1);
  std::string_view after = trim(line.substr(close + 1));
  size_t colon = inside.find(':');
  std::string_view name = inside.substr(0, colon);
  std::string_view kind = colon == std::string_view::npos ? "" : inside.substr(colon + 1);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  return !name.empty() && name.find_first_of(" \t") == std::string_view::npos &&
         std::all_of(kind.begin(), kind.end(), word) &&
         (colon == std::string_view::npos || !kind.empty()) && (after.empty() || after[0] == '#');
}

bool is_ipv6(std::string_view text) {
  std::string address(text.substr(0, text.find('%')));
  unsigned char buffer[16];
  return inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

// `host`, `host:port`, an IPv6 address, `[v6]:port`; ranges in the host part.
util::Result<std::pair<std::vector<std::string>, std::optional<int>>>
parse_host_pattern(std::string_view token, std::size_t budget) {
  std::string_view host = token;
  std::optional<std::string_view> port;
  if (is_ipv6(token)) {
    return std::pair{std::vector<std::string>{std::string(token)}, std::optional<int>()};
  }
  if (token.size() > 2 && token[0] == '[' && token.find("]:") != std::string_view::npos &&
      is_ipv6(token.substr(1, token.find("]:") - 1))) {
    host = token.substr(1, token.find("]:") - 1);
    port = token.substr(token.find("]:") + 2);
  } else if (size_t colon = token.rfind(':');
             colon != std::string_view::npos && token.find(']', colon) == std::string_view::npos) {
    host = token.substr(0, colon); // the last ':' outside a range: a port
    port = token.substr(colon + 1);
  }
  std::optional<int> number;
  if (port) {
    bool digits = !port->empty() && port->size() <= 5 &&
                  std::all_of(port->begin(), port->end(),
                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (!digits || std::stoi(std::string(*port)) < 1 || std::stoi(std::string(*port)) > 65535) {
      return Error{fmt::format("bad port '{}'", *port)};
    }
    number = std::stoi(std::string(*port));
  }
  if (host.empty() || host[0] == '-' || host.find_first_of("\"'=,\\") != std::string_view::npos) {
    return Error{fmt::format("bad host name '{}'", host)};
  }
  auto names = expand_host_ranges(host, RangeSyntax::ansible, budget);
  if (!names) {
    return Error{names.error()};
  }
  return std::pair{std::move(names).value(), number};
}

class IniParser {
public:
  explicit IniParser(std::string_view file) : model_(std::string(file)) {}

  util::Result<Inventory> parse(std::string_view text) {
    size_t line_number = 0;
    while (!text.empty()) {
      ++line_number;
      std::string_view line = trim(util::take_line(text));
      source_ = {model_.file(), line_number};
      if (line.size() > max_ini_line_bytes) {
        return fail(fmt::format("line longer than {} bytes", max_ini_line_bytes));
      }
      if (line.empty() || line[0] == '#' || line[0] == ';') {
        continue;
      }
      auto done = is_section(line) ? section(line.substr(0, line.find(']') + 1)) : body(line);
      if (!done) {
        return Error{done.error()};
      }
    }
    return model_.to_inventory();
  }

private:
  Error fail(const std::string& why) const {
    return Error{fmt::format("{}: {}", source_.str(), why)};
  }

  util::Result<bool> section(std::string_view line) {
    std::string_view inside = line.substr(1, line.size() - 2);
    size_t colon = inside.find(':');
    group_ = std::string(inside.substr(0, colon));
    state_ = colon == std::string_view::npos ? State::hosts : State::unknown;
    if (colon != std::string_view::npos) {
      std::string_view kind = inside.substr(colon + 1);
      state_ = kind == "vars" ? State::vars : kind == "children" ? State::children : State::unknown;
      if (state_ == State::unknown) {
        return fail(
            fmt::format("unknown section kind '[{}]' (expected :vars or :children)", inside));
      }
    }
    if (!valid_group_name(group_)) {
      return fail(fmt::format("bad group name '{}'", group_));
    }
    model_.group(group_, source_);
    return true;
  }

  util::Result<bool> body(std::string_view line) {
    if (state_ == State::vars) {
      size_t equals = line.find('=');
      if (equals == std::string_view::npos) {
        return fail(
            fmt::format("expected key=value in [{}:vars], got '{}'", group_, line.substr(0, 60)));
      }
      // :vars values are kept as written (strings), like ini.py does, except that a value that
      // is one quoted string loses its quotes (ini.py's ast.literal_eval does that):
      // `ansible_ssh_common_args='-J bastion'` is the usual way to write it.
      std::string key(trim(line.substr(0, equals)));
      std::string value(trim(line.substr(equals + 1)));
      if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
          value.back() == value.front() && value.find(value.front(), 1) == value.size() - 1 &&
          value.find('\\') == std::string::npos) {
        value = value.substr(1, value.size() - 2);
      }
      model_.group(group_, source_).vars[key] = {AnsibleValue::Kind::text, std::move(value),
                                                 source_};
      return true;
    }
    auto words = shlex_split(line, true);
    if (!words) {
      return fail(words.error());
    }
    if (words->empty()) {
      return true;
    }
    if (state_ == State::children) {
      if (!valid_group_name((*words)[0])) {
        return fail(fmt::format("bad group name '{}'", (*words)[0]));
      }
      model_.add_child(group_, (*words)[0], source_);
      return true;
    }
    return host_line(*words);
  }

  util::Result<bool> host_line(const std::vector<std::string>& words) {
    auto pattern = parse_host_pattern(words[0], max_hosts);
    if (!pattern) {
      return fail(pattern.error());
    }
    for (const std::string& name : pattern->first) {
      auto host = model_.add_host(name, group_, source_);
      if (!host) {
        return Error{host.error()};
      }
      if (pattern->second) {
        (*host)->port = pattern->second;
      }
      for (size_t i = 1; i < words.size(); ++i) {
        size_t equals = words[i].find('=');
        if (equals == std::string::npos || equals == 0) {
          return fail(
              fmt::format("expected key=value after the host, got '{}'", words[i].substr(0, 60)));
        }
        (*host)->vars[words[i].substr(0, equals)] = {AnsibleValue::Kind::text,
                                                     words[i].substr(equals + 1), source_};
      }
    }
    return true;
  }

  enum class State { hosts, vars, children, unknown };
  AnsibleModel model_;
  std::string group_ = "ungrouped";
  State state_ = State::hosts;
  SourceRef source_;
};

} // namespace

util::Result<Inventory> parse_ansible_ini(std::string_view text, std::string_view file_name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  return IniParser(file_name).parse(text);
}

} // namespace digger::inventory
