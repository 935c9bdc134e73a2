#pragma once

// Text columns stored in a form of their own (docs/catalog.md): read back in one place for
// every reader of the catalog.

#include <map>
#include <string>
#include <vector>

namespace digger::catalog {

// hosts.labels_json: a JSON object; a value that is not a string comes back as its JSON text,
// and anything but an object as no labels.
std::map<std::string, std::string> parse_labels(const std::string& json_text);

// Lists are stored one item per line (docs/catalog.md#lists).
std::vector<std::string> split_lines(const std::string& joined);

} // namespace digger::catalog
