#pragma once

// Internal: a YAML document as a small tree, built from libyaml's events with bounds on size
// and depth. Aliases share the anchored node (nothing is copied), so a "billion laughs"
// document costs no memory; walkers bound their own work.
#include "digger/util/result.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace digger::inventory {

struct YamlNode {
  enum class Kind { scalar, mapping, sequence };
  Kind kind = Kind::scalar;
  std::string value;    // scalars
  std::string tag;      // "!vault", "!unsafe", ... as written; empty when none
  bool plain = false;   // an unquoted scalar (so `~`, `null` and "" mean null)
  std::size_t line = 0; // 1-based
  std::vector<std::shared_ptr<const YamlNode>> items; // mapping: key, value, key, value...

  bool is_null() const {
    return kind == Kind::scalar && plain && tag.empty() &&
           (value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL");
  }
};

inline constexpr std::size_t max_yaml_nodes = 4'000'000;
inline constexpr std::size_t max_yaml_depth = 128;

// The first document of `text`; errors are "file:line: why".
util::Result<std::shared_ptr<const YamlNode>> parse_yaml(std::string_view text,
                                                         std::string_view file_name);

} // namespace digger::inventory
