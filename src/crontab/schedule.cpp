#include "digger/crontab/schedule.hpp"

#include "digger/util/enum_names.hpp"
#include "digger/util/runs.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <vector>

#include "field_lexicon.hpp"

namespace digger::crontab {
namespace {

using detail::FieldLexicon;
using detail::in_range;

// Reads the text of one field item by item, like cronie's get_list/get_range/get_number.
class FieldReader {
public:
  FieldReader(std::string_view text, const FieldLexicon& spec) : text_(text), spec_(spec) {}

  bool at_end() const { return pos_ >= text_.size(); }
  bool accept(char c) {
    if (!at_end() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool peek(char c) const { return !at_end() && text_[pos_] == c; }

  // get_number: a maximal run of [A-Za-z0-9], a number or (unless a step) a name.
  std::optional<int> number(bool names_allowed = true) {
    const size_t start = pos_;
    pos_ = detail::word_end(text_, pos_);
    return detail::word_value(text_.substr(start, pos_ - start),
                              names_allowed ? spec_.names : nullptr, detail::Daemon::cronie);
  }

private:
  std::string_view text_;
  const FieldLexicon& spec_;
  size_t pos_ = 0;
};

// Sets first..last by step like get_range's final loop: only the values actually set are
// checked against the field's range, so a reversed range is never checked at all.
bool set_values(std::int64_t first, std::int64_t last, std::int64_t step, const FieldLexicon& spec,
                FieldValue& out) {
  if (first > last) {
    return true;
  }
  if (step < 0) {
    return false; // counts down from a valid value until one is out of range
  }
  for (std::int64_t v = first; v <= last; v += step) {
    if (!in_range(v, spec)) {
      return false;
    }
    out.bits.set(static_cast<size_t>(v));
  }
  return true;
}

// "[num]~[num]": cronie picks one value when it loads the file; any value of the range can
// be the one, and a range reaching out of the field may fail to load, so it is refused.
bool read_random(FieldReader& reader, const FieldLexicon& spec, std::int64_t first,
                 FieldValue& out) {
  std::int64_t last = spec.high;
  if (!reader.at_end() && !reader.peek(',')) {
    auto end = reader.number();
    if (!end) {
      return false;
    }
    last = *end;
  }
  if (first > last) {
    return false;
  }
  out.randomized = true;
  return set_values(first, last, 1, spec, out);
}

// One list item, following the states of cronie's get_range (R_START ... R_FINISH). What
// may end an item (',' or the end of the field) is checked by the caller.
bool read_item(FieldReader& reader, const FieldLexicon& spec, FieldValue& out) {
  std::int64_t first = spec.low;
  std::int64_t last = spec.high;
  if (reader.accept('~')) {
    return read_random(reader, spec, spec.low, out);
  }
  if (!reader.accept('*')) {
    auto number = reader.number();
    if (!number) {
      return false;
    }
    first = last = *number;
    if (reader.accept('~')) {
      return read_random(reader, spec, first, out);
    }
    if (!reader.accept('-')) {
      return set_values(first, first, 1, spec, out); // a '/' left over is refused ("5/10")
    }
    auto end = reader.number();
    if (!end) {
      return false;
    }
    last = *end;
    // cronie HEAD (2025): a reversed range ending in 0 ends at 7 instead, in every field
    // (meant for "fri-sun" in day-of-week; minute "5-0" is 5,6,7). Not when a step follows.
    if (first > last && last == 0 && !reader.peek('/')) {
      last = 7;
    }
  }
  std::int64_t step = 1;
  if (reader.accept('/')) {
    auto n = reader.number(false);
    if (!n || *n == 0) {
      return false;
    }
    step = *n;
  }
  return set_values(first, last, step, spec, out);
}

std::string render_bits(const std::vector<int>& values, int low, int high) {
  if (values.empty()) {
    return "-";
  }
  if (static_cast<int>(values.size()) == high - low + 1) {
    return "*";
  }
  return render_runs(values);
}

template <size_t N>
std::string render(const std::bitset<N>& bits, int low, int high) {
  std::vector<int> values;
  for (int v = low; v <= high; ++v) {
    if (bits.test(static_cast<size_t>(v))) {
      values.push_back(v);
    }
  }
  return render_bits(values, low, high);
}

template <size_t N>
std::bitset<N> narrow(const std::bitset<64>& bits) {
  std::bitset<N> out;
  for (size_t i = 0; i < N; ++i) {
    out.set(i, bits.test(i));
  }
  return out;
}

constexpr util::EnumNames<Field, Field::day_of_week> field_names{
    {"minute", "hour", "day-of-month", "month", "day-of-week"}};

} // namespace

std::string render_runs(const std::vector<int>& values, std::string_view range_separator) {
  std::string out;
  for (const auto& run : util::consecutive_runs(values)) {
    if (!out.empty()) {
      out += ',';
    }
    out += run.last > run.first ? fmt::format("{}{}{}", run.first, range_separator, run.last)
                                : fmt::format("{}", run.first);
  }
  return out;
}

std::string_view field_name(Field field) {
  return field_names.name_of(field, "field");
}

util::Result<FieldValue> parse_field(Field field, std::string_view text) {
  const FieldLexicon spec = detail::field_lexicon(field);
  auto bad = [field] { return util::Error{"bad " + std::string(field_name(field))}; };
  if (text.empty()) {
    return bad();
  }
  FieldValue value;
  value.star = text.front() == '*';
  FieldReader reader(text, spec);
  do {
    if (!read_item(reader, spec, value)) {
      return bad();
    }
  } while (reader.accept(','));
  if (!reader.at_end()) {
    return bad();
  }
  if (field == Field::day_of_week && (value.bits.test(0) || value.bits.test(7))) {
    value.bits.set(0);
    value.bits.set(7);
  }
  return value;
}

namespace {

struct KnownMacro {
  std::string_view name;
  Macro macro;
  const char* fields;
};

constexpr std::array<KnownMacro, 8> known_macros = {{
    {"@reboot", Macro::reboot, nullptr},
    {"@yearly", Macro::yearly, "0 0 1 1 *"},
    {"@annually", Macro::annually, "0 0 1 1 *"},
    {"@monthly", Macro::monthly, "0 0 1 * *"},
    {"@weekly", Macro::weekly, "0 0 * * 0"},
    {"@daily", Macro::daily, "0 0 * * *"},
    {"@midnight", Macro::midnight, "0 0 * * *"},
    {"@hourly", Macro::hourly, "0 * * * *"},
}};

Schedule build_macro_schedule(const KnownMacro& k) {
  Schedule schedule;
  if (k.fields != nullptr) {
    schedule = parse_schedule(k.fields).value();
  }
  // cronie sets only these flags for macros: yearly/monthly DOW_STAR, weekly DOM_STAR,
  // hourly HR_STAR; @daily has none, so across DST it is a fixed-time job.
  schedule.minute_star = false;
  schedule.hour_star = k.macro == Macro::hourly;
  schedule.dom_star = k.macro == Macro::weekly;
  schedule.dow_star =
      k.macro == Macro::yearly || k.macro == Macro::annually || k.macro == Macro::monthly;
  schedule.macro = k.macro;
  return schedule;
}

} // namespace

std::string_view macro_name(Macro macro) {
  for (const auto& known : known_macros) {
    if (known.macro == macro) {
      return known.name;
    }
  }
  return ""; // Macro::none
}

util::Result<Schedule> schedule_from_macro(std::string_view word) {
  // Built once: the crontab parser calls this for every macro line.
  static const std::array<Schedule, known_macros.size()> schedules = [] {
    std::array<Schedule, known_macros.size()> out;
    for (size_t i = 0; i < known_macros.size(); ++i) {
      out[i] = build_macro_schedule(known_macros[i]);
    }
    return out;
  }();
  for (size_t i = 0; i < known_macros.size(); ++i) {
    if (word == known_macros[i].name) {
      return schedules[i];
    }
  }
  return util::Error{"bad time specifier"};
}

util::Result<Schedule> parse_schedule(std::string_view expression) {
  auto is_blank = [](char c) { return c == ' ' || c == '\t'; };
  std::vector<std::string_view> tokens;
  size_t pos = 0;
  while (pos < expression.size()) {
    while (pos < expression.size() && is_blank(expression[pos])) {
      ++pos;
    }
    size_t start = pos;
    while (pos < expression.size() && !is_blank(expression[pos])) {
      ++pos;
    }
    if (pos > start) {
      tokens.push_back(expression.substr(start, pos - start));
    }
  }
  if (tokens.size() == 1 && tokens[0].starts_with('@')) {
    return schedule_from_macro(tokens[0]);
  }
  if (tokens.size() != 5) {
    return util::Error{fmt::format("expected 5 time fields or a @macro, found {} field{}",
                                   tokens.size(), tokens.size() == 1 ? "" : "s")};
  }
  Schedule schedule;
  static constexpr std::array<Field, 5> order = {Field::minute, Field::hour, Field::day_of_month,
                                                 Field::month, Field::day_of_week};
  for (size_t i = 0; i < order.size(); ++i) {
    auto field = parse_field(order[i], tokens[i]);
    if (!field) {
      return util::Error{field.error()};
    }
    const FieldValue& v = field.value();
    schedule.randomized = schedule.randomized || v.randomized;
    switch (order[i]) {
    case Field::minute:
      schedule.minutes = narrow<60>(v.bits);
      schedule.minute_star = v.star;
      break;
    case Field::hour:
      schedule.hours = narrow<24>(v.bits);
      schedule.hour_star = v.star;
      break;
    case Field::day_of_month:
      schedule.days_of_month = narrow<32>(v.bits);
      schedule.dom_star = v.star;
      break;
    case Field::month:
      schedule.months = narrow<13>(v.bits);
      break;
    case Field::day_of_week:
      schedule.days_of_week = narrow<8>(v.bits);
      schedule.dow_star = v.star;
      break;
    }
  }
  return schedule;
}

std::string Schedule::normalized() const {
  if (macro == Macro::reboot) {
    return "@reboot";
  }
  std::bitset<8> dow = days_of_week;
  dow.reset(7); // Sunday is kept once, as 0
  std::string dom_text = render(days_of_month, 1, 31);
  std::string dow_text = render(dow, 0, 6);
  // Resolve cronie's day rule so that spellings which select the same days compare equal:
  // with a '*'-led day field both must match (AND), otherwise either may (OR).
  const bool and_rule = dom_star || dow_star;
  std::string days;
  if (dom_text == "*" && dow_text == "*") {
    days = "* *";
  } else if (and_rule) {
    days = dom_text == "*" || dow_text == "*" ? dom_text + " " + dow_text
                                              : dom_text + " " + dow_text + " &";
  } else {
    days = dom_text == "*" || dow_text == "*" ? "* *" : dom_text + " " + dow_text;
  }
  // Insert the month between day-of-month and day-of-week, keeping cron's field order.
  auto space = days.find(' ');
  return fmt::format("{} {} {} {} {}{}", render(minutes, 0, 59), render(hours, 0, 23),
                     days.substr(0, space), render(months, 1, 12), days.substr(space + 1),
                     randomized ? " ~" : "");
}

} // namespace digger::crontab
