#pragma once

// supervisord's own log (`[supervisord] logfile=`): what it says about each process's exits.
// supervisor/loggers.py writes `%(asctime)s %(levelname)s %(message)s`, asctime being
// `YYYY-MM-DD HH:MM:SS,mmm` in the host's local time; supervisor/process.py logs
// `exited: NAME (exit status 1; not expected)` for an exit outside exitcodes= or before
// startsecs=, and `gave up: NAME entered FATAL state, too many start retries too quickly` when
// it stops restarting. NAME is the process name (process_name=, e.g. `laravel-worker_00`).
// Pure: the caller hands over the bytes it read (usually the file's tail). The text is hostile
// (any local user a program runs as may shape its exit lines): names are bounded and checked,
// no line is kept.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace digger::units {

struct SupervisorProcessLog {
  std::string name; // the process name as logged
  std::int64_t unexpected_exits = 0;
  std::int64_t gave_up = 0; // `gave up:` lines (FATAL)
  std::string last_exit;    // time of the last unexpected exit, "YYYY-MM-DD HH:MM:SS"
  std::string last_gave_up; // time of the last `gave up:`
  friend bool operator==(const SupervisorProcessLog&, const SupervisorProcessLog&) = default;
};

struct SupervisorLog {
  std::vector<SupervisorProcessLog> processes; // sorted by name
  std::string first_time, last_time;           // the window the lines read cover
  std::size_t lines = 0;                       // timestamped lines read
  bool names_over_bound = false;               // more than max_log_processes names: rest ignored
};

inline constexpr std::size_t max_log_processes = 4096;
inline constexpr std::size_t max_log_name_bytes = 256;

// `partial_start`: the bytes start inside the file (a tail), so the first line may be cut and is
// skipped. Never throws.
SupervisorLog read_supervisor_log(std::string_view bytes, bool partial_start);

// What the log says about one program: the sum over its processes' names (`names`, the expanded
// process_name= of each instance; a logged `group:name` counts for `name`).
struct SupervisorCrashes {
  std::int64_t unexpected_exits = 0;
  std::int64_t gave_up = 0;
  std::string last_exit, last_gave_up; // the latest times among its processes
};
SupervisorCrashes supervisor_crashes(const SupervisorLog& log, std::span<const std::string> names);

// Three unexpected exits in the window, or a FATAL: supervisord is restarting a program that
// does not stay up.
inline constexpr std::int64_t crash_loop_exits = 3;
bool is_crash_loop(const SupervisorCrashes& crashes);

} // namespace digger::units
