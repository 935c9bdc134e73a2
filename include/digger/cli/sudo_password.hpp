#pragma once

// Where --sudo's password comes from: a file only its owner can read, an environment variable
// named by a flag (unset once read), or one no-echo question on the terminal. Never a flag's
// value: argv is visible to every local user.

#include "digger/ssh/secret.hpp"
#include "digger/util/result.hpp"

#include <string>

namespace digger::cli {

// The first line of `path` (without its newline). An error (one line, naming the file) when
// group or others may read it, it is not a regular file, or the line is empty.
util::Result<ssh::SecretString> sudo_password_from_file(const std::string& path);

// The value of the variable `name`, which is then removed from the environment (children of
// this process do not inherit it).
util::Result<ssh::SecretString> sudo_password_from_env(const std::string& name);

// Asks once on the terminal that is stdin, echo off, the question on stderr. An error when
// stdin is not a terminal.
util::Result<ssh::SecretString> sudo_password_from_terminal();

} // namespace digger::cli
