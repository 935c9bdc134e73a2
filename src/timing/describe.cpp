#include "digger/timing/describe.hpp"

#include "digger/timing/next_runs.hpp"
#include "digger/util/runs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <vector>

namespace digger::timing {
namespace {

using Values = std::vector<int>;
using Namer = std::function<std::string(int)>;

constexpr std::array<const char*, 8> weekday_names = {"Sunday",   "Monday", "Tuesday",  "Wednesday",
                                                      "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<const char*, 13> month_names = {
    "",     "January", "February",  "March",   "April",    "May",     "June",
    "July", "August",  "September", "October", "November", "December"};

template <std::size_t N>
Values values_of(const std::bitset<N>& bits, int low, int high) {
  Values values;
  for (int v = low; v <= high; ++v) {
    if (bits.test(static_cast<std::size_t>(v))) {
      values.push_back(v);
    }
  }
  return values;
}

struct Progression {
  int first;
  int step;
  int last;
};

// Evenly spaced values with a step of 2 or more ("*/2", "9-17/2"), at least `min_size` long.
std::optional<Progression> progression_of(const Values& values, std::size_t min_size = 3) {
  if (values.size() < std::max<std::size_t>(min_size, 2)) {
    return std::nullopt;
  }
  const int step = values[1] - values[0];
  for (std::size_t i = 2; i < values.size(); ++i) {
    if (values[i] - values[i - 1] != step) {
      return std::nullopt;
    }
  }
  if (step < 2) {
    return std::nullopt;
  }
  return Progression{values.front(), step, values.back()};
}

std::string join_words(const std::vector<std::string>& words, const char* conjunction) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) {
      out += i + 1 == words.size() ? fmt::format(" {} ", conjunction) : ", ";
    }
    out += words[i];
  }
  return out;
}

// "1 through 7, 10 and 15": runs of three or more consecutive values become ranges.
std::string list_phrase(const Values& values, const Namer& name, const char* conjunction = "and") {
  std::vector<std::string> words;
  for (const auto& run : util::consecutive_runs(values)) {
    if (run.last - run.first >= 2) {
      words.push_back(fmt::format("{} through {}", name(run.first), name(run.last)));
    } else {
      for (int value = run.first; value <= run.last; ++value) {
        words.push_back(name(value));
      }
    }
  }
  return join_words(words, conjunction);
}

std::string number(int v) {
  return std::to_string(v);
}

std::string ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  }
  return fmt::format("{}{}", n, suffix);
}

std::string clock(int hour, int minute) {
  return fmt::format("{:02}:{:02}", hour, minute);
}

std::string times_list(const Values& hours, const Values& minutes) {
  std::vector<std::string> words;
  for (int h : hours) {
    for (int m : minutes) {
      words.push_back(clock(h, m));
    }
  }
  return "At " + join_words(words, "and");
}

std::string hour_phrase(const Values& hours) {
  if (hours.size() == 24) {
    return "every hour";
  }
  if (hours.size() == 1) {
    return fmt::format("hour {}", hours[0]);
  }
  if (auto p = progression_of(hours)) {
    return fmt::format("every {} hour from {} through {}", ordinal(p->step), p->first, p->last);
  }
  return "hours " + list_phrase(hours, number);
}

// Minute phrases say whether they read "Every ..." (joined with "during"/"of") or "At ...".
struct MinutePhrase {
  std::string text;
  bool every;
};

MinutePhrase minute_phrase(const Values& minutes) {
  if (auto p = progression_of(minutes, 2);
      p && p->first == 0 && 60 % p->step == 0 && p->last + p->step == 60) {
    return {fmt::format("Every {} minutes", p->step), true};
  }
  if (auto p = progression_of(minutes)) {
    return {fmt::format("Every {} minutes from minute {} through {}", p->step, p->first, p->last),
            true};
  }
  return {"At minutes " + list_phrase(minutes, number), false};
}

std::string single_minute_phrase(int minute, const Values& hours) {
  if (hours.size() == 24) {
    return fmt::format("At minute {} past every hour", minute);
  }
  if (auto p = progression_of(hours)) {
    return fmt::format("Every {} hours from {} through {}", p->step, clock(p->first, minute),
                       clock(p->last, minute));
  }
  if (hours.size() >= 3 && hours.back() - hours.front() + 1 == static_cast<int>(hours.size())) {
    return fmt::format("Every hour from {} through {}", clock(hours.front(), minute),
                       clock(hours.back(), minute));
  }
  if (hours.size() <= 6) {
    return times_list(hours, {minute});
  }
  return fmt::format("At minute {} past {}", minute, hour_phrase(hours));
}

