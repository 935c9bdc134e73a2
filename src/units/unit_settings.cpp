// What Digger reads from [Timer] and [Service]: the settings systemd's load fragment parser
// (src/core/load-fragment.c) gives these keys, and systemd.time(7) time spans.

#include "digger/timing/calendar_spec.hpp"
#include "digger/units/unit_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

namespace digger::units {
namespace {

constexpr std::array<std::string_view, 6> trigger_keys{"OnCalendar",      "OnBootSec",
                                                       "OnStartupSec",    "OnActiveSec",
                                                       "OnUnitActiveSec", "OnUnitInactiveSec"};

std::string last_value(const UnitFile& file, std::string_view section, std::string_view key) {
  const UnitEntry* e = file.last(section, key);
  return e == nullptr ? std::string() : e->value;
}

bool last_boolean(const UnitFile& file, std::string_view section, std::string_view key) {
  const UnitEntry* e = file.last(section, key);
  return e != nullptr && parse_unit_boolean(e->value).value_or(false);
}

// ExecStart= prefixes: '-' ignore failure, '@' argv[0], ':' no substitution, '+' '!' '!!'
// privileges. They may be combined ("-@"), and come before the path.
std::string strip_exec_prefixes(std::string_view value) {
  const auto first = value.find_first_not_of("-@:+!");
  return first == std::string_view::npos ? std::string() : std::string(value.substr(first));
}

// extract_first_word with EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE, enough for Environment=.
std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    if (i >= text.size()) {
      break;
    }
    std::string word;
    char quote = 0;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (quote == 0 && std::isspace(static_cast<unsigned char>(c))) {
        break;
      }
      if (c == '\\' && i + 1 < text.size()) {
        word += text[++i];
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    }
    words.push_back(std::move(word));
  }
  return words;
}

bool valid_env_name(std::string_view name) {
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
         });
}

crontab::EnvironmentList read_environment(const UnitFile& file) {
  crontab::EnvironmentList env;
  for (const UnitEntry* e : file.all("Service", "Environment")) {
    for (const auto& word : split_words(e->value)) {
      const auto eq = word.find('=');
      if (eq != std::string::npos && valid_env_name(std::string_view(word).substr(0, eq))) {
        env.set({word.substr(0, eq), word.substr(eq + 1)});
      }
    }
  }
  return env;
}

struct Unit {
  std::string_view suffix;
  double seconds;
};
// systemd's parse_time table, in its order: the first suffix that matches wins.
constexpr std::array<Unit, 27> units{
    {{"seconds", 1},     {"second", 1},    {"sec", 1},     {"s", 1},
     {"minutes", 60},    {"minute", 60},   {"min", 60},    {"months", 2629800},
     {"month", 2629800}, {"M", 2629800},   {"msec", 1e-3}, {"ms", 1e-3},
     {"m", 60},          {"hours", 3600},  {"hour", 3600}, {"hr", 3600},
     {"h", 3600},        {"days", 86400},  {"day", 86400}, {"d", 86400},
     {"weeks", 604800},  {"week", 604800}, {"w", 604800},  {"years", 31557600},
     {"year", 31557600}, {"y", 31557600},  {"usec", 1e-6}}};

std::optional<double> take_unit(std::string_view& rest) {
  for (const auto& u : units) {
    if (rest.substr(0, u.suffix.size()) == u.suffix) {
      rest.remove_prefix(u.suffix.size());
      return u.seconds;
    }
  }
  for (std::string_view micro : {"us", "\xC2\xB5s", "\xCE\xBCs"}) {
    if (rest.substr(0, micro.size()) == micro) {
      rest.remove_prefix(micro.size());
      return 1e-6;
    }
  }
  return std::nullopt;
}

void skip_space(std::string_view& s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
}

std::optional<double> take_number(std::string_view& rest) {
  std::size_t n = 0;
  while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n]))) {
    ++n;
  }
  if (n < rest.size() && rest[n] == '.') {
    ++n;
    while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n]))) {
      ++n;
    }
  }
  if (n == 0 || rest.substr(0, n) == ".") {
    return std::nullopt;
  }
  const double value = std::strtod(std::string(rest.substr(0, n)).c_str(), nullptr);
  rest.remove_prefix(n);
  return value;
}

} // namespace

