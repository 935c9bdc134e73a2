#pragma once

// Python's str.isspace() and str.strip() for the bytes of a supervisord config (private to the
// units stage: supervisor_ini.cpp and supervisor_values.cpp read text the way Python does).

#include "digger/util/ascii.hpp"

#include <string_view>

namespace digger::units::detail {

// C's isspace() set plus the ASCII separators 0x1c-0x1f, which Python counts as whitespace too.
inline bool py_space(char c) {
  return util::is_space(c) || (c >= '\x1c' && c <= '\x1f');
}

inline std::string_view py_rstrip(std::string_view text) {
  while (!text.empty() && py_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

inline std::string_view py_strip(std::string_view text) {
  while (!text.empty() && py_space(text.front())) {
    text.remove_prefix(1);
  }
  return py_rstrip(text);
}

} // namespace digger::units::detail
