#pragma once

#include "digger/cron/schedule.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::cron {

// User crontabs (spool, file name = owner) have 5 fields + command; system crontabs
// (/etc/crontab, /etc/cron.d/*) have a user column after the time fields.
enum class CrontabFlavor { user, system };

enum class LineKind { job, env, disabled_job, comment, blank, invalid };
std::string_view line_kind_name(LineKind kind); // "job", "env", "disabled-job", ...

struct EnvSetting {
  std::string name;
  std::string value;
};

struct Job {
  Schedule schedule;
  std::string schedule_text;       // the time fields or macro exactly as written
  std::optional<std::string> user; // system crontabs: the user column
  std::string command;             // up to the first unescaped '%', with "\%" unescaped
  std::optional<std::string> stdin_data; // after that '%', each later '%' a newline
  bool no_syslog = false;          // cronie's leading '-'
  bool mail_on_error_only = false; // cronie's "-n" option
  std::string cron_tz;             // CRON_TZ in effect; empty = the host's zone
  std::vector<EnvSetting> environment; // every env line above the job, in order
};

struct Line {
  int number = 0; // 1-based
  LineKind kind = LineKind::blank;
  std::string raw;            // without the line terminator
  std::optional<Job> job;     // job and disabled_job
  std::optional<EnvSetting> env;
  std::string error;          // invalid: the reason cron gives ("bad minute", ...)
};

struct ParsedCrontab {
  std::vector<Line> lines;
  bool loads_under_cronie = true; // cronie skips bad lines only (but see user limits)
  bool loads_under_vixie = true;  // Debian's cron drops the whole file on any error
  std::vector<std::string> load_notes; // why a daemon would not load it, one line each
};

struct ParseOptions {
  CrontabFlavor flavor = CrontabFlavor::user;
  bool privileged_owner = false; // root's user crontab may use cronie's '-' prefix
};

ParsedCrontab parse_crontab(std::string_view text, const ParseOptions& options);

} // namespace digger::cron
