#pragma once

#include <string_view>

namespace digger::util {

// Which characters of a pattern are special. Both: `*` matches any run of bytes (a '/' or a
// leading dot included), `?` exactly one byte, the rest itself, case-sensitively.
enum class GlobSyntax {
  openssh, // OpenSSH's match_pattern(): nothing else is special
  fnmatch, // also `[set]`, `[!set]`/`[^set]` with ranges, and `\x` for a literal x
};

// Whether `pattern` matches all of `text`. Runs in O(text x pattern) whatever the pattern
// (one backtrack point, the last `*`), because patterns come from files we do not control.
bool glob_match(std::string_view text, std::string_view pattern,
                GlobSyntax syntax = GlobSyntax::openssh);

enum class ListMatch { none, positive, negated };

// OpenSSH's match_pattern_list(): a comma-separated list where `!pattern` excludes. A negated
// hit wins over any positive one. With `lowercase_patterns` the patterns are lowercased before
// matching (the caller lowercases `text`), as known_hosts and `Match host` do.
ListMatch match_pattern_list(std::string_view text, std::string_view list, bool lowercase_patterns);

} // namespace digger::util
