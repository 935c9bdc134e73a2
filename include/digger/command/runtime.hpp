#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::command {

enum class Language { shell, python, php, perl, ruby, javascript, java, go, binary, unknown };

// "shell", "python", "php", "perl", "ruby", "javascript", "java", "go", "binary", "unknown".
std::string_view language_name(Language language);

// The language of one program invocation, read from the command line alone (no file is
// opened: a later remote inspection of the target can refine "binary" and "shell").
struct Runtime {
  Language language = Language::unknown;
  std::string evidence;        // short and stable, see docs/languages.md
  std::string target;          // the script, jar, package or program that does the work, as written
  bool target_is_path = false; // target names a file or directory relative to the cwd
  bool inline_code = false;    // python -c, perl -e, php -r, node -e: no script file
  std::optional<std::string> module;     // python -m
  std::optional<std::string> framework;  // "laravel", "django", "rails", "wordpress", ...
  std::optional<std::string> subcommand; // artisan/manage.py/rake/wp/drush task
  std::optional<std::string> url;        // curl/wget: the first http(s) URL
  std::optional<std::string> run_parts_dir;
};

// `argv` is the unwrapped command (program first). `stdin_file` is the file redirected
// into it, which is the script for `sh < job.sh`.
Runtime classify_program(const std::vector<std::string>& argv,
                         const std::optional<std::string>& stdin_file = std::nullopt);

// The language of an interpreter named by a shebang or a command word ("python3.11" ->
// python, "bash" -> shell, "nodejs" -> javascript); nullopt when it names no interpreter.
std::optional<Language> interpreter_language(std::string_view program_name);

// Roles used to pick the main command of a chain.
bool is_helper_command(std::string_view name);    // cd, test, [, sleep, echo, logger, ...
bool is_pipe_sink_command(std::string_view name); // tee, gzip, mail, grep, ... after a '|'
bool is_known_utility(std::string_view name);     // find, rsync, mysqldump, certbot, ...

} // namespace digger::command
