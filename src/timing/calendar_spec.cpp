// OnCalendar= parsing and normalized form: a port of systemd's calendar_spec_from_string,
// calendar_spec_normalize, calendar_spec_valid and calendar_spec_to_string
// (src/shared/calendarspec.c), so that Digger and systemd-analyze read a timer alike.

#include "digger/timing/calendar_spec.hpp"

#include <climits>
#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

#include "calendar_detail.hpp"

namespace digger::timing {
namespace {

constexpr int usec_per_sec = 1000000;
constexpr std::size_t max_text = 4096; // a unit-file value; longer text is not a calendar

using Chain = std::vector<CalendarComponent>;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
void skip_spaces(const char*& p) {
  while (*p == ' ') {
    ++p;
  }
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

} // namespace

void const_chain(std::vector<CalendarComponent>& chain, int value) {
  chain.push_back({value, -1, 0});
}

namespace {

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
  normalize_calendar(c);
  if (!calendar_valid(c)) {
    return failure(Fail::invalid);
  }
  return c;
}

} // namespace digger::timing
