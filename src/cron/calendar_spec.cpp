// OnCalendar= parsing and normalized form: a port of systemd's calendar_spec_from_string,
// calendar_spec_normalize, calendar_spec_valid and calendar_spec_to_string
// (src/shared/calendarspec.c), so that Digger and systemd-analyze read a timer alike.

#include "digger/cron/calendar_spec.hpp"

#include "digger/cron/next_runs.hpp"

#include <climits>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

namespace digger::cron {
namespace {

constexpr int usec_per_sec = 1000000;
constexpr int bits_weekdays = 127;
constexpr int min_year = 1970;
constexpr std::size_t max_text = 4096; // a unit-file value; longer text is not a calendar

// The errno values systemd's parser returns, for the same message.
enum class Fail { none, invalid, range, no_buffers };

using Chain = std::vector<CalendarComponent>;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool starts_with_no_case(const char* p, std::string_view prefix) {
  for (char want : prefix) {
    if (*p == 0 || lower(*p) != lower(want)) {
      return false;
    }
    ++p;
  }
  return true;
}

bool equal_no_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// strtoul on a run of digits, capped: anything past INT_MAX is out of range for systemd too.
Fail parse_number(const char*& p, unsigned long long& value) {
  if (!is_digit(*p)) {
    return Fail::invalid;
  }
  value = 0;
  bool overflow = false;
  for (; is_digit(*p); ++p) {
    value = value * 10 + static_cast<unsigned>(*p - '0');
    if (value > 1'000'000'000'000ULL) {
      overflow = true;
      value = 1'000'000'000'000ULL;
    }
  }
  return overflow ? Fail::range : Fail::none;
}

// systemd's parse_fractional_part_u with 6 digits: pads, rounds on the 7th digit.
Fail parse_fraction(const char*& p, int& micros) {
  int value = 0;
  int i = 0;
  for (; i < 6; ++i, ++p) {
    if (!is_digit(*p)) {
      if (i == 0) {
        return Fail::invalid;
      }
      break;
    }
    value = value * 10 + (*p - '0');
  }
  for (; i < 6; ++i) {
    value *= 10;
  }
  if (*p >= '5' && *p <= '9') {
    ++value;
  }
  while (is_digit(*p)) {
    ++p;
  }
  micros = value;
  return Fail::none;
}

Fail parse_decimal(const char*& p, bool usec, int& result) {
  unsigned long long value = 0;
  const char* e = p;
  if (const Fail f = parse_number(e, value); f != Fail::none) {
    return f;
  }
  if (usec) {
    value *= usec_per_sec;
    if (e[0] == '.' && e[1] != '.') { // one '.' is a decimal point, ".." a range
      ++e;
      int add = 0;
      if (const Fail f = parse_fraction(e, add); f != Fail::none) {
        return f;
      }
      value += static_cast<unsigned>(add);
    }
  }
  if (value > INT_MAX) {
    return Fail::range;
  }
  p = e;
  result = static_cast<int>(value);
  return Fail::none;
}

// One comma list: "a", "a..b", "a/r", "a..b/r", separated by ','. Prepended like systemd
// (the order does not matter: normalization sorts).
Fail parse_components(const char*& p, bool usec, Chain& chain) {
  for (int nesting = 0;; ++nesting) {
    if (nesting > calendar_max_components) {
      return Fail::no_buffers;
    }
    CalendarComponent c;
    const char* e = p;
    if (const Fail f = parse_decimal(e, usec, c.start); f != Fail::none) {
      return f;
    }
    if (e[0] == '.' && e[1] == '.') {
      e += 2;
      if (const Fail f = parse_decimal(e, usec, c.stop); f != Fail::none) {
        return f;
      }
      c.repeat = usec ? usec_per_sec : 1;
    }
    if (*e == '/') {
      ++e;
      if (const Fail f = parse_decimal(e, usec, c.repeat); f != Fail::none) {
        return f;
      }
      if (c.repeat == 0) {
        return Fail::range;
      }
    }
    if (*e != 0 && std::string_view(" ,-~:").find(*e) == std::string_view::npos) {
      return Fail::invalid;
    }
    chain.push_back(c);
    p = e;
    if (*e != ',') {
      return Fail::none;
    }
    ++p;
  }
}

Fail parse_chain(const char*& p, bool usec, Chain& chain) {
  chain.clear();
  if (*p == '*') {
    if (usec) {
      chain.push_back({0, -1, usec_per_sec});
    }
    ++p;
    return Fail::none;
  }
  return parse_components(p, usec, chain);
}

struct DayName {
  std::string_view name;
  int number;
};
constexpr std::array<DayName, 14> day_names{{{"Monday", 0},
                                             {"Mon", 0},
                                             {"Tuesday", 1},
                                             {"Tue", 1},
                                             {"Wednesday", 2},
                                             {"Wed", 2},
                                             {"Thursday", 3},
                                             {"Thu", 3},
                                             {"Friday", 4},
                                             {"Fri", 4},
                                             {"Saturday", 5},
                                             {"Sat", 5},
                                             {"Sunday", 6},
                                             {"Sun", 6}}};

const DayName* match_day(const char* p) {
  for (const auto& day : day_names) {
    if (starts_with_no_case(p, day.name)) {
      return &day;
    }
  }
  return nullptr;
}

void skip_spaces(const char*& p) {
  while (*p == ' ') {
    ++p;
  }
}

// Leading weekdays: "Mon", "Mon,Wed", "Mon..Fri", "Mon-Fri", "Sat,Sun," (trailing comma).
Fail parse_weekdays(const char*& p, CalendarSpec& c) {
  int open_range = -1;
  for (bool first = true;; first = false) {
    const DayName* day = match_day(p);
    if (day == nullptr) {
      return first ? Fail::none : Fail::invalid; // no weekday: the date follows
    }
    const char after = p[day->name.size()];
    if (after != 0 && std::string_view("-., ").find(after) == std::string_view::npos) {
      return Fail::invalid;
    }
    c.weekdays_bits |= 1 << day->number;
    if (open_range >= 0) {
      if (open_range > day->number) {
        return Fail::invalid;
      }
      for (int j = open_range + 1; j < day->number; ++j) {
        c.weekdays_bits |= 1 << j;
      }
    }
    p += day->name.size();
    if (*p == 0) {
      return Fail::none;
    }
    if (*p == ' ') {
      skip_spaces(p);
      return Fail::none;
    }
    if (*p == '.') {
      if (open_range >= 0 || p[1] != '.') {
        return Fail::invalid;
      }
      open_range = day->number;
      p += 2;
    } else if (*p == '-') { // ranges with '-' for backwards compatibility
      if (open_range >= 0) {
        return Fail::invalid;
      }
      open_range = day->number;
      p += 1;
    } else if (*p == ',') {
      open_range = -1;
      p += 1;
    }
    if (*p == 0 || *p == ' ') { // a trailing comma is fine, an open range is not
      skip_spaces(p);
      return open_range < 0 ? Fail::none : Fail::invalid;
    }
  }
}

void const_chain(Chain& chain, int value) {
  chain.push_back({value, -1, 0});
}

// "@1700000000": seconds since the epoch, in UTC.
Fail parse_timestamp(const char*& p, CalendarSpec& c) {
  unsigned long long value = 0;
  ++p;
  if (const Fail f = parse_number(p, value); f != Fail::none) {
    return f;
  }
  const auto tp = date::sys_seconds{std::chrono::seconds{static_cast<long long>(value)}};
  const auto days = date::floor<date::days>(tp);
  const date::year_month_day ymd{days};
  const date::hh_mm_ss<std::chrono::seconds> hms{tp - days};
  c.utc = true;
  const_chain(c.year, static_cast<int>(ymd.year()));
  const_chain(c.month, static_cast<int>(static_cast<unsigned>(ymd.month())));
  const_chain(c.day, static_cast<int>(static_cast<unsigned>(ymd.day())));
  const_chain(c.hour, static_cast<int>(hms.hours().count()));
  const_chain(c.minute, static_cast<int>(hms.minutes().count()));
  const_chain(c.microsecond, static_cast<int>(hms.seconds().count()) * usec_per_sec);
  return Fail::none;
}

// Returns true when the date part ended the expression (a timestamp).
Fail parse_date(const char*& p, CalendarSpec& c, bool& finished) {
  finished = false;
  if (*p == 0) {
    return Fail::none;
  }
  if (*p == '@') {
    finished = true;
    return parse_timestamp(p, c);
  }
  const char* t = p;
  Chain first, second, third;
  if (const Fail f = parse_chain(t, false, first); f != Fail::none) {
    return f;
  }
  if (*t == 0 || *t == ':') { // that was a time, not a date
    return Fail::none;
  }
  if (*t == '~') {
    c.end_of_month = true;
  } else if (*t != '-') {
    return Fail::invalid;
  }
  ++t;
  if (const Fail f = parse_chain(t, false, second); f != Fail::none) {
    return f;
  }
  if (*t == 0 || *t == ' ') { // month and day
    skip_spaces(t);
    p = t;
    c.month = std::move(first);
    c.day = std::move(second);
    return Fail::none;
  }
  if (c.end_of_month) {
    return Fail::invalid;
  }
  if (*t == '~') {
    c.end_of_month = true;
  } else if (*t != '-') {
    return Fail::invalid;
  }
  ++t;
  if (const Fail f = parse_chain(t, false, third); f != Fail::none) {
    return f;
  }
  if (*t != 0 && *t != ' ') {
    return Fail::invalid;
  }
  skip_spaces(t);
  p = t;
  c.year = std::move(first);
  c.month = std::move(second);
  c.day = std::move(third);
  return Fail::none;
}

Fail parse_time(const char*& p, CalendarSpec& c) {
  Chain h, m, s;
  if (*p == 0) { // no time at all: 00:00:00
    const_chain(h, 0);
    const_chain(m, 0);
    const_chain(s, 0);
  } else {
    if (const Fail f = parse_chain(p, false, h); f != Fail::none) {
      return f;
    }
    if (*p++ != ':') {
      return Fail::invalid;
    }
    if (const Fail f = parse_chain(p, false, m); f != Fail::none) {
      return f;
    }
    if (*p == 0) {
      const_chain(s, 0);
    } else {
      if (*p++ != ':') {
        return Fail::invalid;
      }
      if (const Fail f = parse_chain(p, true, s); f != Fail::none) {
        return f;
      }
      if (*p != 0) {
        return Fail::invalid;
      }
    }
  }
  c.hour = std::move(h);
  c.minute = std::move(m);
  c.microsecond = std::move(s);
  return Fail::none;
}

// The shorthands of calendar_spec_from_string. False when `text` is none of them.
bool apply_shorthand(std::string_view text, CalendarSpec& c) {
  const auto midnight = [&c] {
    const_chain(c.hour, 0);
    const_chain(c.minute, 0);
    const_chain(c.microsecond, 0);
  };
  const auto any = [text](std::initializer_list<std::string_view> names) {
    return std::any_of(names.begin(), names.end(),
                       [text](std::string_view n) { return equal_no_case(text, n); });
  };
  if (any({"minutely"})) {
    const_chain(c.microsecond, 0);
  } else if (any({"hourly"})) {
    const_chain(c.minute, 0);
    const_chain(c.microsecond, 0);
  } else if (any({"daily"})) {
    midnight();
  } else if (any({"monthly"})) {
    const_chain(c.day, 1);
    midnight();
  } else if (any({"annually", "yearly", "anually"})) {
    const_chain(c.month, 1);
    const_chain(c.day, 1);
    midnight();
  } else if (any({"weekly"})) {
    c.weekdays_bits = 1;
    midnight();
  } else if (any({"quarterly"})) {
    for (int month : {1, 4, 7, 10}) {
      const_chain(c.month, month);
    }
    const_chain(c.day, 1);
    midnight();
  } else if (any({"biannually", "bi-annually", "semiannually", "semi-annually"})) {
    const_chain(c.month, 1);
    const_chain(c.month, 7);
    const_chain(c.day, 1);
    midnight();
  } else {
    return false;
  }
  return true;
}

// systemd's verify_timezone character rules, then the tz database.
bool valid_timezone(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.back() == '/' || name.size() > 64) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char ch = name[i];
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '+' &&
        ch != '/') {
      return false;
    }
    if (ch == '/' && i > 0 && name[i - 1] == '/') {
      return false;
    }
  }
  return name == "UTC" || find_time_zone(name).ok();
}