std::string time_phrase(const Values& minutes, const Values& hours) {
  if (minutes.size() == 60) {
    return hours.size() == 24 ? "Every minute" : "Every minute during " + hour_phrase(hours);
  }
  if (minutes.size() == 1) {
    return single_minute_phrase(minutes[0], hours);
  }
  const MinutePhrase phrase = minute_phrase(minutes);
  if (hours.size() == 24) {
    const bool whole_hour = phrase.text.find(" from ") == std::string::npos;
    return phrase.every ? (whole_hour ? phrase.text : phrase.text + " of every hour")
                        : phrase.text + " past every hour";
  }
  if (minutes.size() * hours.size() <= 6) {
    return times_list(hours, minutes);
  }
  return phrase.text + (phrase.every ? " during " : " past ") + hour_phrase(hours);
}

std::string day_of_month_phrase(const Values& days) {
  if (auto p = progression_of(days)) {
    if (p->first == 1 && p->last + p->step > 31) {
      return fmt::format("every {} day-of-month", ordinal(p->step));
    }
    return fmt::format("every {} day-of-month from {} through {}", ordinal(p->step), p->first,
                       p->last);
  }
  return "day-of-month " + list_phrase(days, number);
}

std::size_t run_count(const Values& values) {
  std::size_t runs = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    runs += i == 0 || values[i] != values[i - 1] + 1 ? 1 : 0;
  }
  return runs;
}

// Weekdays read best in whichever week order gives fewer runs: "Saturday and Sunday" from
// Monday-first, "Sunday through Tuesday" from Sunday-first (cron's numbering, kept on a tie).
std::string weekday_phrase(const Values& days, const char* conjunction) {
  Values monday_first;
  for (int d : days) {
    monday_first.push_back(d == 0 ? 7 : d);
  }
  std::sort(monday_first.begin(), monday_first.end());
  const Namer name = [](int d) { return std::string{weekday_names[static_cast<std::size_t>(d)]}; };
  return list_phrase(run_count(monday_first) < run_count(days) ? monday_first : days, name,
                     conjunction);
}

std::string day_phrase(const crontab::Schedule& s) {
  const Values doms = values_of(s.days_of_month, 1, 31);
  const Values dows = values_of(s.days_of_week, 0, 6);
  const bool all_doms = doms.size() == 31;
  const bool all_dows = dows.size() == 7;
  if (s.dom_star || s.dow_star) {
    if (all_doms && all_dows) {
      return "";
    }
    if (all_dows) {
      return " on " + day_of_month_phrase(doms);
    }
    if (all_doms) {
      return " on " + weekday_phrase(dows, "and");
    }
    return fmt::format(" on {} if it is {}{}", day_of_month_phrase(doms),
                       dows.size() == 1 ? "a " : "", weekday_phrase(dows, "or"));
  }
  if (all_doms || all_dows) {
    return ""; // OR with an unrestricted side: every day
  }
  if (doms.empty()) {
    return " on " + weekday_phrase(dows, "and");
  }
  if (dows.empty()) {
    return " on " + day_of_month_phrase(doms);
  }
  return fmt::format(" on {}, or on {}", day_of_month_phrase(doms), weekday_phrase(dows, "and"));
}

std::string month_phrase(const crontab::Schedule& s) {
  const Values months = values_of(s.months, 1, 12);
  if (months.size() == 12) {
    return "";
  }
  return " in " +
         list_phrase(months, [](int m) { return month_names[static_cast<std::size_t>(m)]; });
}

bool has_empty_field(const crontab::Schedule& s) {
  const bool no_dom = s.days_of_month.none();
  const bool no_dow = (s.days_of_week.to_ulong() & 0x7FU) == 0;
  const bool no_day = (s.dom_star || s.dow_star) ? no_dom || no_dow : no_dom && no_dow;
  return s.minutes.none() || s.hours.none() || s.months.none() || no_day;
}

} // namespace

std::string describe(const crontab::Schedule& s) {
  if (s.is_reboot()) {
    return "At reboot";
  }
  if (!can_ever_fire(s)) {
    return has_empty_field(s) ? "Never (reversed range)" : "Never (no such date)";
  }
  std::string text = time_phrase(values_of(s.minutes, 0, 59), values_of(s.hours, 0, 23)) +
                     day_phrase(s) + month_phrase(s);
  if (s.randomized) {
    text += " (randomized: cron picks one value of each ~ range when it loads the file)";
  }
  return text;
}

} // namespace digger::timing
