#include "digger/util/printable.hpp"

#include <fmt/format.h>

#include <cstddef>

namespace digger::util {
namespace {

// The length of the valid UTF-8 sequence at `i` that is no C1 control, or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  if (lead < 0xc2 || lead > 0xf4 || i + length > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) {
      return 0;
    }
  }
  const unsigned char second = byte(i + 1);
  const bool bad = (lead == 0xc2 && second < 0xa0) || // C1 controls U+0080..U+009F
                   (lead == 0xe0 && second < 0xa0) || // overlong
                   (lead == 0xed && second > 0x9f) || // surrogates
                   (lead == 0xf0 && second < 0x90) || // overlong
                   (lead == 0xf4 && second > 0x8f);   // past U+10FFFF
  return bad ? 0 : length;
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
