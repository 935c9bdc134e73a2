#include "digger/util/glob.hpp"

#include <cctype>
#include <string>

namespace digger::util {

bool match_pattern(std::string_view text, std::string_view pattern) {
  // Greedy matching with a single backtrack point (the last `*`): enough for `*`/`?` globs.
  size_t t = 0;
  size_t p = 0;
  size_t star = std::string_view::npos;
  size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
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
      lowered = item;
      for (char& c : lowered) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      item = lowered;
    }
    if (match_pattern(text, item)) {
      if (negated) {
        return ListMatch::negated;
      }
      positive = true;
    }
  }
  return positive ? ListMatch::positive : ListMatch::none;
}

} // namespace digger::util