std::optional<bool> parse_unit_boolean(std::string_view text) {
  std::string lower;
  for (char c : text) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (std::string_view yes : {"1", "yes", "y", "true", "t", "on"}) {
    if (lower == yes) {
      return true;
    }
  }
  for (std::string_view no : {"0", "no", "n", "false", "f", "off"}) {
    if (lower == no) {
      return false;
    }
  }
  return std::nullopt;
}

TimerUnit read_timer(const UnitFile& file) {
  TimerUnit timer;
  for (const auto& e : file.entries) {
    if (e.section != "Timer" ||
        std::find(trigger_keys.begin(), trigger_keys.end(), e.key) == trigger_keys.end()) {
      continue;
    }
    if (e.value.empty()) {
      timer.triggers.clear(); // any empty trigger assignment resets every trigger
    } else {
      timer.triggers.push_back({e.line, e.key, e.value});
    }
  }
  timer.persistent = last_boolean(file, "Timer", "Persistent");
  timer.wake_system = last_boolean(file, "Timer", "WakeSystem");
  timer.unit = last_value(file, "Timer", "Unit");
  timer.randomized_delay = last_value(file, "Timer", "RandomizedDelaySec");
  timer.accuracy = last_value(file, "Timer", "AccuracySec");
  return timer;
}

std::string describe_timer_trigger(const TimerTrigger& trigger) {
  const auto invalid =
      fmt::format("invalid {}= value '{}' (systemd ignores it)", trigger.key, trigger.value);
  if (trigger.key == "OnCalendar") {
    const auto spec = timing::parse_calendar_spec(trigger.value);
    return spec ? timing::describe_calendar_spec(*spec) : invalid;
  }
  const auto span = parse_timespan(trigger.value);
  if (!span) {
    return invalid;
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> events{
      {{"OnBootSec", "boot"},
       {"OnStartupSec", "systemd started"},
       {"OnActiveSec", "the timer was activated"},
       {"OnUnitActiveSec", "the service last started"},
       {"OnUnitInactiveSec", "the service last finished"}}};
  for (const auto& [key, event] : events) {
    if (trigger.key == key) {
      return fmt::format("{} after {}", describe_timespan(*span), event);
    }
  }
  return invalid;
}

ServiceUnit read_service(const UnitFile& file) {
  ServiceUnit service;
  for (const UnitEntry* e : file.all("Service", "ExecStart")) {
    service.exec_start.push_back(strip_exec_prefixes(e->value));
  }
  service.user = last_value(file, "Service", "User");
  service.group = last_value(file, "Service", "Group");
  service.working_directory = last_value(file, "Service", "WorkingDirectory");
  service.type = last_value(file, "Service", "Type");
  service.environment = read_environment(file);
  for (const UnitEntry* e : file.all("Service", "EnvironmentFile")) {
    service.environment_files.push_back(e->value);
  }
  return service;
}

std::optional<std::chrono::seconds> parse_timespan(std::string_view text) {
  std::string_view rest = text;
  skip_space(rest);
  if (rest == "infinity") {
    return std::chrono::seconds::max();
  }
  if (rest.empty()) {
    return std::nullopt;
  }
  double total = 0;
  while (true) {
    skip_space(rest);
    if (rest.empty()) {
      break;
    }
    const auto number = take_number(rest);
    if (!number) {
      return std::nullopt;
    }
    skip_space(rest);
    const double unit = take_unit(rest).value_or(1.0);
    total += *number * unit;
    if (!(total < 9.2e15)) {
      return std::nullopt; // beyond usec_t, as systemd says ERANGE
    }
  }
  return std::chrono::seconds{static_cast<long long>(std::floor(total + 1e-9))};
}

std::string describe_timespan(std::chrono::seconds span) {
  if (span == std::chrono::seconds::max()) {
    return "infinity";
  }
  if (span.count() <= 0) {
    return "0";
  }
  static constexpr std::array<std::pair<std::string_view, long long>, 7> table{{{"y", 31557600},
                                                                                {"month", 2629800},
                                                                                {"w", 604800},
                                                                                {"d", 86400},
                                                                                {"h", 3600},
                                                                                {"min", 60},
                                                                                {"s", 1}}};
  std::string out;
  long long left = span.count();
  for (const auto& [name, size] : table) {
    if (left >= size) {
      out += fmt::format("{}{}{}", out.empty() ? "" : " ", left / size, name);
      left %= size;
    }
  }
  return out;
}

} // namespace digger::units
