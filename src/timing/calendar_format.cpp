// OnCalendar= normalization, validation and the normalized form: systemd's
// calendar_spec_normalize, calendar_spec_valid and calendar_spec_to_string (calendarspec.c).

#include "digger/timing/calendar_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <tuple>

#include "calendar_detail.hpp"

namespace digger::timing {
namespace {

using Chain = std::vector<CalendarComponent>;
constexpr int usec_per_sec = 1000000;
constexpr int bits_weekdays = 127;
constexpr int min_year = 1970;

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

void normalize_calendar(CalendarSpec& c) {
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

bool calendar_valid(const CalendarSpec& c) {
  return c.weekdays_bits <= bits_weekdays &&
         chain_valid(c.year, min_year, calendar_max_year, false) &&
         chain_valid(c.month, 1, 12, false) && chain_valid(c.day, 1, 31, c.end_of_month) &&
         chain_valid(c.hour, 0, 23, false) && chain_valid(c.minute, 0, 59, false) &&
         chain_valid(c.microsecond, 0, 60 * usec_per_sec - 1, false);
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

} // namespace digger::timing
