// Debian's Vixie cron 3.0pl1 (entry.c with Debian's patches): only whether it accepts a job
// line. It differs from cronie in what it lets through: after a valid list item it skips
// any junk up to the next blank ("5#3" is 5, "*x" is *), it has no 6th-field typo check and
// no '-' prefix, options or '~', and it refuses long commands.

#include <algorithm>
#include <array>
#include <cstdint>

#include "crontab_detail.hpp"
#include "field_lexicon.hpp"

namespace digger::crontab::detail {
namespace {

// get_number: a run of letters and digits that is a name of the field or all digits.
std::optional<std::int64_t> vixie_number(std::string_view token, std::size_t& pos,
                                         const FieldNames* names) {
  const std::size_t start = pos;
  pos = word_end(token, pos);
  return word_value(token.substr(start, pos - start), names, Daemon::vixie);
}

// get_range on one item; `pos` ends on the character that stopped it. `empty_x0` is set for
// a reversed range ending in 0 ("fri-sun"): cronie now reads it as ending in 7, Debian's cron
// as an empty set.
bool vixie_item(std::string_view token, std::size_t& pos, const FieldLexicon& spec,
                bool& empty_x0) {
  std::int64_t first = spec.low;
  std::int64_t last = spec.high;
  if (pos < token.size() && token[pos] == '*') {
    ++pos;
  } else {
    auto number = vixie_number(token, pos, spec.names);
    if (!number) {
      return false;
    }
    first = last = *number;
    if (pos >= token.size() || token[pos] != '-') {
      // A single number; Debian refuses a step on it ("Step specified without range").
      return (pos >= token.size() || token[pos] != '/') && in_range(first, spec);
    }
    ++pos;
    auto end = vixie_number(token, pos, spec.names);
    if (!end) {
      return false;
    }
    last = *end;
  }
  const bool stepped = pos < token.size() && token[pos] == '/';
  if (stepped) {
    ++pos;
    auto step = vixie_number(token, pos, nullptr);
    if (!step || *step <= 0) {
      return false;
    }
  }
  empty_x0 = empty_x0 || (!stepped && first > last && last == 0);
  return in_range(first, spec) && in_range(last, spec);
}

bool vixie_field_ok(Field field, std::string_view token, bool& empty_x0) {
  const FieldLexicon spec = field_lexicon(field);
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
