#pragma once

#include "digger/command/runtime.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::command {

// What a crontab job's command runs, read from the command text alone (see
// docs/languages.md for the rules and the evidence strings).
struct CommandAnalysis {
  std::string program; // the main program word as written, after wrappers ("python3")
  // The thing that does the work: the script for interpreters, the jar, the module, the
  // program itself otherwise. A relative script path is joined to a preceding `cd DIR`.
  std::string target;
  Language language = Language::unknown;
  std::string evidence; // why that language: "interpreter python3.11", "extension .php", ...
  std::vector<std::string> wrappers;      // peeled wrappers, outermost first ("flock", "cd")
  std::optional<std::string> run_as;      // sudo -u, su, runuser -u, doas (innermost wins)
  std::optional<std::string> module;      // python -m
  std::optional<std::string> working_dir; // from cd, sudo -D, env -C, docker exec -w
  std::optional<std::string> framework;   // laravel, django, rails, wordpress, symfony, ...
  std::optional<std::string> subcommand;  // "schedule:run", "clearsessions", "cron event run"
  std::optional<std::string> url;         // curl/wget: the first http(s) URL
  std::optional<std::string> run_parts_dir;
  std::optional<std::string> container; // docker exec / compose exec / kubectl exec target
  std::optional<std::string> lock_file;
  std::vector<std::string> arguments;    // the main program's arguments
  std::vector<std::string> output_files; // redirection targets other than /dev/null
  bool nonblocking_lock = false;         // flock -n and friends: an overlapping run is skipped
  bool redirects_output = false;         // stdout or stderr is redirected somewhere
  bool discards_output = false;          // stdout goes to /dev/null (cron mails only the rest)
  bool complete = true;                  // false: unterminated quote, or nesting too deep to follow
  // A '\r' in the command (a crontab saved with CRLF endings). The shell takes it as part of
  // a word, so `/opt/job.sh\r` is "not found" and the job fails on every run. The analysis
  // reads '\r' as a blank to name what was meant; this flag says it cannot work as written.
  bool carriage_return = false;
  int chain = 0; // simple commands in the job (;, &&, ||, |), 0 when empty

  std::string_view language_name() const { return command::language_name(language); }
};

// Never fails and never throws on bad input: unparseable text gives language unknown.
// Work is linear in the command's length times a small fixed nesting bound (sh -c '...').
CommandAnalysis analyze_command(std::string_view command);

} // namespace digger::command
