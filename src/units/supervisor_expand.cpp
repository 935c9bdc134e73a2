// Python's `str % mapping` (Objects/unicodeobject.c, PyUnicode_Format), which supervisord's
// expand() applies to every option it reads: the reason a stray `%` stops supervisord.
#include "digger/units/supervisor_values.hpp"
#include "digger/util/ascii.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <limits>

namespace digger::units {
namespace {

// Python accepts any width; a host's file could ask for gigabytes. Past this, Digger reports
// the value as an error rather than build it (documented in docs/workers.md).
constexpr std::int64_t max_width = 4096;

struct Spec {
  std::optional<std::string> key;
  std::string flags;
  std::int64_t width = -1, precision = -1;
  char conversion = 0;
  std::size_t end = 0; // one past the conversion character
};

std::size_t code_point_index(std::string_view text, std::size_t byte) {
  return static_cast<std::size_t>(std::count_if(text.begin(),
                                                text.begin() + static_cast<long>(byte),
                                                [](char c) { return (c & 0xC0) != 0x80; }));
}

// Reads the number at `at` (digits only); -2 when it is too large.
std::int64_t read_number(std::string_view text, std::size_t& at) {
  std::int64_t value = 0;
  while (at < text.size() && util::is_digit(text[at])) {
    value = std::min<std::int64_t>(value * 10 + (text[at] - '0'), max_width + 1);
    ++at;
  }
  return value > max_width ? -2 : value;
}

// Parses the spec after the '%' at `start`; an error text when Python raises while parsing.
std::string parse_spec(std::string_view text, std::size_t start, Spec& spec) {
  std::size_t at = start + 1;
  if (at < text.size() && text[at] == '(') {
    int depth = 1;
    const std::size_t key_start = ++at;
    while (at < text.size() && depth > 0) {
      depth += text[at] == '(' ? 1 : (text[at] == ')' ? -1 : 0);
      ++at;
    }
    if (depth > 0) {
      return "incomplete format key";
    }
    spec.key = std::string(text.substr(key_start, at - 1 - key_start));
  }
  while (at < text.size() && std::string_view("-+ #0").find(text[at]) != std::string_view::npos) {
    spec.flags += text[at++];
  }
  if (at < text.size() && text[at] == '*') {
    return "* wants int";
  }
  spec.width = at < text.size() && util::is_digit(text[at]) ? read_number(text, at) : -1;
  if (at < text.size() && text[at] == '.') {
    ++at;
    if (at < text.size() && text[at] == '*') {
      return "* wants int";
    }
    spec.precision = read_number(text, at);
  }
  if (spec.width == -2 || spec.precision == -2) {
    return "width or precision too big";
  }
  if (at < text.size() && (text[at] == 'h' || text[at] == 'l' || text[at] == 'L')) {
    ++at;
  }
  if (at >= text.size()) {
    return "incomplete format";
  }
  spec.conversion = text[at];
  spec.end = at + 1;
  if (std::string_view("diouxXeEfFgGcrsa%").find(spec.conversion) == std::string_view::npos) {
    const auto byte = static_cast<unsigned char>(spec.conversion);
    return fmt::format("unsupported format character '{}' (0x{:x}) at index {}",
                       byte < 0x80 ? std::string(1, spec.conversion) : std::string("?"), byte,
                       code_point_index(text, at));
  }
  return {};
}

std::string python_repr(std::string_view text) {
  const char quote =
      text.find('\'') != std::string_view::npos && text.find('"') == std::string_view::npos ? '"'
                                                                                            : '\'';
  std::string out(1, quote);
  for (char c : text) {
    if (c == '\\' || c == quote) {
      out += '\\';
    }
    out += c;
  }
  return out + quote;
}

std::string pad(std::string text, const Spec& spec) {
  const auto width = static_cast<std::size_t>(std::max<std::int64_t>(spec.width, 0));
  if (text.size() >= width) {
    return text;
  }
  const std::string fill(width - text.size(), ' ');
  return spec.flags.find('-') != std::string::npos ? text + fill : fill + text;
}

std::string format_number(std::int64_t value, const Spec& spec) {
  std::string format = "%" + spec.flags;
  if (spec.width >= 0) {
    format += std::to_string(spec.width);
  }
  if (spec.precision >= 0) {
    format += "." + std::to_string(spec.precision);
  }
  const char conversion = spec.conversion == 'i' || spec.conversion == 'u' ? 'd' : spec.conversion;
  const bool floating = std::string_view("eEfFgG").find(conversion) != std::string_view::npos;
  format += floating ? std::string(1, conversion) : std::string("ll") + conversion;
  std::string out(static_cast<std::size_t>(2 * max_width + 64), '\0');
  const int written =
      floating
          ? std::snprintf(out.data(), out.size(), format.c_str(), static_cast<double>(value))
          : std::snprintf(out.data(), out.size(), format.c_str(), static_cast<long long>(value));
  out.resize(written < 0 ? 0 : std::min(out.size() - 1, static_cast<std::size_t>(written)));
  return out;
}

// The conversion of one value; an error text on a type mismatch, as Python's TypeError says.
std::string convert(const ExpansionValue& value, const Spec& spec, std::string& out) {
  const char c = spec.conversion;
  if (const auto* text = std::get_if<std::string>(&value)) {
    if (c == 's' || c == 'r' || c == 'a') {
      std::string shown = c == 's' ? *text : python_repr(*text);
      if (spec.precision >= 0 && static_cast<std::size_t>(spec.precision) < shown.size()) {
        shown.resize(static_cast<std::size_t>(spec.precision));
      }
      out += pad(std::move(shown), spec);
      return {};
    }
    if (c == 'c' && text->size() == 1) {
      out += pad(*text, spec);
      return {};
    }
    if (c == 'c') {
      return "%c requires int or char";
    }
    if (std::string_view("xXo").find(c) != std::string_view::npos) {
      return fmt::format("%{} format: an integer is required, not str", c);
    }
    if (std::string_view("diu").find(c) != std::string_view::npos) {
      return fmt::format("%{} format: a real number is required, not str", c);
    }
    return "must be real number, not str";
  }
  const auto number = std::get<std::int64_t>(value);
  if (c == 's' || c == 'r' || c == 'a') {
    out += pad(std::to_string(number), spec);
  } else if (c == 'c') {
    if (number < 0 || number > 0x7f) {
      return "%c arg not representable by Digger"; // non-ASCII code points: not in expansions
    }
    out += pad(std::string(1, static_cast<char>(number)), spec);
  } else {
    out += format_number(number, spec);
  }
  return {};
}

void note_unresolved(Expanded& result, const std::string& name) {
  if (std::find(result.unresolved.begin(), result.unresolved.end(), name) ==
      result.unresolved.end()) {
    result.unresolved.push_back(name);
  }
}

} // namespace

Expanded expand_percent(std::string_view text, const ExpansionTable& table) {
  Expanded result;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t percent = text.find('%', at);
    result.text += text.substr(at, percent == std::string_view::npos ? percent : percent - at);
    if (percent == std::string_view::npos) {
      break;
    }
    Spec spec;
    if (auto error = parse_spec(text, percent, spec); !error.empty()) {
      result.error = std::move(error);
      return result;
    }
    at = spec.end;
    if (!spec.key) {
      if (spec.conversion == '%') {
        result.text += '%';
        continue;
      }
      // Python hands the whole mapping to an unnamed conversion: `%s` prints the table,
      // anything else is a TypeError. Neither is a value a scan can show.
      if (spec.conversion == 's' || spec.conversion == 'r' || spec.conversion == 'a') {
        note_unresolved(result, std::string(1, '%') + spec.conversion);
        result.text += text.substr(percent, spec.end - percent);
        continue;
      }
      result.error =
          fmt::format("%{} format: a real number is required, not dict", spec.conversion);
      return result;
    }
    const auto found = table.find(*spec.key);
    const bool unknown_value =
        found != table.end() && std::holds_alternative<std::monostate>(found->second);
    if (found == table.end() || unknown_value) {
      if (unknown_value || spec.key->starts_with("ENV_")) {
        note_unresolved(result, *spec.key);
        result.text += text.substr(percent, spec.end - percent);
        continue;
      }
      result.error = fmt::format("contains names ('{}') which cannot be expanded", *spec.key);
      return result;
    }
    if (spec.conversion == '%') {
      result.text += '%';
      continue;
    }
    if (auto error = convert(found->second, spec, result.text); !error.empty()) {
      result.error = std::move(error);
      return result;
    }
  }
  return result;
}

} // namespace digger::units
