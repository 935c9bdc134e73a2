// Plain-English reading of an OnCalendar= spec, from the parsed (normalized) components.

#include "digger/timing/calendar_spec.hpp"

#include <fmt/format.h>

#include <array>

namespace digger::timing {
namespace {

using Chain = std::vector<CalendarComponent>;
constexpr int usec_per_sec = 1000000;

constexpr std::array<std::string_view, 7> weekday_names{
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> month_names{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += i == 0 ? "" : (i + 1 == items.size() ? " and " : ", ");
    out += items[i];
  }
  return out;
}

std::string ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                       : n % 10 == 1              ? "st"
                       : n % 10 == 2              ? "nd"
                       : n % 10 == 3              ? "rd"
                                                  : "th";
  return fmt::format("{}{}", n, suffix);
}

std::string seconds_text(int micros) {
  if (micros % usec_per_sec == 0) {
    return fmt::format("{:02}", micros / usec_per_sec);
  }
  std::string fraction = fmt::format("{:06}", micros % usec_per_sec);
  fraction.erase(fraction.find_last_not_of('0') + 1);
  return fmt::format("{:02}.{}", micros / usec_per_sec, fraction);
}

using Namer = std::string (*)(int);

// "5", "9 through 17", "every 15 from 0", "every 2 from 1 through 11".
std::string component_text(const CalendarComponent& c, Namer name, std::string_view unit) {
  const bool range = c.stop >= 0;
  const bool step_one = c.repeat == (unit == "seconds" ? usec_per_sec : 1);
  if (!range && c.repeat == 0) {
    return name(c.start);
  }
  if (range && step_one) {
    return fmt::format("{} through {}", name(c.start), name(c.stop));
  }
  const int shown_repeat = unit == "seconds" ? c.repeat / usec_per_sec : c.repeat;
  std::string text = fmt::format("every {} {} from {}", shown_repeat, unit, name(c.start));
  if (range) {
    text += fmt::format(" through {}", name(c.stop));
  }
  return text;
}

std::string chain_text(const Chain& chain, Namer name, std::string_view unit) {
  std::vector<std::string> parts;
  for (const auto& c : chain) {
    parts.push_back(component_text(c, name, unit));
  }
  return join(parts);
}

bool single(const Chain& chain) {
  return chain.size() == 1 && chain[0].stop < 0 && chain[0].repeat == 0;
}

std::string plain(int v) {
  return std::to_string(v);
}
std::string two_digits(int v) {
  return fmt::format("{:02}", v);
}
std::string month_name(int v) {
  return std::string(month_names.at(static_cast<std::size_t>(v - 1)));
}
std::string seconds_name(int v) {
  return seconds_text(v);
}

std::string weekdays_text(int bits) {
  std::vector<std::string> parts;
  for (int d = 0; d < 7;) {
    if (!(bits & (1 << d))) {
      ++d;
      continue;
    }
    int e = d;
    while (e + 1 < 7 && (bits & (1 << (e + 1)))) {
      ++e;
    }
    if (e - d >= 2) {
      parts.push_back(fmt::format("{} through {}", weekday_names[d], weekday_names[e]));
    } else {
      for (int k = d; k <= e; ++k) {
        parts.emplace_back(weekday_names[k]);
      }
    }
    d = e + 1;
  }
  return join(parts);
}

std::string days_text(const CalendarSpec& s) {
  if (s.day.empty()) {
    return "";
  }
  if (!s.end_of_month) {
    return "on day " + chain_text(s.day, plain, "days") + " of the month";
  }
  std::vector<std::string> parts;
  for (const auto& c : s.day) {
    const auto back = [](int n) {
      return n == 1 ? std::string("the last day") : ordinal(n) + " last day";
    };
    if (c.stop < 0 && c.repeat == 0) {
      parts.push_back(back(c.start));
    } else if (c.stop >= 0 && c.repeat == 1) {
      parts.push_back(fmt::format("{} through the {}", back(c.stop), back(c.start)));
    } else {
      parts.push_back(fmt::format("every {} days from the {}", c.repeat, back(c.start)));
    }
  }
  return "on " + join(parts) + " of the month";
}

std::string date_text(const CalendarSpec& s) {
  std::vector<std::string> parts;
  if (s.weekdays_bits > 0 && s.weekdays_bits < 127) {
    parts.push_back("on " + weekdays_text(s.weekdays_bits));
  }
  if (const auto days = days_text(s); !days.empty()) {
    parts.push_back(days);
  }
  if (!s.month.empty()) {
    parts.push_back("in " + chain_text(s.month, month_name, "months"));
  }
  if (!s.year.empty()) {
    parts.push_back("in " + chain_text(s.year, plain, "years"));
  }
  if (parts.empty()) {
    return "";
  }
  std::string out;
  for (const auto& p : parts) {
    out += (out.empty() ? "" : ", ") + p;
  }
  return out;
}

bool every_second(const Chain& seconds) {
  return seconds.size() == 1 && seconds[0].start == 0 && seconds[0].stop < 0 &&
         seconds[0].repeat == usec_per_sec;
}

std::string minutes_text(const Chain& minutes) {
  if (minutes.empty()) {
    return "every minute";
  }
  if (minutes.size() == 1 && minutes[0].start == 0 && minutes[0].stop < 0 &&
      minutes[0].repeat > 0) {
    return fmt::format("every {} minutes", minutes[0].repeat);
  }
  return "at minute " + chain_text(minutes, two_digits, "minutes");
}

// "at 02:30", "every 15 minutes", "every hour at minute 05", "at minute 00 during hour 08
// through 18", "every second".
std::string time_text(const CalendarSpec& s) {
  const bool zero_seconds = single(s.microsecond) && s.microsecond[0].start == 0;
  if (single(s.hour) && single(s.minute) && single(s.microsecond)) {
    std::string hm = fmt::format("at {:02}:{:02}", s.hour[0].start, s.minute[0].start);
    return zero_seconds ? hm : hm + ":" + seconds_text(s.microsecond[0].start);
  }
  std::string text;
  if (every_second(s.microsecond)) {
    text = s.minute.empty() ? "every second" : "every second of " + minutes_text(s.minute);
  } else {
    std::string minutes = minutes_text(s.minute);
    if (s.hour.empty() && single(s.minute)) {
      minutes = "every hour " + minutes;
    }
    text = zero_seconds
               ? minutes
               : "at second " + chain_text(s.microsecond, seconds_name, "seconds") + ", " + minutes;
  }
  if (!s.hour.empty()) {
    const std::string hours = chain_text(s.hour, two_digits, "hours");
    text += (hours.rfind("every", 0) == 0 ? " " : " during hour ") + hours;
  }
  return text;
}

} // namespace

std::string describe_calendar_spec(const CalendarSpec& s) {
  const std::string date = date_text(s);
  const std::string time = time_text(s);
  std::string text;
  if (date.empty()) {
    text = time.rfind("every", 0) == 0 ? time : "every day " + time;
  } else {
    text = date + " " + time;
  }
  text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  if (s.utc) {
    text += " UTC";
  } else if (!s.timezone.empty()) {
    text += " (" + s.timezone + " time)";
  }
  return text;
}

} // namespace digger::timing