// Splits a trailing " UTC" or " Zone/Name" off `body`.
void take_timezone(std::string& body, CalendarSpec& c) {
  constexpr std::string_view utc = " UTC";
  if (body.size() >= utc.size() &&
      equal_no_case(std::string_view(body).substr(body.size() - utc.size()), utc)) {
    c.utc = true;
    body.resize(body.size() - utc.size());
    return;
  }
  const auto space = body.rfind(' ');
  if (space != std::string::npos && valid_timezone(std::string_view(body).substr(space + 1))) {
    c.timezone = body.substr(space + 1);
    body.resize(space);
  }
}

void fix_year(Chain& chain) {
  for (auto& c : chain) {
    for (int* v : {&c.start, &c.stop}) {
      if (*v >= 0 && *v < 70) {
        *v += 2000;
      } else if (*v >= 70 && *v < 100) {
        *v += 1900;
      }
    }
  }
}

void normalize_chain(Chain& chain) {
  for (auto& c : chain) {
    if (c.stop > c.start && c.repeat > 0) {
      c.stop -= (c.stop - c.start) % c.repeat;
    }
  }
  const auto key = [](const CalendarComponent& c) { return std::tuple(c.start, c.stop, c.repeat); };
  std::sort(chain.begin(), chain.end(),
            [&key](const auto& a, const auto& b) { return key(a) < key(b); });
  chain.erase(std::unique(chain.begin(), chain.end()), chain.end());
}

