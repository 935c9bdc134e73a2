// Values of ssh_config keywords, as OpenSSH's readconf.c reads them: ProxyJump (parse_jump,
// parse_ssh_uri, parse_user_host_port), the %tokens of paths and ProxyCommand (percent_expand),
// time values (convtime).
#include "digger/inventory/ssh_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace digger::inventory {
namespace {

using util::Error;

bool host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

util::Result<JumpSpec> parse_element(std::string_view element) {
  std::string_view original = element;
  if (element.rfind("ssh://", 0) == 0) {
    element.remove_prefix(6);
    if (!element.empty() && element.back() == '/') {
      element.remove_suffix(1);
    }
  }
  JumpSpec spec;
  if (size_t at = element.rfind('@'); at != std::string_view::npos) {
    spec.user = std::string(element.substr(0, at));
    element.remove_prefix(at + 1);
    if (spec.user->empty()) {
      return Error{fmt::format("bad user in '{}'", original)};
    }
  }
  std::string_view host = element;
  std::optional<std::string_view> port;
  if (!element.empty() && element[0] == '[') {
    size_t close = element.find(']');
    if (close == std::string_view::npos) {
      return Error{fmt::format("missing ']' in '{}'", original)};
    }
    host = element.substr(1, close - 1);
    std::string_view rest = element.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') {
      return Error{fmt::format("bad host '{}'", original)};
    }
    if (!rest.empty()) {
      port = rest.substr(1);
    }
  } else if (size_t colon = element.find(':'); colon != std::string_view::npos) {
    host = element.substr(0, colon);
    port = element.substr(colon + 1);
  }
  bool v6 = host.find(':') != std::string_view::npos;
  if (host.empty() || host.size() > 253 || host[0] == '-' ||
      (!v6 && !std::all_of(host.begin(), host.end(), host_char))) {
    return Error{fmt::format("bad host '{}'", original)};
  }
  spec.host = std::string(host);
  if (port) {
    bool digits = !port->empty() && port->size() <= 5 &&
                  std::all_of(port->begin(), port->end(),
                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    int number = digits ? std::stoi(std::string(*port)) : 0;
    if (number < 1 || number > 65535) {
      return Error{fmt::format("bad port in '{}'", original)};
    }
    spec.port = number;
  }
  return spec;
}

// The value of %`token`: the remote end's %h %r %p %n, which paths and ProxyCommand both know,
// and with `local` (paths) the local %d %u %l; nullopt for a token not known there.
std::optional<std::string> token_value(char token, const TokenValues& values,
                                       const LocalEnvironment* local) {
  switch (token) {
  case 'h':
    return values.remote_host;
  case 'r':
    return values.remote_user;
  case 'p':
    return std::to_string(values.port);
  case 'n':
    return values.alias;
  case 'd':
    return local ? std::optional<std::string>(local->home) : std::nullopt;
  case 'u':
    return local ? std::optional<std::string>(local->user) : std::nullopt;
  case 'l':
    return local ? std::optional<std::string>(local->hostname) : std::nullopt;
  default:
    return std::nullopt;
  }
}

// OpenSSH's percent_expand(): each %x of `text` replaced by its token_value, %% by '%'. An
// unknown token, or a '%' at the end, is an error naming `where`.
util::Result<std::string> percent_expand(std::string_view text, std::string_view where,
                                         const TokenValues& values, const LocalEnvironment* local) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const char token = i + 1 < text.size() ? text[++i] : '\0';
    if (token == '%') {
      out += '%';
      continue;
    }
    const std::optional<std::string> value = token_value(token, values, local);
    if (!value) {
      return Error{token == '\0' ? fmt::format("{} ends with '%'", where)
                                 : fmt::format("unknown token %{} in {}", token, where)};
    }
    out += *value;
  }
  return out;
}

} // namespace

util::Result<std::vector<JumpSpec>> parse_jump_list(std::string_view value) {
  constexpr size_t max_elements = 16;
  std::vector<JumpSpec> hops;
  while (true) {
    size_t comma = value.find(',');
    auto element = parse_element(value.substr(0, comma));
    if (!element) {
      return Error{element.error()};
    }
    if (hops.size() == max_elements) {
      return Error{fmt::format("more than {} jump hosts", max_elements)};
    }
    hops.push_back(std::move(element).value());
    if (comma == std::string_view::npos) {
      return hops;
    }
    value.remove_prefix(comma + 1);
  }
}

util::Result<std::string> expand_proxy_command(std::string_view command,
                                               const TokenValues& values) {
  return percent_expand(command, "ProxyCommand", values, nullptr);
}

util::Result<std::string> expand_path(std::string_view path, const LocalEnvironment& environment,
                                      const TokenValues& values) {
  const std::string where = fmt::format("'{}'", path);
  std::string out;
  if (path == "~" || path.starts_with("~/")) {
    out = environment.home;
    path.remove_prefix(1);
  }
  auto expanded = percent_expand(path, where, values, &environment);
  if (!expanded) {
    return expanded;
  }
  return out + *expanded;
}

std::optional<std::chrono::seconds> parse_ssh_duration(std::string_view text) {
  long long total = 0;
  size_t i = 0;
  if (text.empty()) {
    return std::nullopt;
  }
  while (i < text.size()) {
    long long number = 0;
    size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      number = number * 10 + (text[i++] - '0');
      if (number > 100'000'000) {
        return std::nullopt;
      }
    }
    if (i == start) {
      return std::nullopt;
    }
    long long unit = 1;
    if (i < text.size()) {
      switch (std::tolower(static_cast<unsigned char>(text[i++]))) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'w':
        unit = 604800;
        break;
      default:
        return std::nullopt;
      }
    }
    total += number * unit;
    if (total > 100'000'000) {
      return std::nullopt;
    }
  }
  return std::chrono::seconds(total);
}

} // namespace digger::inventory
