#pragma once

// Internal to the migrate stage: what every target builder needs to know about one job.

#include "digger/crontab/crontab.hpp"
#include "digger/migrate/conversion.hpp"
#include "digger/migrate/zone.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::migrate {

struct JobFacts {
  std::string host;
  std::string owner;
  std::string run_as; // the user column, else the crontab owner
  std::optional<long> uid;
  std::string zone; // CRON_TZ, else the host's zone; empty when unknown
  ZoneFacts zone_facts;
  std::optional<std::string> mailto;       // the last MAILTO line; nullopt when none
  std::optional<int> random_delay_minutes; // cronie's RANDOM_DELAY
  std::string shell;                       // SHELL from the crontab, else /bin/sh
  bool nonblocking_lock = false;           // the command runs under `flock -n`
  std::string base_name;                   // host-owner-program, before target limits
  std::string description;                 // for the definitions' description fields
  int batch_timeout_seconds = 3600;
  std::vector<std::string> timer_triggers;          // JobContext::timer_triggers
  std::optional<std::chrono::sys_seconds> run_once; // JobContext::run_once
  bool catch_up = false;                            // JobContext::catch_up (anacron)
  std::vector<std::string> secrets;                 // JobContext::secrets
};

JobFacts job_facts(const crontab::Job& job, const JobContext& context);

// True when the command runs under `flock -n` / `--nonblock` (skips a run while the last
// one still holds the lock): the job itself forbids overlapping runs.
bool runs_under_nonblocking_flock(std::string_view command);

// A user name every target accepts: [A-Za-z0-9._-] (and a trailing '$'), not starting with
// '-'. Crontabs are untrusted: anything else is refused rather than written into units.
bool is_portable_user_name(std::string_view name);

// The command with its `%` stdin restored as a here-doc on a brace group, so the whole
// command line reads it as cron feeds it: for targets with no stdin of their own.
std::string command_with_stdin(const crontab::Job& job);

// The text cron writes on the job's stdin (each later '%' a newline, one final newline).
std::string stdin_text(const crontab::Job& job);

std::string shell_quote(std::string_view text); // POSIX single quotes
std::string shell_word(std::string_view text);  // as is when plainly safe, else quoted
std::string printable(std::string_view text);   // control characters replaced by '?'
std::string base64(std::string_view data);

// A shell line that runs the job as cron would on the host: run-as user, environment, stdin.
// Used where the target runs a script on the host (SSM Run Command).
std::string host_script(const crontab::Job& job, const JobFacts& facts);

} // namespace digger::migrate
