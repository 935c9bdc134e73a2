#include "digger/inventory/hosts_file.hpp"

#include "digger/inventory/host_range.hpp"
#include "digger/util/ascii.hpp"
#include "digger/util/lines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

namespace digger::inventory {
namespace {

using util::Error;

std::vector<std::string_view> split_blanks(std::string_view line) {
  std::vector<std::string_view> tokens;
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && util::is_blank(line[pos])) {
      ++pos;
    }
    size_t start = pos;
    while (pos < line.size() && !util::is_blank(line[pos])) {
      ++pos;
    }
    if (pos > start) {
      tokens.push_back(line.substr(start, pos - start));
    }
  }
  return tokens;
}

bool all_of_chars(std::string_view text, bool (*allowed)(char)) {
  return std::all_of(text.begin(), text.end(), allowed);
}

bool user_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
         c == '$';
}
bool host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}
bool label_key_char(char c) {
  return host_char(c);
}
bool label_value_char(char c) {
  return std::isgraph(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
}

bool valid_ipv6(std::string_view text) {
  size_t percent = text.find('%');
  if (percent != std::string_view::npos) {
    std::string_view zone = text.substr(percent + 1); // "%eth0": an interface name
    if (zone.empty() || zone.size() > 32 || !all_of_chars(zone, host_char)) {
      return false;
    }
  }
  std::string address(text.substr(0, percent));
  unsigned char buffer[16];
  return !address.empty() && inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

std::optional<int> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5 || !all_of_chars(text, [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return std::nullopt;
  }
  int port = std::stoi(std::string(text));
  return port >= 1 && port <= 65535 ? std::optional<int>(port) : std::nullopt;
}

// `[user@]host[:port]` with `[v6addr]` or `[v6addr]:port` for IPv6.
util::Result<InventoryEntry> parse_host_spec(std::string_view spec) {
  InventoryEntry entry;
  if (size_t at = spec.find('@'); at != std::string_view::npos) {
    std::string_view user = spec.substr(0, at);
    if (user.empty() || user[0] == '-' || !all_of_chars(user, user_char)) {
      return Error{fmt::format("bad user '{}'", user)};
    }
    entry.user = std::string(user);
    spec.remove_prefix(at + 1);
  }
  std::string_view host = spec;
  std::optional<std::string_view> port_text;
  if (!spec.empty() && spec[0] == '[') {
    size_t close = spec.find(']');
    if (close == std::string_view::npos) {
      return Error{fmt::format("missing ']' in '{}'", spec)};
    }
    host = spec.substr(1, close - 1);
    std::string_view rest = spec.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') {
      return Error{fmt::format("unexpected '{}' after ']'", rest)};
    }
    if (!rest.empty()) {
      port_text = rest.substr(1);
    }
    if (!valid_ipv6(host)) {
      return Error{fmt::format("bad IPv6 address '{}'", host)};
    }
  } else {
    size_t colon = spec.find(':');
    if (colon != std::string_view::npos && spec.find(':', colon + 1) != std::string_view::npos) {
      return Error{fmt::format("IPv6 address '{}' must be written in brackets: [{}]", spec, spec)};
    }
    if (colon != std::string_view::npos) {
      host = spec.substr(0, colon);
      port_text = spec.substr(colon + 1);
    }
    if (host.empty() || host.size() > 253 || host[0] == '-' || host[0] == '.' ||
        !all_of_chars(host, host_char)) {
      return Error{fmt::format("bad host name '{}'", host)};
    }
  }
  if (port_text) {
    entry.port = parse_port(*port_text);
    if (!entry.port) {
      return Error{fmt::format("bad port '{}'", *port_text)};
    }
  }
  entry.name = std::string(host);
  return entry;
}

util::Result<Label> parse_label(std::string_view token) {
  size_t equals = token.find('=');
  if (equals == std::string_view::npos) {
    return Error{fmt::format("bad label '{}' (expected key=value)", token)};
  }
  std::string_view key = token.substr(0, equals);
  std::string_view value = token.substr(equals + 1);
  if (key.empty() || !all_of_chars(key, label_key_char)) {
    return Error{fmt::format("bad label key '{}'", key)};
  }
  if (value.empty()) {
    return Error{fmt::format("empty value for label '{}'", key)};
  }
  if (value.find_first_of("\"'") != std::string_view::npos) {
    return Error{fmt::format("quotes are not supported in label values ('{}'); values are "
                             "single words",
                             token)};
  }
  if (!all_of_chars(value, label_value_char)) {
    return Error{fmt::format("bad label value for '{}'", key)};
  }
  return Label{std::string(key), std::string(value)};
}

// Drops a `#` comment: at the start of the line or of any blank-separated word.
std::string_view strip_comment(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || util::is_blank(line[i - 1]))) {
      return line.substr(0, i);
    }
  }
  return line;
}

