#include "digger/util/printable.hpp"

#include "digger/util/utf8.hpp"

#include <fmt/format.h>

#include <cstddef>

namespace digger::util {
namespace {

// The length of the valid multi-byte UTF-8 sequence at `i` that is no C1 control
// (U+0080..U+009F, which terminals obey), or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const std::size_t length = utf8_sequence_length(text, i);
  const bool c1 = length == 2 && static_cast<unsigned char>(text[i]) == 0xc2 &&
                  static_cast<unsigned char>(text[i + 1]) < 0xa0;
  return length >= 2 && !c1 ? length : 0;
}

} // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out.push_back('\t'); // harmless, and crontabs align their fields with tabs
    } else if (const std::size_t length = c >= 0x80 ? utf8_length(text, i) : 0; length > 0) {
      out.append(text.substr(i, length));
      i += length - 1;
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

} // namespace digger::util
