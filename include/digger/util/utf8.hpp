#pragma once

#include <cstddef>
#include <string_view>

namespace digger::util {

// Length of the valid UTF-8 sequence starting at `at` (1 for ASCII), 0 if it is not one:
// overlong forms, surrogates, code points past U+10FFFF and truncated sequences are invalid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

} // namespace digger::util
