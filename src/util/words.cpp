#include "digger/util/words.hpp"

#include "digger/util/ascii.hpp"

namespace digger::util {

std::vector<std::string_view> blank_words_until(std::string_view text, std::string_view stops) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && is_blank(text[pos])) {
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < text.size() && !is_blank(text[pos]) &&
           stops.find(text[pos]) == std::string_view::npos) {
      ++pos;
    }
    if (pos > start) {
      out.push_back(text.substr(start, pos - start));
    }
    if (pos < text.size() && !is_blank(text[pos])) {
      break; // a stop byte
    }
  }
  return out;
}

std::vector<std::string_view> blank_words(std::string_view text) {
  return blank_words_until(text, {});
}

} // namespace digger::util
