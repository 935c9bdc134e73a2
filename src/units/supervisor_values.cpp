// supervisor/datatypes.py, the value types a [program:x] section's options are read with.
#include "digger/units/supervisor_values.hpp"

#include "digger/util/ascii.hpp"
#include "digger/util/result.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>

#include "python_text.hpp"

namespace digger::units {
namespace {

using detail::py_strip;

// shlex.shlex(text) with posix=False and wordchars += '/.+-():': what
// dict_of_key_value_pairs splits an environment= value into.
class Shlex {
public:
  using Token = std::optional<std::string>; // nullopt: the end of the text

  explicit Shlex(std::string_view text) : text_(text) {}

  // The next token; nullopt at the end, an error for an unclosed quote.
  util::Result<Token> next() {
    std::string token;
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++at_;
        if (!token.empty()) {
          return Token(std::move(token));
        }
      } else if (c == '#') {
        skip_line(); // a comment; in a word, the word goes on after the line (non-POSIX shlex)
      } else if (is_word(c)) {
        token += c;
        ++at_;
      } else if (c == '\'' || c == '"') {
        if (!token.empty()) {
          token += c; // a quote inside a word is part of the word
          ++at_;
          continue;
        }
        return quoted(c);
      } else {
        if (!token.empty()) {
          return Token(std::move(token));
        }
        ++at_;
        return Token(std::string(1, c));
      }
    }
    return token.empty() ? Token() : Token(std::move(token));
  }

private:
  static bool is_word(char c) {
    return util::is_alnum(c) || c == '_' ||
           std::string_view("/.+-():").find(c) != std::string_view::npos;
  }

  void skip_line() {
    const auto newline = text_.find('\n', at_);
    at_ = newline == std::string_view::npos ? text_.size() : newline + 1;
  }

  // The quoted string at the cursor, quotes included.
  util::Result<Token> quoted(char quote) {
    const auto close = text_.find(quote, at_ + 1);
    if (close == std::string_view::npos) {
      at_ = text_.size();
      return util::Error{"No closing quotation"};
    }
    std::string token(text_.substr(at_, close + 1 - at_));
    at_ = close + 1;
    return Token(std::move(token));
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

} // namespace

std::optional<bool> supervisor_boolean(std::string_view text) {
  const auto word = util::lower(text);
  if (word == "true" || word == "yes" || word == "on" || word == "1") {
    return true;
  }
  if (word == "false" || word == "no" || word == "off" || word == "0") {
    return false;
  }
  return std::nullopt;
}

std::optional<std::int64_t> supervisor_integer(std::string_view text) {
  text = py_strip(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || !util::is_digit(text.front()) || !util::is_digit(text.back())) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_' && util::is_digit(text[i + 1])) { // one '_' between digits (the last is one)
      continue;
    }
    if (!util::is_digit(c) || value > (std::numeric_limits<std::int64_t>::max() - 9) / 10) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

std::optional<std::string> supervisor_autorestart(std::string_view text) {
  const auto word = util::lower(text);
  if (word == "false" || word == "no" || word == "off" || word == "0") {
    return "false";
  }
  if (word == "unexpected") {
    return "unexpected";
  }
  if (word == "true" || word == "yes" || word == "on" || word == "1") {
    return "true";
  }
  return std::nullopt;
}

std::vector<std::string> supervisor_list(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = text.find(',');
    const auto part = py_strip(text.substr(0, comma));
    if (!part.empty()) {
      out.emplace_back(part);
    }
    if (comma == std::string_view::npos) {
      return out;
    }
    text.remove_prefix(comma + 1);
  }
}

std::pair<std::string, std::string> supervisor_name(std::string_view text) {
  const std::string name(py_strip(text));
  for (char c : {' ', ':', '/'}) {
    if (name.find(c) != std::string::npos) {
      return {name, fmt::format("Invalid name because of character: '{}'", c)};
    }
  }
  return {name, {}};
}

KeyValues supervisor_key_values(std::string_view text) {
  KeyValues out;
  Shlex lexer(text);
  std::vector<std::string> tokens;
  while (true) {
    auto token = lexer.next();
    if (!token) {
      out.error = token.error();
      return out;
    }
    if (!token->has_value()) {
      break;
    }
    tokens.push_back(std::move(**token));
  }
  for (std::size_t i = 0; i < tokens.size(); i += 4) {
    if (i + 3 > tokens.size() || tokens[i + 1] != "=") {
      out.error = "Unexpected end of key/value pairs in value";
      out.pairs.clear();
      return out;
    }
    std::string_view value = tokens[i + 2];
    while (!value.empty() && (value.front() == '\'' || value.front() == '"')) {
      value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == '\'' || value.back() == '"')) {
      value.remove_suffix(1);
    }
    auto same = std::find_if(out.pairs.begin(), out.pairs.end(),
                             [&](const auto& pair) { return pair.first == tokens[i]; });
    if (same != out.pairs.end()) {
      same->second = std::string(value);
    } else {
      out.pairs.emplace_back(tokens[i], std::string(value));
    }
  }
  return out;
}

} // namespace digger::units
