#include "field_lexicon.hpp"

#include "digger/util/ascii.hpp"

#include <algorithm>

namespace digger::crontab::detail {
namespace {

constexpr FieldNames month_names = {"",    "jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr FieldNames weekday_names = {"sun", "mon", "tue", "wed", "thu", "fri", "sat",
                                      "",    "",    "",    "",    "",    ""};

constexpr std::size_t max_tempstr(Daemon daemon) {
  return daemon == Daemon::cronie ? 131072 : 100;
}

} // namespace

FieldLexicon field_lexicon(Field field) {
  switch (field) {
  case Field::minute:
    return {0, 59, nullptr};
  case Field::hour:
    return {0, 23, nullptr};
  case Field::day_of_month:
    return {1, 31, nullptr};
  case Field::month:
    return {1, 12, &month_names};
  case Field::day_of_week:
    return {0, 7, &weekday_names};
  }
  return {0, 0, nullptr};
}

std::size_t word_end(std::string_view text, std::size_t pos) {
  while (pos < text.size() && util::is_alnum(text[pos])) {
    ++pos;
  }
  return pos;
}

std::optional<int> word_value(std::string_view word, const FieldNames* names, Daemon daemon) {
  if (word.empty() || word.size() >= max_tempstr(daemon)) {
    return std::nullopt;
  }
  if (util::is_digit(word[0])) {
    constexpr std::uint64_t long_max = 9223372036854775807ULL;
    std::uint64_t value = 0;
    for (char c : word) {
      if (!util::is_digit(c)) {
        return std::nullopt;
      }
      const auto digit = static_cast<std::uint64_t>(c - '0');
      value = value > (long_max - digit) / 10 ? long_max : value * 10 + digit;
    }
    return static_cast<int>(static_cast<std::uint32_t>(value)); // (int) strtol(...)
  }
  if (names != nullptr) {
    const auto hit = std::find_if(names->begin(), names->end(), [&](std::string_view name) {
      return !name.empty() && util::iequals(word, name);
    });
    if (hit != names->end()) {
      return static_cast<int>(hit - names->begin());
    }
  }
  return std::nullopt;
}

} // namespace digger::crontab::detail
