#pragma once

// An inventory file in any supported format: a plain host list (hosts.txt, pdsh ranges),
// an Ansible INI or YAML inventory, or `ansible-inventory --list` JSON.

#include "digger/inventory/hosts_file.hpp"
#include "digger/util/result.hpp"

#include <filesystem>
#include <optional>
#include <string_view>

namespace digger::inventory {

enum class InventoryFormat { automatic, plain, ansible_ini, ansible_yaml, ansible_json };

// "plain", "ansible-ini", "ansible-yaml", "ansible-json" (and "auto").
std::optional<InventoryFormat> format_from_name(std::string_view name);
std::string_view format_name(InventoryFormat format);
// "a plain host list", "an Ansible YAML inventory", ...
std::string_view format_description(InventoryFormat format);

// From the content only; never `automatic`. Plain unless the text is clearly something else.
InventoryFormat detect_format(std::string_view text);

// Parses `text` in `format` (detected when `automatic`). A file that is clearly in another
// format than the one asked for is refused with "this looks like ..." instead of a parse error.
util::Result<Inventory> parse_inventory(std::string_view text, std::string_view file_name,
                                        InventoryFormat format);

// Reads the file (at most 256 MiB) and parses it.
util::Result<Inventory> load_inventory(const std::filesystem::path& path, InventoryFormat format);

} // namespace digger::inventory
