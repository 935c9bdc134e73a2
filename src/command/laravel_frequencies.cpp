// Laravel's frequency methods, exactly as Illuminate\Console\Scheduling\ManagesFrequencies
// computes them: every method splices values into positions of the 5-field expression
// (default "* * * * *"), in the order of the chain. Other chained methods are conditions,
// options or unknown (laravel_values.hpp).
#include "digger/util/ascii.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "laravel_values.hpp"

namespace digger::command::laravel {
namespace {

using Args = std::vector<std::optional<Value>>;

struct Fixed {
  std::string_view name;
  int position; // 1..5
  std::string_view value;
};

// Methods that splice one fixed value (everyMinute: position 1, '*').
constexpr std::array<Fixed, 9> fixed_minutes{{{"everyMinute", 1, "*"},
                                              {"everyTwoMinutes", 1, "*/2"},
                                              {"everyThreeMinutes", 1, "*/3"},
                                              {"everyFourMinutes", 1, "*/4"},
                                              {"everyFiveMinutes", 1, "*/5"},
                                              {"everyTenMinutes", 1, "*/10"},
                                              {"everyFifteenMinutes", 1, "*/15"},
                                              {"everyThirtyMinutes", 1, "*/30"},
                                              {"hourly", 1, "0"}}};

// hourBasedSchedule($offset, HOURS) with `$offset = 0` by default.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> hour_steps{
    {{"everyOddHour", "1-23/2"},
     {"everyEvenHour", "0-22/2"},
     {"everyTwoHours", "*/2"},
     {"everyThreeHours", "*/3"},
     {"everyFourHours", "*/4"},
     {"everySixHours", "*/6"}}};

// Day-of-week methods: days(Schedule::MONDAY) ... (Schedule::SUNDAY = 0).
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> day_methods{
    {{"weekdays", "1-5"},
     {"weekends", "6,0"},
     {"mondays", "1"},
     {"tuesdays", "2"},
     {"wednesdays", "3"},
     {"thursdays", "4"},
     {"fridays", "5"},
     {"saturdays", "6"},
     {"sundays", "0"}}};

constexpr std::array<std::pair<std::string_view, int>, 7> second_methods{
    {{"everySecond", 1},
     {"everyTwoSeconds", 2},
     {"everyFiveSeconds", 5},
     {"everyTenSeconds", 10},
     {"everyFifteenSeconds", 15},
     {"everyTwentySeconds", 20},
     {"everyThirtySeconds", 30}}};

// Chained methods that change neither when nor whether the task runs.
// clang-format off
constexpr std::array<std::string_view, 24> harmless{
    "sendOutputTo", "appendOutputTo", "emailOutputTo", "emailWrittenOutputTo",
    "emailOutputOnFailure", "storeOutput", "before", "after", "then", "thenWithOutput",
    "onSuccess", "onFailure", "onSuccessWithOutput", "onFailureWithOutput", "pingBefore",
    "thenPing", "pingBeforeIf", "thenPingIf", "pingOnSuccess", "pingOnFailure",
    "pingOnSuccessIf", "pingOnFailureIf", "purpose", "preventOverlapsUsing"};
// clang-format on

constexpr std::array<std::string_view, 4> flag_options{"withoutOverlapping", "onOneServer",
                                                       "runInBackground", "evenInMaintenanceMode"};

class Applier {
public:
  Applier(LaravelTask& task, std::vector<std::string>& fields, const std::string& name,
          const Args& args)
      : task_(task), fields_(fields), name_(name), args_(args) {}

  // The argument at `i` as PHP's string, its default when absent; nullopt: not static.
  std::optional<std::string> arg(std::size_t i, std::optional<std::string_view> fallback) {
    if (i >= args_.size()) {
      if (!fallback) {
        unknown("a required argument is missing");
      }
      return fallback ? std::optional<std::string>(*fallback) : std::nullopt;
    }
    if (!args_[i]) {
      unknown("an argument is not a literal");
      return std::nullopt;
    }
    auto text = implode(*args_[i]);
    if (!text) {
      unknown("an argument is a nested array");
    }
    return text;
  }

  void unknown(std::string_view why) {
    fields_.clear();
    task_.expression.clear();
    task_.unresolved.push_back(fmt::format("{}(): {}; the schedule is not known", name_, why));
  }

  // spliceIntoPosition: PHP assigns $segments[$position - 1] (appending past the end).
  void splice(int position, std::string_view value) {
    if (fields_.empty()) {
      return; // not static any more
    }
    auto index = static_cast<std::size_t>(position - 1);
    if (index < fields_.size()) {
      fields_[index] = std::string(value);
    } else {
      fields_.emplace_back(value);
    }
  }