// pdsh/clush ranges in the host part (`ops@web[01-20].dc1:2222`): one spec per host. A
// leading '[' is an IPv6 address, not a range.
util::Result<std::vector<std::string>> expand_spec(std::string_view spec, size_t budget) {
  size_t at = spec.find('@');
  std::string_view user = at == std::string_view::npos ? "" : spec.substr(0, at + 1);
  std::string_view rest = spec.substr(user.size());
  if (rest.empty() || rest[0] == '[' || rest.find('[') == std::string_view::npos) {
    return std::vector<std::string>{std::string(spec)};
  }
  size_t colon = rest.find(':', rest.rfind(']'));
  std::string_view port = colon == std::string_view::npos ? "" : rest.substr(colon);
  auto names = expand_host_ranges(rest.substr(0, colon), RangeSyntax::pdsh, budget);
  if (!names) {
    return Error{names.error()};
  }
  std::vector<std::string> specs = std::move(names).value();
  for (std::string& name : specs) {
    name = fmt::format("{}{}{}", user, name, port);
  }
  return specs;
}

// Parses one line; nothing for blank and comment lines, several hosts for a range.
util::Result<std::vector<InventoryEntry>> parse_line(std::string_view line, size_t budget) {
  if (line.size() > max_hosts_line_bytes) {
    return Error{
        fmt::format("line too long ({} bytes, at most {})", line.size(), max_hosts_line_bytes)};
  }
  for (char c : line) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      return Error{"control character in line"};
    }
  }
  auto tokens = split_blanks(strip_comment(line));
  if (tokens.empty()) {
    return std::vector<InventoryEntry>{};
  }
  auto specs = expand_spec(tokens[0], budget);
  if (!specs) {
    return Error{specs.error()};
  }
  InventoryEntry entry;
  for (size_t i = 1; i < tokens.size(); ++i) {
    auto label = parse_label(tokens[i]);
    if (!label) {
      return Error{label.error()};
    }
    for (const auto& [key, value] : entry.labels) {
      if (key == label->first) {
        return Error{fmt::format("label '{}' given twice", key)};
      }
    }
    entry.labels.push_back(std::move(label).value());
  }
  std::vector<InventoryEntry> entries;
  for (const std::string& text : *specs) {
    auto spec = parse_host_spec(text);
    if (!spec) {
      return Error{spec.error()};
    }
    InventoryEntry one = std::move(spec).value();
    one.labels = entry.labels;
    entries.push_back(std::move(one));
  }
  return entries;
}

std::string identity_key(const InventoryEntry& entry) {
  return fmt::format("{}@{}:{}", entry.user.value_or(""), normalized_host(entry.name),
                     entry.port.value_or(0));
}

// Keeps the first of two lines naming the same host; a warning names both.
util::Result<bool> add_entry(Inventory& inventory, std::map<std::string, size_t>& first_index,
                             InventoryEntry entry) {
  auto [it, inserted] = first_index.emplace(identity_key(entry), inventory.entries.size());
  if (!inserted) {
    const InventoryEntry& first = inventory.entries[it->second];
    inventory.warnings.push_back(fmt::format(
        "{}: duplicate of {} ({}), scanned once{}", entry.source.str(), first.source.str(),
        first.name, first.labels == entry.labels ? "" : "; the labels of the first line apply"));
    return true;
  }
  if (inventory.entries.size() == max_hosts) {
    return Error{fmt::format("{}: more than {} hosts", entry.source.str(), max_hosts)};
  }
  inventory.entries.push_back(std::move(entry));
  return true;
}

} // namespace

std::string SourceRef::str() const {
  return fmt::format("{}:{}", file, line);
}

std::string normalized_host(std::string_view host) {
  std::string lower(host);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t percent = lower.find('%');
  std::string address = lower.substr(0, percent);
  unsigned char buffer[16];
  char text[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET6, address.c_str(), buffer) == 1 &&
      inet_ntop(AF_INET6, buffer, text, sizeof text) != nullptr) {
    return std::string(text) + (percent == std::string::npos ? "" : lower.substr(percent));
  }
  return lower;
}

util::Result<Inventory> parse_hosts(std::string_view text, std::string_view file_name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3); // editors on other systems add a UTF-8 byte order mark
  }
  Inventory inventory;
  std::map<std::string, size_t> first_index; // identity key -> index in entries
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    std::string_view line = util::without_cr(util::take_line(text));
    auto parsed = parse_line(line, max_hosts);
    if (!parsed) {
      return Error{fmt::format("{}:{}: {}", file_name, line_number, parsed.error())};
    }
    for (InventoryEntry& entry : std::move(parsed).value()) {
      entry.source = {std::string(file_name), line_number};
      auto added = add_entry(inventory, first_index, std::move(entry));
      if (!added) {
        return Error{added.error()};
      }
    }
  }
  return inventory;
}

util::Result<Inventory> load_hosts_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{fmt::format("cannot open {}: {}", path.string(), std::strerror(errno))};
  }
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > max_hosts_file_bytes) {
      return Error{
          fmt::format("{}: larger than {} MiB", path.string(), max_hosts_file_bytes >> 20)};
    }
  }
  if (in.bad()) {
    return Error{fmt::format("cannot read {}", path.string())};
  }
  return parse_hosts(text, path.string());
}

} // namespace digger::inventory
