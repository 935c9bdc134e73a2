#include "digger/command/shell_words.hpp"

#include "digger/util/ascii.hpp"

#include <cstddef>

namespace digger::command {
namespace {

// A stray CR (a crontab saved with CRLF line ends) separates words like a blank.
bool is_blank(char c) {
  return util::is_blank(c) || c == '\r';
}
bool is_operator_start(char c) {
  return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>';
}
bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

// Index just past the quote that closes the single-quoted string opened at `open`, or npos.
std::size_t close_single(std::string_view s, std::size_t open) {
  return s.find('\'', open + 1);
}

// Index of the double quote that closes the string opened at `open`, or npos. Substitutions
// inside are not parsed: good enough to find where an opaque word ends, and linear.
std::size_t close_double(std::string_view s, std::size_t open) {
  for (std::size_t i = open + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i;
    }
  }
  return std::string_view::npos;
}

std::size_t close_backtick(std::string_view s, std::size_t open) {
  for (std::size_t i = open + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '`') {
      return i;
    }
  }
  return std::string_view::npos;
}

// Index of the bracket closing the one at `open` ('(' or '{'), counting nesting without
// recursion and skipping quoted parts, or npos when it never closes.
std::size_t close_bracket(std::string_view s, std::size_t open) {
  const char opening = s[open];
  const char closing = opening == '(' ? ')' : '}';
  std::size_t depth = 0;
  for (std::size_t i = open; i < s.size(); ++i) {
    const char c = s[i];
    std::size_t skip_to = i;
    if (c == '\\') {
      skip_to = i + 1;
    } else if (c == '\'') {
      skip_to = close_single(s, i);
    } else if (c == '"') {
      skip_to = close_double(s, i);
    } else if (c == '`') {
      skip_to = close_backtick(s, i);
    } else if (c == opening) {
      ++depth;
    } else if (c == closing && --depth == 0) {
      return i;
    }
    if (skip_to == std::string_view::npos) {
      return skip_to;
    }
    i = skip_to;
  }
  return std::string_view::npos;
}

class Lexer {
public:
  explicit Lexer(std::string_view text) : s_(text) {}

  ShellWords run() {
    while (i_ < s_.size()) {
      step();
    }
    finish_word();
    return std::move(out_);
  }

private:
  void step() {
    const char c = s_[i_];
    if (is_blank(c)) {
      finish_word();
      ++i_;
    } else if (c == '\n') {
      finish_word();
      push_op(";");
      ++i_;
    } else if (c == '#' && !in_word_) {
      skip_comment();
    } else if ((c == '<' || c == '>') && i_ + 1 < s_.size() && s_[i_ + 1] == '(') {
      take_opaque(close_bracket(s_, i_ + 1)); // process substitution <(...)
    } else if (is_operator_start(c)) {
      take_operator();
    } else if (c == '\\') {
      take_escape();
    } else if (c == '\'') {
      take_single_quoted();
    } else if (c == '"') {
      take_double_quoted();
    } else if (c == '$' || c == '`') {
      take_expansion();
    } else {
      append(c);
      ++i_;
    }
  }

  void append(char c) {
    in_word_ = true;
    word_.text.push_back(c);
    if (!word_.quoted && !word_.has_expansion) {
      ++plain_prefix_;
    }
  }

  void mark_quoted() {
    in_word_ = true;
    word_.quoted = true;
  }

  void skip_comment() {
    const std::size_t end = s_.find('\n', i_);
    i_ = end == std::string_view::npos ? s_.size() : end;
  }

  void take_escape() {
    if (i_ + 1 >= s_.size()) {
      append('\\'); // a trailing backslash stays literal
      ++i_;
      return;
    }
    if (s_[i_ + 1] == '\n') { // line continuation
      i_ += 2;
      return;
    }
    mark_quoted();
    word_.text.push_back(s_[i_ + 1]);
    i_ += 2;
  }

  void take_single_quoted() {
    mark_quoted();
    const std::size_t end = close_single(s_, i_);
    const std::size_t stop = end == std::string_view::npos ? s_.size() : end;
    word_.text.append(s_.substr(i_ + 1, stop - i_ - 1));
    note_unclosed(end);
    i_ = end == std::string_view::npos ? s_.size() : end + 1;
  }

