#include "digger/inventory/inventory_file.hpp"

#include "digger/inventory/ansible.hpp"
#include "digger/util/ascii.hpp"
#include "digger/util/enum_names.hpp"
#include "digger/util/lines.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace digger::inventory {
namespace {

using util::Error;

// `[web]`, `[web:vars]`, `[web:children]`; not `[2001:db8::1]` nor `[::1]:2222`.
bool is_ini_section(std::string_view line) {
  if (line.size() < 3 || line.front() != '[' || line.back() != ']') {
    return false;
  }
  std::string inside(line.substr(1, line.size() - 2));
  unsigned char buffer[16];
  return inet_pton(AF_INET6, inside.substr(0, inside.find('%')).c_str(), buffer) != 1 &&
         inside.find_first_of(" \t[]") == std::string::npos;
}

// `all:`, `webservers:`, `plugin: ...`, `---`: a YAML mapping at the top level.
bool is_yaml_line(std::string_view line) {
  if (line == "---" || line.rfind("--- ", 0) == 0 || line.rfind("plugin:", 0) == 0) {
    return true;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return false;
  }
  std::string_view after = line.substr(colon + 1);
  return (after.empty() || after[0] == ' ' || after[0] == '\t') &&
         line.substr(0, colon).find_first_of(" \t[]@=") == std::string_view::npos &&
         line.substr(0, colon).find('.') == std::string_view::npos;
}

constexpr util::EnumNames<InventoryFormat, InventoryFormat::ansible_json> format_names{
    {"auto", "plain", "ansible-ini", "ansible-yaml", "ansible-json"}};

} // namespace

std::optional<InventoryFormat> format_from_name(std::string_view name) {
  return format_names.value_of(name);
}

std::string_view format_name(InventoryFormat format) {
  return format_names.name_of(format, "plain");
}

std::string_view format_description(InventoryFormat format) {
  switch (format) {
  case InventoryFormat::ansible_ini:
    return "an Ansible INI inventory";
  case InventoryFormat::ansible_yaml:
    return "an Ansible YAML inventory";
  case InventoryFormat::ansible_json:
    return "an ansible-inventory --list JSON inventory";
  default:
    return "a plain host list";
  }
}

InventoryFormat detect_format(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  size_t significant = 0;
  while (!text.empty() && significant < 200) {
    const std::string_view raw = util::take_line(text);
    std::string_view line = util::trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') {
      continue;
    }
    if (significant++ == 0) {
      if (line[0] == '{') {
        return InventoryFormat::ansible_json;
      }
      if (is_yaml_line(line) && raw.find_first_not_of(" \t") == 0) {
        return InventoryFormat::ansible_yaml;
      }
    }
    if (is_ini_section(line) || line.find(" ansible_") != std::string_view::npos ||
        line.find("\tansible_") != std::string_view::npos) {
      return InventoryFormat::ansible_ini;
    }
  }
  return InventoryFormat::plain;
}

util::Result<Inventory> parse_inventory(std::string_view text, std::string_view file_name,
                                        InventoryFormat format) {
  InventoryFormat detected = detect_format(text);
  if (format == InventoryFormat::automatic) {
    format = detected;
  } else if (detected != format && detected != InventoryFormat::plain) {
    // INI without sections or ansible_ variables looks plain; anything else is a clear sign.
    return Error{fmt::format("{}: this looks like {}, not {} (leave --inventory-format out, or "
                             "use --inventory-format {})",
                             file_name, format_description(detected), format_description(format),
                             format_name(detected))};
  }
  switch (format) {
  case InventoryFormat::ansible_ini:
    return parse_ansible_ini(text, file_name);
  case InventoryFormat::ansible_yaml:
    return parse_ansible_yaml(text, file_name);
  case InventoryFormat::ansible_json:
    return parse_ansible_json(text, file_name);
  default:
    return parse_hosts(text, file_name);
  }
}

util::Result<Inventory> load_inventory(const std::filesystem::path& path, InventoryFormat format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{fmt::format("cannot open {}: {}", path.string(), std::strerror(errno))};
  }
  std::string text;
  std::array<char, 1 << 16> buffer;
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    text.append(buffer.data(), static_cast<size_t>(in.gcount()));
    if (text.size() > max_inventory_file_bytes) {
      return Error{
          fmt::format("{}: larger than {} MiB", path.string(), max_inventory_file_bytes >> 20)};
    }
  }
  if (in.bad()) {
    return Error{fmt::format("cannot read {}", path.string())};
  }
  return parse_inventory(text, path.string(), format);
}

} // namespace digger::inventory
