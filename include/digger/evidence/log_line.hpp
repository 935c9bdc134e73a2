#pragma once

// One line of a cron daemon's log, parsed (docs/evidence.md, "Line formats"). Pure: the caller
// reads the bytes and says which year and UTC offset the file's traditional timestamps mean.
// Any bytes in, no exception out; a line that is not a cron line gives std::nullopt.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace digger::evidence {

// What the daemon said. cronie and Debian cron share "CMD"; the rest differ (see the docs).
enum class EventKind {
  cmd,                // (user) CMD (command): the job started (its shell logs it)
  cmd_end,            // cronie (user) CMDEND (command): the job ended, no exit status
  cmd_out,            // cronie (user) CMDOUT (one output line)
  end,                // Debian -L 2: (user) END (command)
  mail,               // (user) MAIL (mailed N bytes of output but got status 0x...)
  no_mta,             // Debian (CRON) info (No MTA installed, discarding output)
  job_failed,         // Debian -L 4 (CRON) error (grandchild #PID failed with exit status N)
  anacron_started,    // anacron: Job `cron.daily' started
  anacron_terminated, // anacron: Job `cron.daily' terminated [(exit status: N)]
  other,              // RELOAD, REPLACE, other (user) EVENT (detail) lines
};
std::string_view event_kind_name(EventKind kind); // "CMD", "CMDEND", ..., "anacron-started"

// Wall-clock time as written on the host (the daemon's zone), to test a schedule's fire set.
struct LocalTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  friend bool operator==(const LocalTime&, const LocalTime&) = default;
};

struct LogEvent {
  std::optional<std::int64_t> epoch; // seconds since the epoch (UTC), when the zone is known
  std::optional<LocalTime> local;    // the host's wall clock, when known
  std::string ident;                 // CROND, CRON, crond, CRONIE-CROND, anacron, ...
  std::optional<std::int64_t> pid;   // the syslog [pid]
  std::string user;                  // the parenthesised name; "" for anacron
  EventKind kind = EventKind::other;
  std::string event;                   // the event word as logged: CMD, info, RELOAD, ...
  std::string detail;                  // the command as logged (still mkprints-escaped)
  std::optional<std::int64_t> job_pid; // Debian -L 8 "[pid] cmd", -L 4 "grandchild #pid"
  std::optional<int> exit_status;      // Debian -L 4 and anacron only
  friend bool operator==(const LogEvent&, const LogEvent&) = default;
};

// How to read the timestamps of one file: traditional lines carry no year and no zone.
struct FileClock {
  int year = 1970;                       // the file's mtime year, in the host's zone
  int month = 12;                        // the file's mtime month: a later month is last year
  std::optional<int> utc_offset_seconds; // the host's `date +%z`; none: no epoch for them
};

// The clock of a file whose mtime is `mtime` (seconds since the epoch) on a host `utc_offset`
// seconds east of UTC (none: unknown, and the year and month are taken in UTC).
FileClock file_clock(std::int64_t mtime, std::optional<int> utc_offset);

// `Mon DD HH:MM:SS host tag: msg` (traditional) or `YYYY-MM-DDTHH:MM:SS[.frac]±HH:MM host tag: msg`
// (rsyslog's RFC 3339 file format).
std::optional<LogEvent> parse_syslog_line(std::string_view line, const FileClock& clock);

// One `journalctl -o json` object. MESSAGE may be a string or an array of byte values.
std::optional<LogEvent> parse_journal_json(std::string_view line, const FileClock& clock);

// The message part alone ("(root) CMD (cmd)", "Job `x' started"), already split from its tag.
std::optional<LogEvent> parse_cron_message(std::string_view ident, std::string_view message);

} // namespace digger::evidence
