#pragma once

#include <string>
#include <string_view>

namespace digger::ssh {

std::string base64_decode(std::string_view text); // whitespace ignored; "" on garbage
std::string base64_encode(std::string_view bytes, bool pad);

} // namespace digger::ssh
