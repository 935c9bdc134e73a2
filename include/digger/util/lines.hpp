#pragma once

#include <string_view>

namespace digger::util {

// The text up to the next '\n' (without it), and `text` moved past that newline: reading a
// file line by line without copying. The last line needs no newline.
constexpr std::string_view take_line(std::string_view& text) {
  const std::size_t newline = text.find('\n');
  const std::string_view line = text.substr(0, newline);
  text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
  return line;
}

// `line` without one trailing '\r' (a file saved with CRLF line ends).
constexpr std::string_view without_cr(std::string_view line) {
  return !line.empty() && line.back() == '\r' ? line.substr(0, line.size() - 1) : line;
}

} // namespace digger::util
