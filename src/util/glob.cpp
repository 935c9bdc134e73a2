#include "digger/util/glob.hpp"

#include "digger/util/ascii.hpp"

#include <string>

namespace digger::util {
namespace {

// A `[set]` at `p` against byte `c`; `length` is how many pattern bytes it spans, 0 when the
// set has no closing bracket (then the '[' is a literal).
bool set_matches(std::string_view pattern, std::size_t p, char c, std::size_t& length) {
  std::size_t k = p + 1;
  const bool negate = k < pattern.size() && (pattern[k] == '!' || pattern[k] == '^');
  k += negate ? 1 : 0;
  bool found = false;
  const std::size_t first = k;
  for (; k < pattern.size() && (pattern[k] != ']' || k == first); ++k) {
    if (k + 2 < pattern.size() && pattern[k + 1] == '-' && pattern[k + 2] != ']') {
      found = found || (c >= pattern[k] && c <= pattern[k + 2]);
      k += 2;
    } else {
      found = found || pattern[k] == c;
    }
  }
  if (k >= pattern.size()) {
    length = 0;
    return false;
  }
  length = k - p + 1;
  return found != negate;
}

// One pattern element at `p` (not a '*') against byte `c`; `length` is how many pattern bytes
// it spans.
bool element_matches(std::string_view pattern, std::size_t p, char c, GlobSyntax syntax,
                     std::size_t& length) {
  if (syntax == GlobSyntax::fnmatch) {
    if (pattern[p] == '\\' && p + 1 < pattern.size()) {
      length = 2;
      return pattern[p + 1] == c;
    }
    if (pattern[p] == '[') {
      const bool matched = set_matches(pattern, p, c, length);
      if (length > 0) {
        return matched;
      }
    }
  }
  length = 1;
  return pattern[p] == '?' || pattern[p] == c;
}

} // namespace

bool glob_match(std::string_view text, std::string_view pattern, GlobSyntax syntax) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;
  while (t < text.size()) {
    std::size_t length = 1;
    if (p < pattern.size() && pattern[p] == '*') {
      star = ++p;
      star_text = t;
    } else if (p < pattern.size() && element_matches(pattern, p, text[t], syntax, length)) {
      p += length;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star; // let the last '*' swallow one more byte and retry
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

ListMatch match_pattern_list(std::string_view text, std::string_view list,
                             bool lowercase_patterns) {
  bool positive = false;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    bool negated = !item.empty() && item[0] == '!';
    if (negated) {
      item.remove_prefix(1);
    }
    std::string lowered;
    if (lowercase_patterns) {
      lowered = lower(item);
      item = lowered;
    }
    if (glob_match(text, item)) {
      if (negated) {
        return ListMatch::negated;
      }
      positive = true;
    }
  }
  return positive ? ListMatch::positive : ListMatch::none;
}

} // namespace digger::util
