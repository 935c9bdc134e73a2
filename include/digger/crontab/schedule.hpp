#pragma once

#include "digger/util/result.hpp"

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

namespace digger::crontab {

enum class Macro { none, reboot, yearly, annually, monthly, weekly, daily, midnight, hourly };

enum class Field { minute, hour, day_of_month, month, day_of_week };

// The five time fields as cron stores them after parsing (cronie's entry.c): one bit per
// allowed value, plus the "field began with *" flags that decide the day-of-month /
// day-of-week OR rule and how jobs behave across DST jumps.
struct Schedule {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days_of_month; // bits 1..31
  std::bitset<13> months;        // bits 1..12
  std::bitset<8> days_of_week;   // bits 0..7; 0 and 7 are both Sunday and always set together
  bool minute_star = false;
  bool hour_star = false;
  bool dom_star = false;
  bool dow_star = false;
  // A `~` field: cron picks one value of the range at random when it loads the file.
  bool randomized = false;
  Macro macro = Macro::none;

  bool is_reboot() const { return macro == Macro::reboot; }
  // Canonical text: equal for schedules that fire identically, whatever their spelling.
  std::string normalized() const;

  friend bool operator==(const Schedule&, const Schedule&) = default;
};

struct FieldValue {
  std::bitset<64> bits; // bit n = value n is allowed
  bool star = false;    // the field's first character is '*'
  bool randomized = false;
};

// One time field exactly as cronie's get_list() reads it: lists, ranges, steps, names.
util::Result<FieldValue> parse_field(Field field, std::string_view text);

// "@daily" and friends (lowercase, as cron requires); an error for an unknown "@word".
util::Result<Schedule> schedule_from_macro(std::string_view word);

// A whole expression: five fields separated by blanks, or a macro. For `next` and converters.
util::Result<Schedule> parse_schedule(std::string_view expression);

std::string_view macro_name(Macro macro);
std::string_view field_name(Field field); // "minute", "hour", "day-of-month", ... as cron logs it

// Sorted values in list syntax: each run of consecutive values as "first-last" (the separator
// is "-" for cron, ".." for systemd calendars), comma-separated: {1,2,3,7} -> "1-3,7".
std::string render_runs(const std::vector<int>& values, std::string_view range_separator = "-");

} // namespace digger::crontab
