// Debian's Vixie cron 3.0pl1 (entry.c with Debian's patches): only whether it accepts a job
// line. It differs from cronie in what it lets through: after a valid list item it skips
// any junk up to the next blank ("5#3" is 5, "*x" is *), it has no 6th-field typo check and
// no '-' prefix, options or '~', and it refuses long commands.

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "crontab_detail.hpp"

namespace digger::crontab::detail {
namespace {

// cron runs in the "C" locale; these never depend on the process's locale.
constexpr bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_ascii_alnum(char c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

struct VixieSpec {
  int low;
  int high;
  const char* const* names; // nullptr-terminated, or nullptr
};

constexpr const char* month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",  "jul",
                                       "aug", "sep", "oct", "nov", "dec", nullptr};
constexpr const char* weekday_names[] = {"sun", "mon", "tue", "wed",  "thu",
                                         "fri", "sat", "sun", nullptr};
constexpr std::size_t vixie_max_tempstr = 100;

VixieSpec vixie_spec(Field field) {
  switch (field) {
  case Field::minute:
    return {0, 59, nullptr};
  case Field::hour:
    return {0, 23, nullptr};
  case Field::day_of_month:
    return {1, 31, nullptr};
  case Field::month:
    return {1, 12, month_names};
  case Field::day_of_week:
    return {0, 7, weekday_names};
  }
  return {0, 0, nullptr};
}

bool same_ignoring_case(std::string_view token, const char* name) {
  std::string_view n(name);
  return token.size() == n.size() &&
         std::equal(token.begin(), token.end(), n.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

// get_number: a run of letters and digits that is a name of the field or all digits.
std::optional<std::int64_t> vixie_number(std::string_view token, std::size_t& pos,
                                         const char* const* names, int low) {
  const std::size_t start = pos;
  while (pos < token.size() && is_ascii_alnum(token[pos])) {
    ++pos;
  }
  const std::string_view run = token.substr(start, pos - start);
  if (run.empty() || run.size() >= vixie_max_tempstr) {
    return std::nullopt;
  }
  for (int i = 0; names != nullptr && names[i] != nullptr; ++i) {
    if (same_ignoring_case(run, names[i])) {
      return i + low;
    }
  }
  constexpr std::uint64_t long_max = 9223372036854775807ULL;
  std::uint64_t value = 0;
  for (char c : run) {
    if (!is_ascii_digit(c)) {
      return std::nullopt;
    }
    const auto digit = static_cast<std::uint64_t>(c - '0');
    value = value > (long_max - digit) / 10 ? long_max : value * 10 + digit;
  }
  return static_cast<int>(static_cast<std::uint32_t>(value)); // atoi()
}

bool in_vixie_range(std::int64_t v, const VixieSpec& spec) {
  return v >= spec.low && v <= spec.high;
}

// get_range on one item; `pos` ends on the character that stopped it. `empty_x0` is set for
// a reversed range ending in 0 ("fri-sun"): cronie now reads it as ending in 7, Debian's cron
// as an empty set.
bool vixie_item(std::string_view token, std::size_t& pos, const VixieSpec& spec, bool& empty_x0) {
  std::int64_t first = spec.low;
  std::int64_t last = spec.high;
  if (pos < token.size() && token[pos] == '*') {
    ++pos;
  } else {
    auto number = vixie_number(token, pos, spec.names, spec.low);
    if (!number) {
      return false;
    }
    first = last = *number;
    if (pos >= token.size() || token[pos] != '-') {
      // A single number; Debian refuses a step on it ("Step specified without range").
      return (pos >= token.size() || token[pos] != '/') && in_vixie_range(first, spec);
    }
    ++pos;
    auto end = vixie_number(token, pos, spec.names, spec.low);
    if (!end) {
      return false;
    }
    last = *end;
  }
  const bool stepped = pos < token.size() && token[pos] == '/';
  if (stepped) {
    ++pos;
    auto step = vixie_number(token, pos, nullptr, 0);
    if (!step || *step <= 0) {
      return false;
    }
  }
  empty_x0 = empty_x0 || (!stepped && first > last && last == 0);
  return in_vixie_range(first, spec) && in_vixie_range(last, spec);
}

bool vixie_field_ok(Field field, std::string_view token, bool& empty_x0) {
  const VixieSpec spec = vixie_spec(field);
  std::size_t pos = 0;
  while (true) {
    if (!vixie_item(token, pos, spec, empty_x0)) {
      return false;
    }
    if (pos < token.size() && token[pos] == ',') {
      ++pos;
      continue;
    }
    return true; // get_list skips whatever else is left up to the next blank
  }
}

bool is_vixie_macro(std::string_view word) {
  static constexpr std::array<std::string_view, 8> names = {
      "@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"};
  return std::find(names.begin(), names.end(), word) != names.end();
}

} // namespace

std::string vixie_job_error(std::string_view text, const ParseOptions& options, std::string* note) {
  std::size_t pos = 0;
  bool empty_x0 = false;
  if (!text.empty() && text[0] == '@') {
    const std::size_t end = skip_nonblanks(text, 0);
    if (!is_vixie_macro(text.substr(0, end))) {
      return "bad time specifier";
    }
    pos = skip_blanks(text, end);
  } else {
    static constexpr std::array<Field, 5> order = {Field::minute, Field::hour, Field::day_of_month,
                                                   Field::month, Field::day_of_week};
    for (Field field : order) {
      const std::size_t end = skip_nonblanks(text, pos);
      if (end == pos || !vixie_field_ok(field, text.substr(pos, end - pos), empty_x0)) {
        return "bad " + std::string(field_name(field));
      }
      pos = skip_blanks(text, end);
    }
  }
  if (options.flavor == CrontabFlavor::system) {
    if (pos == text.size()) {
      return "bad command";
    }
    const std::size_t end = skip_nonblanks(text, pos);
    const std::string_view user = text.substr(pos, end - pos);
    if (options.known_users && std::find(options.known_users->begin(), options.known_users->end(),
                                         user) == options.known_users->end()) {
      return "bad username";
    }
    pos = skip_blanks(text, end);
  }
  if (text.size() - pos >= vixie_max_command - 1) {
    return "bad command";
  }
  if (empty_x0 && note != nullptr) {
    *note = "Debian cron reads a range ending in 0 (like fri-sun) as empty, not as ending in 7";
  }
  return {};
}

} // namespace digger::crontab::detail
