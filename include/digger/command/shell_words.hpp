#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace digger::command {

enum class ShellTokenKind { word, op, redirect };

// One token of a POSIX shell command line, as far as a reader that never runs anything can
// tell. Substitutions ($(...), `...`, ${...}) are kept verbatim inside their word: what they
// produce is only known on the host at run time.
struct ShellToken {
  ShellTokenKind kind = ShellTokenKind::word;
  // word: the value with quotes and escapes removed.
  // op: ";", "&&", "||", "|", "|&", "&", "(", ")" (a newline is reported as ";").
  // redirect: the operator with its file descriptor, e.g. ">", "2>>", "2>&", "&>", "<", "<<".
  std::string text;
  std::string target;         // redirect: the word it applies to (empty when missing)
  bool quoted = false;        // word: some part was quoted or escaped
  bool has_expansion = false; // word: holds an unquoted or double-quoted $ or `
  bool is_assignment = false; // word: NAME=value with an unquoted NAME
};

struct ShellWords {
  std::vector<ShellToken> tokens;
  // false when a quote or substitution was still open at the end of the text: the tokens
  // are then a best effort (the shell itself would refuse to run the line).
  bool complete = true;
};

// Splits a command line into words, operators and redirections in one linear pass. Never
// fails: any byte string gives some tokens, and `complete` says whether the shell would
// have accepted the quoting. A '#' at the start of a word begins a comment.
ShellWords split_shell_words(std::string_view text);

} // namespace digger::command
