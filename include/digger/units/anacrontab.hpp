#pragma once

#include "digger/crontab/crontab.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace digger::units {

// One job line of /etc/anacrontab: "PERIOD DELAY JOB-ID COMMAND".
struct AnacronJob {
  std::string period_text;      // as written: "1", "7", "@monthly"
  int period_days = 0;          // 0 for @monthly/@yearly (a calendar period, not a day count)
  std::string period_macro;     // "monthly", "yearly", "daily", "weekly" for the @ forms, else ""
  int delay_minutes = 0;        // as written, before any RANDOM_DELAY
  std::string delay_text;       // the delay field as written ("05")
  std::string job_id;           // also the timestamp file name in /var/spool/anacron
  std::string command;          // the rest of the line, run with /bin/sh -c
  int random_delay_minutes = 0; // RANDOM_DELAY in effect at this line (anacron reads it in order)
};

struct AnacronLine {
  int number = 0;      // 1-based physical line where the logical line starts
  int last_number = 0; // where it ends (lines joined by a trailing backslash)
  crontab::LineKind kind = crontab::LineKind::blank; // job, env, comment, blank or invalid
  std::string raw; // the physical lines, without the final line terminator
  std::optional<AnacronJob> job;
  std::optional<crontab::EnvSetting> env;
  std::string error; // invalid: anacron's complaint ("Invalid syntax ... skipping this line")
};

struct ParsedAnacrontab {
  std::vector<AnacronLine> lines;
  crontab::EnvironmentList environment; // every assignment anacron exports to its jobs
  // START_HOURS_RANGE: jobs start only when the hour is in [first, second). nullopt = any hour.
  // A reversed range is refused and sets it to 0-0 (anacron then starts nothing).
  std::optional<std::pair<int, int>> start_hours_range;
  int random_delay_minutes = 0; // the last valid RANDOM_DELAY
};

// Reads anacrontab like cronie's anacron (anacron/readtab.c): backslash-newline joins lines,
// env assignments (values keep their spaces), numeric and @ periods (@daily @weekly @monthly
// @yearly @annually, matched by prefix as anacron does), job ids without '/' or blanks.
// Any bytes; never throws; linear in the input.
ParsedAnacrontab parse_anacrontab(std::string_view text);

// The catalog's schedule_text: "PERIOD DELAY JOB-ID" as written, one blank between fields
// ("1 5 cron.daily", "@monthly 15 cron.monthly").
std::string anacron_schedule_text(const AnacronJob& job);

// "anacron period=1d delay=5m", "anacron period=monthly delay=45m".
std::string normalized_anacron_schedule(const AnacronJob& job);

// "once a day, 5 minutes after anacron starts, between 03:00 and 22:00, plus up to 45 random
// minutes".
std::string describe_anacron_job(const AnacronJob& job, const ParsedAnacrontab& file);

} // namespace digger::units
