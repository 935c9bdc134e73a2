#pragma once

#include "digger/command/runtime.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

// Internal to the language rules (src/cron/runtime*.cpp); not a public interface.
namespace digger::command::detail {

using Argv = std::vector<std::string>;

enum class Interpreter { none, python, php, perl, ruby, node, bun, deno, ts_node, java, go, shell };

Interpreter interpreter_of(std::string_view program_name);

// Classifies `argv` whose program is the interpreter `kind` (not none).
Runtime classify_interpreter(Interpreter kind, const Argv& argv,
                             const std::optional<std::string>& stdin_file);

// Framework, subcommand and evidence for a script run by an interpreter or directly.
void add_script_facts(Runtime& runtime, const Argv& argv, std::size_t script_index);

// Up to three words after `from` that name a task ("schedule:run", "cron event run"),
// stopping at the first option or NAME=value word.
std::optional<std::string> task_words(const Argv& argv, std::size_t from);

} // namespace digger::command::detail
