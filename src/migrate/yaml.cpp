#include "digger/migrate/export_files.hpp"

#include <array>
#include <cctype>

namespace digger::migrate {
namespace {

using json = nlohmann::ordered_json;

// JSON's double-quoted string is a YAML double-quoted scalar: the escapes \" \\ \n \t \b \f
// \r \uXXXX mean the same. ensure_ascii also escapes DEL and non-ASCII (YAML 1.1 readers do
// not all accept every printable code point), and invalid UTF-8 is replaced.
std::string quoted(const std::string& text) {
  return json(text).dump(-1, ' ', true, json::error_handler_t::replace);
}

// Keys written plain only when no YAML 1.1 reader can take them for anything but a string.
std::string key_text(const std::string& key) {
  static constexpr std::array<std::string_view, 11> special = {
      "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"};
  bool plain = !key.empty() && std::isalpha(static_cast<unsigned char>(key[0]));
  for (char c : key) {
    plain = plain && std::isalnum(static_cast<unsigned char>(c));
  }
  std::string lower;
  for (char c : key) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (auto word : special) {
    plain = plain && lower != word;
  }
  return plain ? key : quoted(key);
}

bool is_inline(const json& value) {
  return !value.is_structured() || value.empty();
}

std::string scalar_text(const json& value) {
  if (value.is_string()) {
    return quoted(value.get<std::string>());
  }
  if (value.is_object()) {
    return "{}";
  }
  if (value.is_array()) {
    return "[]";
  }
  return value.dump();
}

void write_block(const json& value, size_t indent, std::string& out, bool continued);

// After "key:" or "-": the value on the same line, or a nested block below.
void write_child(const json& child, size_t indent, std::string& out, bool after_dash) {
  if (is_inline(child)) {
    out += " " + scalar_text(child) + "\n";
  } else if (after_dash && child.is_object()) {
    out += " "; // "- key: value" with the mapping's other keys aligned under the first
    write_block(child, indent + 2, out, true);
  } else {
    out += "\n";
    write_block(child, indent + 2, out, false);
  }
}

// A non-empty mapping or sequence at `indent`; `continued`: its first line's indentation is
// already written (the item of a sequence).
void write_block(const json& value, size_t indent, std::string& out, bool continued) {
  bool first = true;
  const auto pad = [&] {
    if (!(first && continued)) {
      out.append(indent, ' ');
    }
    first = false;
  };
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      pad();
      out += key_text(key) + ":";
      write_child(child, indent, out, false);
    }
  } else {
    for (const auto& child : value) {
      pad();
      out += "-";
      write_child(child, indent, out, true);
    }
  }
}

} // namespace

std::string to_yaml(const nlohmann::ordered_json& value) {
  if (is_inline(value)) {
    return scalar_text(value) + "\n";
  }
  std::string out;
  write_block(value, 0, out, false);
  return out;
}

} // namespace digger::migrate
