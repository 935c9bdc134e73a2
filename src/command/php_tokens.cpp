// A bounded PHP lexer subset (php_tokens.hpp): one linear pass, no recursion.
#include "php_tokens.hpp"

#include "digger/util/ascii.hpp"

#include <array>

namespace digger::command::php {
namespace {

bool name_start(char c) {
  return util::is_alpha(c) || c == '_' || c == '\\' || static_cast<unsigned char>(c) >= 0x80;
}
bool name_char(char c) {
  return name_start(c) || util::is_digit(c);
}
int hex_value(char c) {
  if (util::is_digit(c)) {
    return c - '0';
  }
  char l = util::lower(c);
  return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
}

class Lexer {
public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Tokens run() {
    skip_html();
    while (pos_ < s_.size()) {
      step();
    }
    return std::move(out_);
  }

private:
  char at(std::size_t i) const { return i < s_.size() ? s_[i] : '\0'; }
  bool ahead(std::string_view text) const { return s_.substr(pos_).starts_with(text); }

  // Advances over [pos_, end), counting lines.
  void advance_to(std::size_t end) {
    end = std::min(end, s_.size());
    for (; pos_ < end; ++pos_) {
      line_ += s_[pos_] == '\n' ? 1 : 0;
    }
  }

  // Text outside PHP tags is output, not code.
  void skip_html() {
    auto open = s_.find("<?", pos_);
    if (open == std::string_view::npos) {
      advance_to(s_.size());
      return;
    }
    advance_to(open + 2);
    if (util::lower(at(pos_)) == 'p' && util::lower(at(pos_ + 1)) == 'h' &&
        util::lower(at(pos_ + 2)) == 'p') {
      advance_to(pos_ + 3);
    } else if (at(pos_) == '=') {
      advance_to(pos_ + 1);
    }
  }

  void push(TokenKind kind, std::string text, bool literal = false) {
    Token token{kind, std::move(text), literal, token_line_, 0};
    out_.tokens.push_back(std::move(token));
  }

  void line_comment() {
    while (pos_ < s_.size() && s_[pos_] != '\n' && !ahead("?>")) {
      ++pos_;
    }
  }

  void block_comment() {
    auto end = s_.find("*/", pos_ + 2);
    out_.unterminated |= end == std::string_view::npos;
    advance_to(end == std::string_view::npos ? s_.size() : end + 2);
  }

  void single_quoted() {
    std::string value;
    std::size_t i = pos_ + 1;
    for (; i < s_.size() && s_[i] != '\''; ++i) {
      if (s_[i] == '\\' && (at(i + 1) == '\'' || at(i + 1) == '\\')) {
        ++i;
      }
      value.push_back(s_[i]);
    }
    out_.unterminated |= i >= s_.size();
    advance_to(i + 1);
    push(TokenKind::string, std::move(value), true);
  }

  // Decodes one escape at s_[i] == '\\'; returns the index after it.
  std::size_t escape(std::size_t i, std::string& value, bool& literal) const {
    static constexpr std::array<std::pair<char, char>, 9> simple{{{'n', '\n'},
                                                                  {'t', '\t'},
                                                                  {'r', '\r'},
                                                                  {'v', '\v'},
                                                                  {'f', '\f'},
                                                                  {'e', '\x1b'},
                                                                  {'\\', '\\'},
                                                                  {'$', '$'},
                                                                  {'"', '"'}}};
    char c = at(i + 1);
    for (auto [from, to] : simple) {
      if (c == from) {
        value.push_back(to);
        return i + 2;
      }
    }
    if (c == 'x' && hex_value(at(i + 2)) >= 0) {
      int v = hex_value(at(i + 2));
      std::size_t next = i + 3;
      if (hex_value(at(next)) >= 0) {
        v = v * 16 + hex_value(at(next++));
      }
      value.push_back(static_cast<char>(v));
      return next;
    }
    if (c >= '0' && c <= '7') {
      int v = 0;
      std::size_t next = i + 1;
      for (int n = 0; n < 3 && at(next) >= '0' && at(next) <= '7'; ++n) {
        v = v * 8 + (at(next++) - '0');
      }
      value.push_back(static_cast<char>(v & 0xff));
      return next;
    }
    literal &= c != 'u'; // \u{...}: not decoded here
    value.push_back('\\');
    return i + 1;
  }

