#pragma once

// Internals of parse_crontab shared by src/crontab/crontab*.cpp; not part of the public API.

#include "digger/crontab/crontab.hpp"
#include "digger/util/ascii.hpp"

#include <optional>
#include <string>
#include <string_view>

#include "field_lexicon.hpp"

namespace digger::crontab::detail {

using util::is_blank;

inline std::size_t skip_blanks(std::string_view text, std::size_t pos) {
  while (pos < text.size() && is_blank(text[pos])) {
    ++pos;
  }
  return pos;
}

inline std::size_t skip_nonblanks(std::string_view text, std::size_t pos) {
  while (pos < text.size() && !is_blank(text[pos])) {
    ++pos;
  }
  return pos;
}

// env.c's load_env on one line that starts at its first non-blank character. Returns the
// setting, or nullopt when the daemon reads the line as something else (a job).
std::optional<EnvSetting> parse_env_line(std::string_view text, Daemon daemon);

struct JobOutcome {
  std::optional<Job> job; // without environment / cron_tz: the caller fills those
  std::string error;      // "bad minute", ... when job is empty
  std::string note;       // a remark on how cronie reads an accepted or refused line
};

// cronie's load_entry on one line starting at its first non-blank character.
JobOutcome parse_cronie_job(std::string_view text, const ParseOptions& options);

// Debian's Vixie cron 3.0pl1 load_entry: the reason it refuses the line, empty if it accepts
// it. Only the verdict is computed; the job's meaning is taken from cronie. `note`, if given,
// receives how Debian's cron reads an accepted line differently.
std::string vixie_job_error(std::string_view text, const ParseOptions& options,
                            std::string* note = nullptr);

// A line holding NUL bytes: cron's get_string() stops at a NUL as at a newline, so the daemons
// read the text after a NUL as a new line, and a job or setting can hide behind one.
struct NulReading {
  std::string note;        // what cronie reads, part by part
  std::string vixie_error; // why Debian's cron refuses one of the parts, if it does
};
NulReading read_nul_segments(std::string_view text, const ParseOptions& options);

// do_command.c: the command up to the first unescaped '%' and the stdin text after it.
struct CommandParts {
  std::string command;
  std::optional<std::string> stdin_data;
};
CommandParts split_command(std::string_view text);

} // namespace digger::crontab::detail
