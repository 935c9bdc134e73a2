#pragma once

#include "digger/command/program.hpp"
#include "digger/command/runtime.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace digger::command {

struct LanguageDecision {
  Language language = Language::unknown;
  std::string evidence; // "Go build info go1.19.8 example.com/settle", "ELF executable", ...
};

// The job's language once its target has been inspected (order in docs/hidden-batches.md):
// Go build info, other ELF, shebang, content ("<?php", a jar's "PK\3\4"), else the command's.
// Only a target the job executes directly is refined: when the command names an interpreter
// (`python3 job.py`), a tool or a system utility, the kernel never reads the target's first
// bytes, so the command's language and evidence stand.
LanguageDecision refine_language(Language from_command, std::string_view command_evidence,
                                 const ProgramFacts* program);

// The interpreter a "#!" line runs, seen through /usr/bin/env ("-S", "-i", "-u NAME",
// NAME=value): "#!/usr/bin/env -S php -q" -> "php". nullopt when `head` has no shebang.
std::optional<std::string> shebang_interpreter(std::string_view head);

} // namespace digger::command
