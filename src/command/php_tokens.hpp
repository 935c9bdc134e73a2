#pragma once

// Just enough of PHP's lexer to find calls safely: code outside `<?php ... ?>` is skipped,
// comments are dropped (a `?>` ends a line comment, as in PHP), strings (single, double,
// heredoc, nowdoc) become one token each, so no `$schedule->command(` inside a string or a
// comment is ever taken for code. Private to laravel_schedule.cpp.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace digger::command::php {

enum class TokenKind { variable, name, string, number, punct };

struct Token {
  TokenKind kind = TokenKind::punct;
  std::string text;     // variable without '$'; string: its value when `literal`
  bool literal = false; // string: no interpolation (a `$` or `{$` in "..." or a heredoc)
  int line = 1;
  std::size_t match = 0; // '(' '[' '{': index of the closing token (0: unclosed); and back
};

struct Tokens {
  std::vector<Token> tokens;
  bool unterminated = false; // a string or comment ran to the end of the input
};

// Linear in the input. Names keep their namespace backslashes (`\App\Jobs\Prune`).
Tokens tokenize(std::string_view source);

} // namespace digger::command::php
