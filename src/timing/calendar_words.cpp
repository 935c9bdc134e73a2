// The words of an OnCalendar= expression: weekday names, shorthands ("daily") and the
// trailing time zone, as systemd's calendar_spec_from_string reads them.

#include "digger/timing/calendar_spec.hpp"
#include "digger/timing/next_runs.hpp"
#include "digger/util/ascii.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>

#include "calendar_detail.hpp"

namespace digger::timing {
namespace {

using Chain = std::vector<CalendarComponent>;

bool starts_with_no_case(const char* p, std::string_view prefix) {
  for (char want : prefix) {
    if (*p == 0 || util::lower(*p) != util::lower(want)) {
      return false;
    }
    ++p;
  }
  return true;
}

bool equal_no_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return util::lower(x) == util::lower(y);
         });
}

void skip_spaces(const char*& p) {
  while (*p == ' ') {
    ++p;
  }
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

} // namespace

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

namespace {

// The shorthands of calendar_spec_from_string. False when `text` is none of them.
} // namespace

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

namespace {

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

} // namespace

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

} // namespace digger::timing