void normalize(CalendarSpec& c) {
  if (c.timezone == "UTC") {
    c.utc = true;
    c.timezone.clear();
  }
  if (c.weekdays_bits <= 0 || c.weekdays_bits >= bits_weekdays) {
    c.weekdays_bits = -1;
  }
  if (c.end_of_month && c.day.empty()) {
    c.end_of_month = false;
  }
  fix_year(c.year);
  for (Chain* chain : {&c.year, &c.month, &c.day, &c.hour, &c.minute, &c.microsecond}) {
    normalize_chain(*chain);
  }
}

bool chain_valid(const Chain& chain, int from, int to, bool end_of_month) {
  if (end_of_month) {
    to -= 3; // no more than 28 days back from the end of the month
  }
  for (const auto& c : chain) {
    if (c.start < from || c.start > to || c.repeat > to - from) {
      return false;
    }
    if (c.stop >= 0) {
      if (c.stop < from || c.stop > to || c.start + c.repeat > c.stop) {
        return false;
      }
    } else if (end_of_month ? c.start - c.repeat < from : c.start + c.repeat > to) {
      return false;
    }
  }
  return true;
}

bool valid(const CalendarSpec& c) {
  return c.weekdays_bits <= bits_weekdays &&
         chain_valid(c.year, min_year, calendar_max_year, false) &&
         chain_valid(c.month, 1, 12, false) && chain_valid(c.day, 1, 31, c.end_of_month) &&
         chain_valid(c.hour, 0, 23, false) && chain_valid(c.minute, 0, 59, false) &&
         chain_valid(c.microsecond, 0, 60 * usec_per_sec - 1, false);
}

