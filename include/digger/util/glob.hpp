#pragma once

#include <string_view>

namespace digger::util {

// OpenSSH's match_pattern(): `*` matches any run of characters, `?` exactly one, everything else
// itself (case-sensitive). Runs in O(text * pattern) whatever the pattern, unlike the recursive
// original, because patterns come from files we do not control.
bool match_pattern(std::string_view text, std::string_view pattern);

enum class ListMatch { none, positive, negated };

// OpenSSH's match_pattern_list(): a comma-separated list where `!pattern` excludes. A negated
// hit wins over any positive one. With `lowercase_patterns` the patterns are lowercased before
// matching (the caller lowercases `text`), as known_hosts and `Match host` do.
ListMatch match_pattern_list(std::string_view text, std::string_view list, bool lowercase_patterns);

} // namespace digger::util
