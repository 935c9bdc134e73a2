#pragma once

#include "digger/crontab/crontab.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace digger::units {

// One "Key=Value" assignment of a systemd unit file, with the section it is in and the line
// where it starts (a value continued with a trailing backslash spans several lines).
struct UnitEntry {
  int line = 0;
  std::string section, key, value;
};

struct UnitFile {
  std::vector<UnitEntry> entries;                  // every assignment, in file order
  std::vector<std::pair<int, std::string>> errors; // line, what systemd would log and ignore

  // List settings: the values after the last empty assignment of the key (which resets the
  // list, as systemd does), empty values left out.
  std::vector<const UnitEntry*> all(std::string_view section, std::string_view key) const;
  // Single settings: the last assignment (its value may be empty: back to the default).
  const UnitEntry* last(std::string_view section, std::string_view key) const;
};

// Reads a unit file as systemd's config parser does: '#' and ';' comment lines, a trailing
// backslash continues the line (the backslash becomes a space; comment lines inside a
// continuation are skipped), "[Section]" headers, "Key=Value" with both sides stripped.
// Lines systemd ignores with a warning go to `errors`. Any bytes; never throws.
UnitFile parse_unit_file(std::string_view text);

// Trigger keys of [Timer], in file order. An empty assignment of any of them clears all
// triggers seen before (systemd's timer_free_values).
struct TimerTrigger {
  int line = 0;
  std::string key; // OnCalendar, OnBootSec, OnStartupSec, OnActiveSec, OnUnitActiveSec,
                   // OnUnitInactiveSec
  std::string value;
};

struct TimerUnit {
  std::vector<TimerTrigger> triggers;
  bool persistent = false;
  std::string unit; // Unit= or "" (then the service of the same name)
  std::string randomized_delay;
  std::string accuracy;
  bool wake_system = false;
};

TimerUnit read_timer(const UnitFile& file);

// English for one trigger: OnCalendar= through describe_calendar_spec ("Every day at
// 00:00"); "15min after boot" (OnBootSec), "15min after systemd started" (OnStartupSec),
// "15min after the timer was activated" (OnActiveSec), "1h after the service last started"
// (OnUnitActiveSec), "1h after the service last finished" (OnUnitInactiveSec). A value
// systemd rejects reads "invalid OnCalendar= value 'x' (systemd ignores it)".
std::string describe_timer_trigger(const TimerTrigger& trigger);

struct ServiceUnit {
  std::vector<std::string> exec_start; // each ExecStart= with the prefixes - @ : + ! !! stripped
  std::string user, group, working_directory, type;
  crontab::EnvironmentList environment;       // Environment= assignments, quotes removed
  std::vector<std::string> environment_files; // EnvironmentFile= as written ("-" = optional)
};

ServiceUnit read_service(const UnitFile& file);

// systemd's boolean words: 1 yes y true t on / 0 no n false f off (case-insensitive).
std::optional<bool> parse_unit_boolean(std::string_view text);

// systemd.time(7) time spans: "1h 30min", "90" (seconds), "2d", "5m", "1.5h", "infinity"
// (seconds::max()). Sub-second parts are truncated. nullopt when systemd would reject it.
std::optional<std::chrono::seconds> parse_timespan(std::string_view text);

// systemd's format_timespan at one-second accuracy: "1h 30min", "2d", "1w 3d 4h", "0".
std::string describe_timespan(std::chrono::seconds span);

} // namespace digger::units
