#pragma once

#include <string_view>

namespace digger::util {

// The last component of a '/'-separated path: "/usr/bin/php" is "php", "php" is "php",
// "/etc/cron.d/" is "".
constexpr std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

} // namespace digger::util
