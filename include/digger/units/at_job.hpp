#pragma once

// at(1) job files, as the `at` package (Debian's /var/spool/cron/atjobs, RHEL's /var/spool/at)
// writes them and atd reads them (docs/collector.md, "at jobs"). Pure text logic: the spool's
// file facts come from the caller.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace digger::units {

// The file name: the queue letter, the job number (5 hex digits) and the run time in minutes
// since the epoch (8 hex digits), as at.c writes it with "%c%5lx%8lx" ("a0000301c6f2b1").
struct AtJobName {
  char queue = 'a';
  std::uint32_t number = 0;
  std::int64_t run_time = 0; // seconds since the epoch (UTC)
};

// nullopt: not a job file (".SEQ", "spool"): atd's sscanf would not read three fields from it.
std::optional<AtJobName> parse_at_job_name(std::string_view file_name);

// atd runs queue 'b' and the upper-case queues as batch jobs: once the load allows, not before
// the run time.
bool is_batch_queue(char queue);

// What the file says. The environment lines between the header and the `cd` line are never
// kept: they are the submitter's whole environment, secrets included.
struct AtJobScript {
  bool header_ok = false; // "#!/bin/sh", "# atrun uid=N gid=N", "# mail NAME N"
  std::int64_t uid = -1, gid = -1;
  std::string mail_user;
  int send_mail = 0;          // 1: always (at -m), -1: never (at -M), 0: only when there is output
  std::string directory;      // the working directory (`cd DIR || {...}`), unescaped
  std::string commands;       // the user's lines, without trailing blank lines
  int first_line = 0;         // 1-based line of the first command line; 0: no commands found
  bool heredoc = false;       // newer `at` feeds them to ${SHELL:-/bin/sh} << 'marcinDELIMITER...'
  bool heredoc_closed = true; // false: the delimiter line is missing (a cut file)
};

AtJobScript parse_at_job(std::string_view content);

// nullopt: atd would run this file (at its time); else why it does not, in words. `mode` is
// the file's st_mode permission bits, `file_uid` its owner (-1: unknown).
std::optional<std::string> at_skip_reason(const AtJobName& name, const AtJobScript& script,
                                          std::uint32_t mode, std::int64_t file_uid);

// "2026-12-08T03:00:00+00:00", the form of the reports' `next` column.
std::string utc_iso8601(std::int64_t seconds);

} // namespace digger::units