Fail parse_body(std::string& body, CalendarSpec& c) {
  if (body.empty()) {
    return Fail::invalid;
  }
  if (apply_shorthand(body, c)) {
    return Fail::none;
  }
  const char* p = body.c_str();
  if (const Fail f = parse_weekdays(p, c); f != Fail::none) {
    return f;
  }
  bool finished = false;
  if (const Fail f = parse_date(p, c, finished); f != Fail::none) {
    return f;
  }
  if (!finished) {
    if (const Fail f = parse_time(p, c); f != Fail::none) {
      return f;
    }
  }
  return *p == 0 ? Fail::none : Fail::invalid;
}

std::string_view fail_text(Fail f) {
  switch (f) {
  case Fail::range:
    return "Numerical result out of range";
  case Fail::no_buffers:
    return "No buffer space available";
  default:
    return "Invalid argument";
  }
}

void format_weekdays(std::string& out, int bits) {
  static constexpr std::array<std::string_view, 7> days{"Mon", "Tue", "Wed", "Thu",
                                                        "Fri", "Sat", "Sun"};
  bool need_comma = false;
  int l = -1;
  int x = 0;
  for (; x < 7; ++x) {
    if (bits & (1 << x)) {
      if (l < 0) {
        out += need_comma ? "," : "";
        need_comma = true;
        out += days[x];
        l = x;
      }
    } else if (l >= 0) {
      if (x > l + 1) {
        out += x > l + 2 ? ".." : ",";
        out += days[x - 1];
      }
      l = -1;
    }
  }
  if (l >= 0 && x > l + 1) {
    out += x > l + 2 ? ".." : ",";
    out += days[x - 1];
  }
}

