#pragma once

#include "digger/command/shell_words.hpp"

#include <string>
#include <vector>

namespace digger::command {

// One simple command of a shell list, with where it sits in that list.
struct SimpleCommand {
  std::vector<ShellToken> words;     // word tokens, leading NAME=value assignments included
  std::vector<ShellToken> redirects; // its own redirections, in order
  std::string connector;             // operator before it: "", ";", "&&", "||", "|", "|&", "&"
  int depth = 0;                     // nesting in ( ) subshells and { } groups
  bool pipe_input = false;           // its stdin comes from the previous command
  bool control = false;              // a for/case/select/function header: not a program
};

struct CommandList {
  std::vector<SimpleCommand> commands;
  std::vector<ShellToken> group_redirects; // redirections placed after a ')' or '}'
};

// Flattens `a && (cd / && b) | c; if x; then y; fi` into its simple commands, left to
// right, without recursion (nesting depth is just a counter). Reserved words that only
// frame commands (if, then, fi, do, done, !, ...) are dropped.
CommandList split_commands(const std::vector<ShellToken>& tokens);

} // namespace digger::command
