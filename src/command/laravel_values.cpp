// PHP literal arguments (laravel_values.hpp): strings, numbers, booleans, null, Schedule's day
// constants and arrays of them; anything else is "not a literal".
#include "laravel_values.hpp"

#include <array>

namespace digger::command::laravel {
namespace {

constexpr std::size_t max_items = 64;
constexpr std::size_t max_render = 160;

using php::TokenKind;

bool is_punct(const php::Token& t, std::string_view text) {
  return t.kind == TokenKind::punct && t.text == text;
}

bool ends_with_class(std::string_view name, std::string_view cls) {
  return name == cls || (name.ends_with(cls) && name[name.size() - cls.size() - 1] == '\\');
}

// Schedule::MONDAY (also Carbon's, which has the same numbers).
std::optional<Value> day_constant(const std::vector<php::Token>& t, Arg arg) {
  static constexpr std::array<std::string_view, 7> days{
      "SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"};
  if (arg.end - arg.begin != 3 || t[arg.begin].kind != TokenKind::name ||
      !is_punct(t[arg.begin + 1], "::") || t[arg.begin + 2].kind != TokenKind::name) {
    return std::nullopt;
  }
  const auto& cls = t[arg.begin].text;
  if (!ends_with_class(cls, "Schedule") && !ends_with_class(cls, "Carbon") &&
      !ends_with_class(cls, "CarbonInterface")) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (t[arg.begin + 2].text == days[i]) {
      return Value{std::to_string(i), true, false, {}};
    }
  }
  return std::nullopt;
}

std::optional<Value> literal_at(const std::vector<php::Token>& t, Arg arg, int depth);

// Nested arrays are followed two levels deep (a bound on the recursion, whatever the input).
std::optional<Value> array_literal(const std::vector<php::Token>& t, Arg arg, int depth) {
  if (depth > 2) {
    return std::nullopt;
  }
  std::size_t open = arg.begin;
  if (t[open].kind == TokenKind::name && t[open].text == "array") {
    ++open;
  }
  if (open >= arg.end || t[open].match + 1 != arg.end ||
      !(is_punct(t[open], "[") || is_punct(t[open], "("))) {
    return std::nullopt;
  }
  Value out;
  out.array = true;
  for (const Arg& item : split_args(t, open)) {
    if (out.items.size() >= max_items) {
      return std::nullopt;
    }
    std::size_t arrow = item.begin;
    while (arrow < item.end && !is_punct(t[arrow], "=>")) {
      arrow = t[arrow].match > arrow ? t[arrow].match + 1 : arrow + 1;
    }
    std::string key;
    Arg value_arg = item;
    if (arrow < item.end) {
      auto k = literal_at(t, {item.begin, arrow}, depth + 1);
      if (!k || k->array) {
        return std::nullopt;
      }
      key = k->text;
      value_arg.begin = arrow + 1;
    }
    auto v = literal_at(t, value_arg, depth + 1);
    if (!v) {
      return std::nullopt;
    }
    out.items.push_back({std::move(key), std::move(*v)});
  }
  return out;
}

} // namespace

std::vector<Arg> split_args(const std::vector<php::Token>& t, std::size_t open) {
  std::vector<Arg> args;
  const std::size_t close = t[open].match;
  std::size_t start = open + 1;
  for (std::size_t i = open + 1; i < close;) {
    if (is_punct(t[i], ",")) {
      args.push_back({start, i});
      start = ++i;
      continue;
    }
    i = t[i].match > i ? t[i].match + 1 : i + 1;
  }
  if (start < close) {
    args.push_back({start, close});
  }
  return args;
}

namespace {

std::optional<Value> literal_at(const std::vector<php::Token>& t, Arg arg, int depth) {
  if (arg.begin >= arg.end) {
    return std::nullopt;
  }
  const auto& first = t[arg.begin];
  if (arg.end - arg.begin == 1) {
    if (first.kind == TokenKind::string) {
      return first.literal ? std::optional<Value>(Value{first.text, false, false, {}})
                           : std::nullopt;
    }
    if (first.kind == TokenKind::number) {
      auto n = php_int(first.text);
      bool plain = n && std::to_string(*n) == first.text;
      return plain ? std::optional<Value>(Value{first.text, true, false, {}}) : std::nullopt;
    }
    if (first.kind == TokenKind::name) {
      if (first.text == "true" || first.text == "TRUE") {
        return Value{"1", false, false, {}};
      }
      if (first.text == "false" || first.text == "null" || first.text == "FALSE" ||
          first.text == "NULL") {
        return Value{"", false, false, {}};
      }
    }
    return std::nullopt;
  }
  if (arg.end - arg.begin == 2 && is_punct(first, "-") &&
      t[arg.begin + 1].kind == TokenKind::number) {
    auto v = literal_at(t, {arg.begin + 1, arg.end}, depth);
    return v ? std::optional<Value>(Value{"-" + v->text, true, false, {}}) : std::nullopt;
  }
  if (auto day = day_constant(t, arg)) {
    return day;
  }
  return array_literal(t, arg, depth);
}

} // namespace

std::optional<Value> literal(const std::vector<php::Token>& t, Arg arg) {
  return literal_at(t, arg, 0);
}

std::string render_arg(const std::vector<php::Token>& t, Arg arg) {
  if (arg.end - arg.begin == 3 && t[arg.begin].kind == TokenKind::name &&
      is_punct(t[arg.begin + 1], "::") && t[arg.begin + 2].text == "class") {
    return t[arg.begin].text + "::class";
  }
  auto v = literal(t, arg);
  if (!v) {
    return "...";
  }
  if (v->array || v->number) {
    auto text = implode(*v);
    return v->array ? "[" + text.value_or("...") + "]" : v->text;
  }
  std::string out = "'";
  for (char c : v->text.substr(0, max_render)) {
    out += c == '\'' ? std::string("\\'") : std::string(1, c);
  }
  return out + (v->text.size() > max_render ? "...'" : "'");
}

} // namespace digger::command::laravel
