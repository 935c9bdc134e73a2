#include "digger/command/shell_commands.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace digger::command {
namespace {

bool is_unquoted(const ShellToken& t, std::string_view word) {
  return t.kind == ShellTokenKind::word && !t.quoted && !t.has_expansion && t.text == word;
}

// Words that only frame the commands around them when they come first.
bool is_framing_word(const ShellToken& t) {
  static constexpr std::array<std::string_view, 11> words = {
      "if", "then", "elif", "else", "fi", "do", "done", "while", "until", "!", "esac"};
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return is_unquoted(t, w); });
}

bool is_control_header(const ShellToken& t) {
  return is_unquoted(t, "for") || is_unquoted(t, "case") || is_unquoted(t, "select") ||
         is_unquoted(t, "function");
}

class Splitter {
public:
  CommandList run(const std::vector<ShellToken>& tokens) {
    for (const ShellToken& token : tokens) {
      take(token);
    }
    close_command();
    return std::move(out_);
  }

private:
  void take(const ShellToken& token) {
    if (token.kind == ShellTokenKind::redirect) {
      take_redirect(token);
    } else if (token.kind == ShellTokenKind::op) {
      take_operator(token.text);
    } else if (current_.words.empty() && is_framing_word(token)) {
      return;
    } else if (current_.words.empty() && is_unquoted(token, "{")) {
      open_group();
    } else if (current_.words.empty() && is_unquoted(token, "}")) {
      close_group();
    } else {
      if (current_.words.empty() && is_control_header(token)) {
        current_.control = true;
      }
      current_.words.push_back(token);
    }
  }

  void take_redirect(const ShellToken& token) {
    if (after_group_ && current_.words.empty()) {
      out_.group_redirects.push_back(token);
    } else {
      current_.redirects.push_back(token);
    }
  }

  void take_operator(const std::string& op) {
    if (op == "(") {
      close_command();
      open_group();
    } else if (op == ")") {
      close_group();
    } else {
      close_command();
      next_connector_ = op;
      after_group_ = false;
    }
  }

  void open_group() {
    ++depth_;
    after_group_ = false;
  }

  void close_group() {
    close_command();
    depth_ = std::max(0, depth_ - 1);
    after_group_ = true;
  }

  void close_command() {
    if (current_.words.empty() && current_.redirects.empty()) {
      current_ = SimpleCommand{};
      return;
    }
    current_.connector = std::move(next_connector_);
    current_.pipe_input = current_.connector == "|" || current_.connector == "|&";
    current_.depth = depth_;
    out_.commands.push_back(std::move(current_));
    current_ = SimpleCommand{};
    next_connector_.clear();
  }

  CommandList out_;
  SimpleCommand current_;
  std::string next_connector_;
  int depth_ = 0;
  bool after_group_ = false;
};

} // namespace

CommandList split_commands(const std::vector<ShellToken>& tokens) {
  return Splitter{}.run(tokens);
}

} // namespace digger::command