  void double_quoted() {
    std::string value;
    bool literal = true;
    std::size_t i = pos_ + 1;
    while (i < s_.size() && s_[i] != '"') {
      if (s_[i] == '\\') {
        i = escape(i, value, literal);
        continue;
      }
      if ((s_[i] == '$' && name_start(at(i + 1)) && at(i + 1) != '\\') ||
          (s_[i] == '{' && at(i + 1) == '$')) {
        literal = false;
      }
      value.push_back(s_[i++]);
    }
    out_.unterminated |= i >= s_.size();
    advance_to(i + 1);
    push(TokenKind::string, std::move(value), literal);
  }

  // <<<ID, <<<"ID", <<<'ID': the body ends at a line holding ID (indented or not) followed by a
  // non-name character. Never literal here (indentation and escapes are not resolved).
  void heredoc() {
    std::size_t i = pos_ + 3;
    while (util::is_blank(at(i))) {
      ++i;
    }
    char quote = at(i) == '"' || at(i) == '\'' ? at(i) : '\0';
    i += quote ? 1 : 0;
    std::size_t id_start = i;
    while (i < s_.size() && name_char(s_[i]) && s_[i] != '\\') {
      ++i;
    }
    std::string_view id = s_.substr(id_start, i - id_start);
    if (id.empty() || util::is_digit(id.front())) {
      advance_to(pos_ + 2);
      push(TokenKind::punct, "<<");
      return;
    }
    std::size_t line_start = s_.find('\n', i);
    while (line_start != std::string_view::npos) {
      std::size_t j = line_start + 1;
      while (util::is_blank(at(j))) {
        ++j;
      }
      if (s_.substr(j).starts_with(id) && !name_char(at(j + id.size()))) {
        advance_to(j + id.size());
        push(TokenKind::string, "", false);
        return;
      }
      line_start = s_.find('\n', j);
    }
    out_.unterminated = true;
    advance_to(s_.size());
    push(TokenKind::string, "", false);
  }

  void bracket(char c) {
    static constexpr std::string_view opens = "([{", closes = ")]}";
    auto index = out_.tokens.size() - 1;
    if (opens.find(c) != std::string_view::npos) {
      stack_.push_back(index);
      return;
    }
    if (stack_.empty()) {
      return;
    }
    auto open = stack_.back();
    if (opens.find(out_.tokens[open].text[0]) == closes.find(c)) {
      stack_.pop_back();
      out_.tokens[open].match = index;
      out_.tokens[index].match = open;
    }
  }

  void punct() {
    for (std::string_view op : {"?->", "->", "::", "=>"}) {
      if (ahead(op)) {
        advance_to(pos_ + op.size());
        push(TokenKind::punct, std::string(op));
        return;
      }
    }
    char c = s_[pos_];
    advance_to(pos_ + 1);
    push(TokenKind::punct, std::string(1, c));
    if (c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}') {
      bracket(c);
    }
  }

  void word(TokenKind kind, std::size_t start) {
    std::size_t i = start;
    while (i < s_.size() && name_char(s_[i])) {
      ++i;
    }
    push(kind, std::string(s_.substr(start, i - start)));
    advance_to(i);
  }

  void step() {
    token_line_ = line_;
    char c = s_[pos_];
    if (util::is_space(c)) {
      advance_to(pos_ + 1);
    } else if (ahead("?>")) {
      advance_to(pos_ + 2);
      push(TokenKind::punct, ";");
      skip_html();
    } else if (ahead("#[")) {
      advance_to(pos_ + 1); // an attribute: its '[' is read as a bracket
    } else if (c == '#' || ahead("//")) {
      line_comment();
    } else if (ahead("/*")) {
      block_comment();
    } else if (c == '\'') {
      single_quoted();
    } else if (c == '"') {
      double_quoted();
    } else if (ahead("<<<")) {
      heredoc();
    } else if (c == '$' && name_start(at(pos_ + 1)) && at(pos_ + 1) != '\\') {
      word(TokenKind::variable, pos_ + 1);
    } else if (name_start(c)) {
      word(TokenKind::name, pos_);
    } else if (util::is_digit(c)) {
      std::size_t i = pos_;
      while (i < s_.size() && (util::is_alnum(s_[i]) || s_[i] == '_' || s_[i] == '.')) {
        ++i;
      }
      push(TokenKind::number, std::string(s_.substr(pos_, i - pos_)));
      advance_to(i);
    } else {
      punct();
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int line_ = 1, token_line_ = 1;
  Tokens out_;
  std::vector<std::size_t> stack_;
};

} // namespace

Tokens tokenize(std::string_view source) {
  return Lexer(source).run();
}

} // namespace digger::command::php
