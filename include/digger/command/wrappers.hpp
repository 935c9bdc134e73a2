#pragma once

#include "digger/util/path.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::command {

// What is left of one simple command once the programs that only run another program
// (env, nice, flock, sudo, sh -c, ...) have been peeled off.
struct Invocation {
  std::vector<std::string> argv;          // the program that does the work and its arguments
  std::vector<std::string> wrappers;      // peeled programs, outermost first ("sudo", "bash -c")
  std::optional<std::string> run_as;      // from sudo -u, su, runuser, doas
  std::optional<std::string> working_dir; // from env -C, sudo -D, docker exec -w
  std::optional<std::string> container;   // docker exec / docker compose exec target
  // Set when a wrapper hands a shell string to a shell (sh -c, su -c, flock -c, eval):
  // argv is then empty and the string must be analysed as a command line of its own.
  std::optional<std::string> shell_script;
  std::optional<std::string> lock_file;
  bool nonblocking_lock = false; // flock -n, lckdo, run-one, setlock -n: overlapping runs skip
  bool lock_only = false;        // `flock -n 9`: takes a lock on a descriptor, runs nothing
};

// Peels wrappers off `argv` (leading NAME=value words already removed). Bounded: at most a
// fixed number of wrappers are peeled, the rest is left as the program.
Invocation unwrap(std::vector<std::string> argv);

using util::base_name; // "/usr/bin/php" -> "php"

bool is_shell_name(std::string_view name); // sh, bash, dash, zsh, ksh, ...

// The options of a POSIX-like shell invocation (`bash -lc`, `sh -e -o pipefail script`).
struct ShellOptions {
  std::size_t next = 0;      // first word after the options: the -c string or the script
  bool command_mode = false; // -c was given
};
ShellOptions scan_shell_options(const std::vector<std::string>& args, std::size_t start);

} // namespace digger::command
