#pragma once

#include <string>
#include <string_view>

namespace digger::util {

// Text from untrusted hosts made safe for a terminal: printable ASCII, tabs and valid UTF-8
// stay; a newline becomes "\n", a backslash "\\", other control bytes, C1 controls and
// invalid bytes "\xNN".
std::string printable(std::string_view text);

} // namespace digger::util
