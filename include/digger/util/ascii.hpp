#pragma once

// Character classes and case as the "C" locale has them, whatever the process locale: what
// hosts send is bytes, and cron, OpenSSH and systemd read them in the "C" locale too.

#include <string>
#include <string_view>

namespace digger::util {

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_alnum(char c) {
  return is_digit(c) || is_alpha(c);
}
// C's isblank(): space and tab.
constexpr bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
// C's isspace(): space, \t, \n, \v, \f, \r.
constexpr bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}
// The value of a hexadecimal digit (either case), -1 for any other byte.
constexpr int hex_digit(char c) {
  if (is_digit(c)) {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}
constexpr char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);

// `text` without the leading and trailing characters found in `chars` (C's isspace() set by
// default).
std::string_view trim(std::string_view text, std::string_view chars = " \t\n\v\f\r");

} // namespace digger::util