void format_chain(std::string& out, int width, const Chain& chain, bool usec) {
  const int d = usec ? usec_per_sec : 1;
  if (chain.empty()) {
    out += '*';
    return;
  }
  if (usec && chain.size() == 1 && chain[0].start == 0 && chain[0].repeat == usec_per_sec &&
      chain[0].stop < 0) {
    out += '*';
    return;
  }
  bool first = true;
  for (const auto& c : chain) {
    out += first ? "" : ",";
    first = false;
    out += fmt::format("{:0{}}", c.start / d, width);
    if (c.start % d > 0) {
      out += fmt::format(".{:06}", c.start % d);
    }
    if (c.stop > 0) {
      out += fmt::format("..{:0{}}", c.stop / d, width);
    }
    if (c.stop % d > 0) {
      out += fmt::format(".{:06}", c.stop % d);
    }
    if (c.repeat > 0 && !(c.stop > 0 && c.repeat == d)) {
      out += fmt::format("/{}", c.repeat / d);
    }
    if (c.repeat % d > 0) {
      out += fmt::format(".{:06}", c.repeat % d);
    }
  }
}

} // namespace

util::Result<CalendarSpec> parse_calendar_spec(std::string_view text) {
  const auto failure = [text](Fail f) {
    const std::string_view shown = text.substr(0, 200);
    return util::Error{
        fmt::format("Failed to parse calendar specification '{}': {}", shown, fail_text(f))};
  };
  if (text.size() > max_text || text.find('\0') != std::string_view::npos) {
    return failure(Fail::invalid);
  }
  CalendarSpec c;
  c.weekdays_bits = 0;
  std::string body(text);
  take_timezone(body, c);
  if (const Fail f = parse_body(body, c); f != Fail::none) {
    return failure(f);
  }
  normalize(c);
  if (!valid(c)) {
    return failure(Fail::invalid);
  }
  return c;
}

std::string normalized_calendar_spec(const CalendarSpec& c) {
  std::string out;
  if (c.weekdays_bits > 0 && c.weekdays_bits <= bits_weekdays) {
    format_weekdays(out, c.weekdays_bits);
    out += ' ';
  }
  format_chain(out, 4, c.year, false);
  out += '-';
  format_chain(out, 2, c.month, false);
  out += c.end_of_month ? '~' : '-';
  format_chain(out, 2, c.day, false);
  out += ' ';
  format_chain(out, 2, c.hour, false);
  out += ':';
  format_chain(out, 2, c.minute, false);
  out += ':';
  format_chain(out, 2, c.microsecond, true);
  if (c.utc) {
    out += " UTC";
  } else if (!c.timezone.empty()) {
    out += ' ';
    out += c.timezone;
  }
  return out;
}

} // namespace digger::cron