  void take_double_quoted() {
    mark_quoted();
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') {
      const char c = s_[i_];
      if (c == '\\' && i_ + 1 < s_.size()) {
        const char next = s_[i_ + 1];
        if (next != '$' && next != '`' && next != '"' && next != '\\' && next != '\n') {
          word_.text.push_back('\\'); // inside "", other backslashes are literal
        }
        if (next != '\n') {
          word_.text.push_back(next);
        }
        i_ += 2;
      } else if (c == '$' || c == '`') {
        take_expansion();
      } else {
        word_.text.push_back(c);
        ++i_;
      }
    }
    note_unclosed(i_ < s_.size() ? i_ : std::string_view::npos);
    i_ = i_ < s_.size() ? i_ + 1 : s_.size();
  }

  // $(...), $((...)), ${...} and `...` are copied verbatim; a plain $NAME is copied as text.
  void take_expansion() {
    in_word_ = true;
    word_.has_expansion = true;
    const char c = s_[i_];
    if (c == '`') {
      take_opaque(close_backtick(s_, i_));
    } else if (i_ + 1 < s_.size() && (s_[i_ + 1] == '(' || s_[i_ + 1] == '{')) {
      take_opaque(close_bracket(s_, i_ + 1));
    } else {
      word_.text.push_back('$');
      ++i_;
    }
  }

  // Copies from the current position up to and including `close` (npos: to the end).
  void take_opaque(std::size_t close) {
    in_word_ = true;
    word_.has_expansion = true;
    const std::size_t stop = close == std::string_view::npos ? s_.size() : close + 1;
    word_.text.append(s_.substr(i_, stop - i_));
    note_unclosed(close);
    i_ = stop;
  }

  void note_unclosed(std::size_t close) {
    if (close == std::string_view::npos) {
      out_.complete = false;
    }
  }

  // A word made only of unquoted digits right before '<' or '>' is the file descriptor.
  std::string take_io_number() {
    if (!in_word_ || word_.quoted || word_.has_expansion || word_.text.empty()) {
      return {};
    }
    for (char d : word_.text) {
      if (d < '0' || d > '9') {
        return {};
      }
    }
    std::string fd = std::move(word_.text);
    reset_word();
    return fd;
  }

  void take_operator() {
    const char c = s_[i_];
    if (c == '<' || c == '>') {
      std::string fd = take_io_number();
      finish_word();
      take_redirect(std::move(fd));
      return;
    }
    finish_word();
    const char next = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    if (c == '&' && next == '>') {
      take_redirect({});
    } else if ((c == '&' && next == '&') || (c == '|' && (next == '|' || next == '&'))) {
      push_op(std::string{c, next});
      i_ += 2;
    } else if (c == ';' && next == ';') {
      push_op(";");
      i_ += 2;
    } else {
      push_op(std::string(1, c));
      ++i_;
    }
  }

  void take_redirect(std::string fd) {
    static constexpr std::string_view forms[] = {"&>>", "<<<", "<<-", "&>", ">>", ">&",
                                                 ">|",  "<<",  "<&",  "<>", ">",  "<"};
    for (std::string_view form : forms) {
      if (s_.substr(i_, form.size()) == form) {
        ShellToken token;
        token.kind = ShellTokenKind::redirect;
        token.text = fd + std::string(form);
        out_.tokens.push_back(std::move(token));
        pending_redirect_ = out_.tokens.size();
        i_ += form.size();
        return;
      }
    }
  }

  void push_op(std::string op) {
    pending_redirect_ = 0; // a redirection followed directly by an operator has no target
    ShellToken token;
    token.kind = ShellTokenKind::op;
    token.text = std::move(op);
    out_.tokens.push_back(std::move(token));
  }

  void finish_word() {
    if (!in_word_) {
      return;
    }
    if (pending_redirect_ != 0) {
      out_.tokens[pending_redirect_ - 1].target = std::move(word_.text);
      pending_redirect_ = 0;
    } else {
      word_.is_assignment = looks_like_assignment();
      out_.tokens.push_back(std::move(word_));
    }
    reset_word();
  }

  bool looks_like_assignment() const {
    const std::string& t = word_.text;
    if (t.empty() || !is_name_start(t[0])) {
      return false;
    }
    for (std::size_t k = 1; k < t.size() && k < plain_prefix_; ++k) {
      if (t[k] == '=') {
        return true;
      }
      if (!is_name_char(t[k])) {
        return false;
      }
    }
    return false;
  }

  void reset_word() {
    word_ = ShellToken{};
    in_word_ = false;
    plain_prefix_ = 0;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  ShellWords out_;
  ShellToken word_;
  bool in_word_ = false;
  std::size_t plain_prefix_ = 0;     // leading characters of the word that were unquoted text
  std::size_t pending_redirect_ = 0; // 1-based index of a redirect still waiting for its word
};

} // namespace

ShellWords split_shell_words(std::string_view text) {
  return Lexer(text).run();
}

} // namespace digger::command