  void hour_based(const std::optional<std::string>& minutes,
                  const std::optional<std::string>& hours) {
    if (!minutes || !hours) {
      return;
    }
    splice(1, *minutes);
    splice(2, *hours);
  }

  // dailyAt($time): explode(':'), minute (int) of the second piece when there are exactly
  // two, else '0'; hour (int) of the first.
  void daily_at(const std::optional<std::string>& time) {
    if (!time) {
      return;
    }
    std::vector<std::string_view> pieces;
    std::string_view rest = *time;
    for (;;) {
      auto colon = rest.find(':');
      pieces.push_back(rest.substr(0, colon));
      if (colon == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(colon + 1);
    }
    auto hour = php_int(pieces[0]);
    auto minute = pieces.size() == 2 ? php_int(pieces[1]) : std::optional<long long>(0);
    if (!hour || !minute) {
      unknown("a time this reader does not convert like PHP");
      return;
    }
    hour_based(pieces.size() == 2 ? std::to_string(*minute) : "0", std::to_string(*hour));
  }

  // days($days): an array is imploded, else every argument.
  void days() {
    std::string joined;
    for (std::size_t i = 0; i < args_.size(); ++i) {
      auto text = arg(i, std::nullopt);
      if (!text) {
        return;
      }
      joined += (i == 0 ? "" : ",") + *text;
    }
    if (args_.empty()) {
      unknown("no day given");
      return;
    }
    splice(5, joined);
  }

  bool frequency();
  bool condition_or_option();

private:
  LaravelTask& task_;
  std::vector<std::string>& fields_;
  const std::string& name_;
  const Args& args_;
};

bool Applier::frequency() {
  for (const auto& f : fixed_minutes) {
    if (name_ == f.name) {
      splice(f.position, f.value);
      return true;
    }
  }
  for (auto [method, seconds] : second_methods) {
    if (name_ == method) {
      task_.repeat_seconds = seconds;
      splice(1, "*");
      return true;
    }
  }
  for (auto [method, hours] : hour_steps) {
    if (name_ == method) {
      hour_based(arg(0, "0"), std::string(hours));
      return true;
    }
  }
  for (auto [method, days] : day_methods) {
    if (name_ == method) {
      splice(5, days);
      return true;
    }
  }
  if (name_ == "cron") {
    auto text = arg(0, std::nullopt);
    if (text && !fields_.empty()) {
      fields_.clear(); // preg_split('/\s+/') of the new expression
      std::string_view rest = util::trim(*text);
      while (!rest.empty()) {
        auto end = std::find_if(rest.begin(), rest.end(), util::is_space) - rest.begin();
        fields_.emplace_back(rest.substr(0, static_cast<std::size_t>(end)));
        rest = util::trim(rest.substr(static_cast<std::size_t>(end)));
      }
      if (fields_.empty()) {
        unknown("an empty expression");
      }
    } else if (text) {
      unknown("an expression after a schedule that is not known");
    }
  } else if (name_ == "hourlyAt") {
    hour_based(arg(0, std::nullopt), "*");
  } else if (name_ == "daily") {
    hour_based("0", "0");
  } else if (name_ == "at" || name_ == "dailyAt") {
    daily_at(arg(0, std::nullopt));
  } else if (name_ == "twiceDaily" || name_ == "twiceDailyAt") {
    auto first = arg(0, "1"), second = arg(1, "13");
    auto offset = name_ == "twiceDailyAt" ? arg(2, "0") : std::optional<std::string>("0");
    if (first && second) {
      hour_based(offset, *first + "," + *second);
    }
  } else if (name_ == "weekly") {
    splice(1, "0"), splice(2, "0"), splice(5, "0");
  } else if (name_ == "weeklyOn") {
    auto day = arg(0, std::nullopt);
    daily_at(arg(1, "0:0"));
    if (day) {
      splice(5, *day);
    }
  } else if (name_ == "monthly") {
    splice(1, "0"), splice(2, "0"), splice(3, "1");
  } else if (name_ == "monthlyOn" || name_ == "twiceMonthly") {
    const bool twice = name_ == "twiceMonthly";
    auto first = arg(0, "1");
    auto second = twice ? arg(1, "16") : std::optional<std::string>("");
    daily_at(arg(twice ? 2 : 1, "0:0"));
    if (first && second) {
      splice(3, twice ? *first + "," + *second : *first);
    }
  } else if (name_ == "lastDayOfMonth") {
    daily_at(arg(0, "0:0"));
    unknown("Laravel puts the last day of the month it runs in (28 to 31)");
  } else if (name_ == "quarterly") {
    splice(1, "0"), splice(2, "0"), splice(3, "1"), splice(4, "1-12/3");
  } else if (name_ == "quarterlyOn") {
    auto day = arg(0, "1");
    daily_at(arg(1, "0:0"));
    if (day) {
      splice(3, *day), splice(4, "1-12/3");
    }
  } else if (name_ == "yearly") {
    splice(1, "0"), splice(2, "0"), splice(3, "1"), splice(4, "1");
  } else if (name_ == "yearlyOn") {
    auto month = arg(0, "1"), day = arg(1, "1");
    daily_at(arg(2, "0:0"));
    if (month && day) {
      splice(3, *day), splice(4, *month);
    }
  } else if (name_ == "days") {
    days();
  } else {
    return false;
  }
  return true;
}

// A scalar argument as text for a condition or option, "..." when not a literal.
std::string shown(const Args& args, std::size_t i) {
  if (i >= args.size()) {
    return "";
  }
  auto text = args[i] ? implode(*args[i]) : std::nullopt;
  return text ? *text : "...";
}

bool Applier::condition_or_option() {
  if (name_ == "timezone" || name_ == "user") {
    auto text = args_.empty() || !args_[0] ? std::nullopt : implode(*args_[0]);
    if (!text) {
      task_.unresolved.push_back(fmt::format("{}(): not a literal", name_));
    } else {
      (name_ == "timezone" ? task_.timezone : task_.user) = *text;
    }
  } else if (name_ == "between" || name_ == "unlessBetween") {
    task_.conditions.push_back(fmt::format("{}between {} and {}",
                                           name_ == "between" ? "" : "unless ", shown(args_, 0),
                                           shown(args_, 1)));
  } else if (name_ == "environments") {
    std::string list;
    for (std::size_t i = 0; i < args_.size(); ++i) {
      list += (i == 0 ? "" : ",") + shown(args_, i);
    }
    task_.conditions.push_back("environments " + list);
  } else if (name_ == "when" || name_ == "skip") {
    task_.conditions.push_back(name_ + "(...): decided by the application when it runs");
  } else if (name_ == "name" || name_ == "description") {
    task_.description = shown(args_, 0);
  } else if (std::find(flag_options.begin(), flag_options.end(), name_) != flag_options.end()) {
    if (std::find(task_.options.begin(), task_.options.end(), name_) == task_.options.end()) {
      task_.options.push_back(name_);
    }
  } else {
    return std::find(harmless.begin(), harmless.end(), name_) != harmless.end();
  }
  return true;
}

} // namespace

bool is_frequency(std::string_view name) {
  static constexpr std::array<std::string_view, 20> others{
      "cron",       "hourlyAt",     "daily",          "at",          "dailyAt",
      "twiceDaily", "twiceDailyAt", "weekly",         "weeklyOn",    "monthly",
      "monthlyOn",  "twiceMonthly", "lastDayOfMonth", "quarterly",   "quarterlyOn",
      "yearly",     "yearlyOn",     "days",           "everyMinute", "hourly"};
  auto in = [&](const auto& table) {
    return std::any_of(table.begin(), table.end(),
                       [&](const auto& row) { return std::string_view(row.first) == name; });
  };
  return std::find(others.begin(), others.end(), name) != others.end() ||
         std::any_of(fixed_minutes.begin(), fixed_minutes.end(),
                     [&](const Fixed& f) { return f.name == name; }) ||
         in(hour_steps) || in(day_methods) || in(second_methods);
}

void apply_method(LaravelTask& task, std::vector<std::string>& fields, const std::string& name,
                  const std::vector<std::optional<Value>>& args) {
  Applier applier(task, fields, name, args);
  if (applier.frequency() || applier.condition_or_option()) {
    return;
  }
  task.unresolved.push_back(fmt::format("{}(): a method this reader does not know", name));
}

std::optional<long long> php_int(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (util::is_space(text[i]))) {
    ++i;
  }
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i++] == '-';
  }
  long long value = 0;
  std::size_t digits = 0;
  for (; i < text.size() && util::is_digit(text[i]) && digits < 18; ++i, ++digits) {
    value = value * 10 + (text[i] - '0');
  }
  if (digits >= 18 || (i < text.size() && (text[i] == 'e' || text[i] == 'E'))) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

std::optional<std::string> implode(const Value& value) {
  if (!value.array) {
    return value.text;
  }
  std::string out;
  for (std::size_t i = 0; i < value.items.size(); ++i) {
    if (value.items[i].value.array) {
      return std::nullopt;
    }
    out += (i == 0 ? "" : ",") + value.items[i].value.text;
  }
  return out;
}

} // namespace digger::command::laravel
