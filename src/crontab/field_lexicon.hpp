#pragma once

// The five time fields as cron's entry.c reads them: ranges, month and weekday names and
// get_number(), shared by the cronie reader (schedule.cpp) and Debian cron's verdicts
// (crontab_vixie.cpp). The daemons differ only in how long a word may be.

#include "digger/crontab/schedule.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace digger::crontab::detail {

enum class Daemon { cronie, vixie };

// Names indexed by the value they stand for; "" where a value has none.
using FieldNames = std::array<std::string_view, 13>;

struct FieldLexicon {
  int low;
  int high;
  const FieldNames* names; // nullptr: numbers only
};

FieldLexicon field_lexicon(Field field);

inline bool in_range(std::int64_t value, const FieldLexicon& lexicon) {
  return value >= lexicon.low && value <= lexicon.high;
}

// Where the run of [A-Za-z0-9] that starts at `pos` ends.
std::size_t word_end(std::string_view text, std::size_t pos);

// get_number() on one such run: all digits read as strtol() does and cast to int as cron does
// ("4294967296" is 0), or a name of `names` in any case; nullopt otherwise, and for a run of
// MAX_TEMPSTR bytes or more (cronie 131072, Debian's cron 100).
std::optional<int> word_value(std::string_view word, const FieldNames* names, Daemon daemon);

} // namespace digger::crontab::detail
