// supervisord's log lines (supervisor/loggers.py and process.py; docs/workers.md, "Crash loops").
#include "digger/units/supervisor_log.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace digger::units {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "2024-01-01 10:00:00,123": loggers.py's asctime. Returns the time without the milliseconds.
std::string_view timestamp_of(std::string_view line) {
  constexpr std::string_view shape = "dddd-dd-dd dd:dd:dd,ddd";
  if (line.size() < shape.size()) {
    return {};
  }
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'd' ? !is_digit(line[i]) : line[i] != shape[i]) {
      return {};
    }
  }
  return line.substr(0, 19);
}

// The message after "TIME LEVEL ": levels are four capitals (CRIT ERRO WARN INFO DEBG TRAC
// BLAT, loggers.LevelsByDescription).
std::string_view message_of(std::string_view line) {
  constexpr std::size_t at = 24; // after "YYYY-MM-DD HH:MM:SS,mmm "
  if (line.size() < at + 5 || line[23] != ' ' || line[at + 4] != ' ') {
    return {};
  }
  for (std::size_t i = at; i < at + 4; ++i) {
    if (line[i] < 'A' || line[i] > 'Z') {
      return {};
    }
  }
  return line.substr(at + 5);
}

// A process name as supervisord accepts it in a section name: printable, no blank, bounded.
bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= max_log_name_bytes &&
         std::all_of(name.begin(), name.end(), [](char c) {
           const auto u = static_cast<unsigned char>(c);
           return u > ' ' && u != 0x7f;
         });
}

enum class Event { none, unexpected_exit, gave_up };

struct Parsed {
  Event event = Event::none;
  std::string_view name;
};

// "exited: NAME (DETAIL; not expected)": DETAIL is decode_wait_status's "exit status 1" or
// "terminated by SIGKILL" (with " (core dumped)"), so NAME ends at the first " (".
Parsed exited(std::string_view rest) {
  constexpr std::string_view tail = "; not expected)";
  const auto open = rest.find(" (");
  if (open == std::string_view::npos || !rest.ends_with(tail)) {
    return {};
  }
  return {Event::unexpected_exit, rest.substr(0, open)};
}

// "gave up: NAME entered FATAL state, too many start retries too quickly".
Parsed gave_up(std::string_view rest) {
  constexpr std::string_view tail = " entered FATAL state, too many start retries too quickly";
  if (!rest.ends_with(tail)) {
    return {};
  }
  return {Event::gave_up, rest.substr(0, rest.size() - tail.size())};
}

Parsed parse_message(std::string_view message) {
  constexpr std::string_view exited_word = "exited: ", gave_up_word = "gave up: ";
  Parsed parsed;
  if (message.starts_with(exited_word)) {
    parsed = exited(message.substr(exited_word.size()));
  } else if (message.starts_with(gave_up_word)) {
    parsed = gave_up(message.substr(gave_up_word.size()));
  }
  return valid_name(parsed.name) ? parsed : Parsed{};
}

void note_event(std::map<std::string, SupervisorProcessLog, std::less<>>& by_name,
                const Parsed& parsed, std::string_view time, SupervisorLog& log) {
  auto it = by_name.find(parsed.name);
  if (it == by_name.end()) {
    if (by_name.size() >= max_log_processes) {
      log.names_over_bound = true;
      return;
    }
    it = by_name.emplace(std::string(parsed.name), SupervisorProcessLog{}).first;
    it->second.name = std::string(parsed.name);
  }
  auto& process = it->second;
  if (parsed.event == Event::unexpected_exit) {
    ++process.unexpected_exits;
    process.last_exit = std::string(time);
  } else {
    ++process.gave_up;
    process.last_gave_up = std::string(time);
  }
}

void keep_latest(std::string& latest, const std::string& time) {
  if (time > latest) { // same fixed-width shape: text order is time order
    latest = time;
  }
}

} // namespace

SupervisorLog read_supervisor_log(std::string_view bytes, bool partial_start) {
  SupervisorLog log;
  std::map<std::string, SupervisorProcessLog, std::less<>> by_name;
  bool first = true;
  while (!bytes.empty()) {
    const auto end = bytes.find('\n');
    auto line = bytes.substr(0, end);
    bytes = end == std::string_view::npos ? std::string_view{} : bytes.substr(end + 1);
    if (std::exchange(first, false) && partial_start) {
      continue; // cut by the read's start
    }
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    const auto time = timestamp_of(line);
    if (time.empty()) {
      continue; // a continuation line (a traceback) or garbage
    }
    ++log.lines;
    if (log.first_time.empty()) {
      log.first_time = std::string(time);
    }
    log.last_time = std::string(time);
    const auto parsed = parse_message(message_of(line));
    if (parsed.event != Event::none) {
      note_event(by_name, parsed, time, log);
    }
  }
  for (auto& [name, process] : by_name) {
    log.processes.push_back(std::move(process));
  }
  return log;
}

SupervisorCrashes supervisor_crashes(const SupervisorLog& log, std::span<const std::string> names) {
  SupervisorCrashes out;
  for (const auto& process : log.processes) {
    std::string_view name = process.name;
    if (const auto colon = name.find(':'); colon != std::string_view::npos) {
      name = name.substr(colon + 1); // "group:name", as supervisorctl names a process
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      continue;
    }
    out.unexpected_exits += process.unexpected_exits;
    out.gave_up += process.gave_up;
    keep_latest(out.last_exit, process.last_exit);
    keep_latest(out.last_gave_up, process.last_gave_up);
  }
  return out;
}

bool is_crash_loop(const SupervisorCrashes& crashes) {
  return crashes.unexpected_exits >= crash_loop_exits || crashes.gave_up > 0;
}

} // namespace digger::units
