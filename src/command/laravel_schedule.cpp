// Finding the scheduler's tasks in Kernel.php and routes/console.php (laravel_schedule.hpp):
// one pass over the tokens; every task is a receiver (`$schedule` or a `Schedule $x`
// parameter, the `Schedule::` facade, `Artisan::command(...)` with a frequency) followed by
// its call chain, each method applied as Laravel would (laravel_frequencies.cpp).
#include "digger/command/laravel_schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "laravel_values.hpp"
#include "php_tokens.hpp"

namespace digger::command {
namespace {

using laravel::Arg;
using php::Token;
using php::TokenKind;

constexpr std::size_t max_chain = 64, max_chain_text = 400;

bool is_punct(const Token& t, std::string_view text) {
  return t.kind == TokenKind::punct && t.text == text;
}
bool is_name(const Token& t, std::string_view text) {
  return t.kind == TokenKind::name && t.text == text;
}
bool class_is(std::string_view name, std::string_view cls) {
  return name == cls || (name.ends_with(cls) && name[name.size() - cls.size() - 1] == '\\');
}

// Laravel's compileParameters: a list value as it is, `--key=value` for a named one; values
// that are neither numeric nor options are quoted (ProcessUtils::escapeArgument).
std::optional<std::string> parameters(const laravel::Value& params) {
  std::string out;
  for (const auto& [key, value] : params.items) {
    if (value.array) {
      return std::nullopt;
    }
    std::string text = value.text;
    bool option = (text.size() == 2 && text[0] == '-') || text.starts_with("--");
    if (!value.number && !option) {
      std::string quoted = "'";
      for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      }
      text = quoted + "'";
    }
    out += (out.empty() ? "" : " ") + (key.empty() ? text : key + "=" + text);
  }
  return out;
}

class Reader {
public:
  explicit Reader(const std::vector<Token>& t) : t_(t) {}

  LaravelSchedule run() {
    std::vector<bool> blocks; // per open '{': a control block (if, foreach, ...)
    std::size_t in_blocks = 0;
    for (std::size_t i = 0; i < t_.size();) {
      if (is_punct(t_[i], "{")) {
        blocks.push_back(control_block(i));
        in_blocks += blocks.back() ? 1 : 0;
      } else if (is_punct(t_[i], "}") && !blocks.empty()) {
        in_blocks -= blocks.back() ? 1 : 0;
        blocks.pop_back();
      } else if (t_[i].kind == TokenKind::name && class_is(t_[i].text, "Schedule") &&
                 i + 1 < t_.size() && t_[i + 1].kind == TokenKind::variable) {
        schedule_vars_.insert(t_[i + 1].text); // a `Schedule $x` parameter
      }
      if (auto next = task_at(i, in_blocks > 0)) {
        i = *next;
        continue;
      }
      ++i;
    }
    return std::move(out_);
  }

private:
  // `{` after `else`, `do`, `try`, `finally`, or after `if (...)`, `foreach (...)`, ...
  bool control_block(std::size_t i) const {
    static constexpr std::array<std::string_view, 4> bare{"else", "do", "try", "finally"};
    static constexpr std::array<std::string_view, 7> headed{"if",    "elseif", "foreach", "for",
                                                            "while", "switch", "catch"};
    if (i == 0) {
      return false;
    }
    const Token& prev = t_[i - 1];
    if (prev.kind == TokenKind::name) {
      return std::find(bare.begin(), bare.end(), prev.text) != bare.end();
    }
    if (is_punct(prev, ")") && prev.match > 0) {
      const Token& head = t_[prev.match - 1];
      return head.kind == TokenKind::name &&
             std::find(headed.begin(), headed.end(), head.text) != headed.end();
    }
    return false;
  }

  // The receiver's kind at `i`: "schedule" ($schedule->, Schedule::), "artisan", or "".
  std::string_view receiver(std::size_t i) const {
    if (i + 3 >= t_.size() || t_[i + 2].kind != TokenKind::name || !is_punct(t_[i + 3], "(")) {
      return "";
    }
    const Token& r = t_[i];
    if (r.kind == TokenKind::variable && is_punct(t_[i + 1], "->") &&
        (r.text == "schedule" || schedule_vars_.contains(r.text))) {
      return "schedule";
    }
    if (r.kind == TokenKind::name && is_punct(t_[i + 1], "::")) {
      if (class_is(r.text, "Schedule")) {
        return "schedule";
      }
      if (class_is(r.text, "Artisan") && t_[i + 2].text == "command") {
        return "artisan";
      }
    }
    return "";
  }

  // A task starting at `i`: returns the index after its chain, or nullopt.
  std::optional<std::size_t> task_at(std::size_t i, bool in_block) {
    auto kind = receiver(i);
    static constexpr std::array<std::string_view, 4> kinds{"command", "exec", "job", "call"};
    const std::string& method = i + 2 < t_.size() ? t_[i + 2].text : t_[i].text;
    if (kind.empty() || std::find(kinds.begin(), kinds.end(), method) == kinds.end() ||
        t_[i + 3].match == 0) {
      return std::nullopt;
    }
    if (out_.tasks.size() >= max_laravel_tasks) {
      if (out_.notes.empty()) {
        out_.notes.push_back(fmt::format("task bound hit: {} tasks read", max_laravel_tasks));
      }
      return std::nullopt;
    }
    LaravelTask task;
    task.line = t_[i].line;
    task.kind = method;
    std::vector<std::string> fields{"*", "*", "*", "*", "*"};
    bool scheduled = kind == "schedule";
    describe_start(task, i + 3, scheduled);
    std::size_t j = t_[i + 3].match + 1;
    std::size_t methods = 0;
    while (j + 2 < t_.size() && (is_punct(t_[j], "->") || is_punct(t_[j], "?->")) &&
           t_[j + 1].kind == TokenKind::name && is_punct(t_[j + 2], "(") && t_[j + 2].match > 0) {
      const std::string& name = t_[j + 1].text;
      if (++methods > max_chain) {
        task.unresolved.push_back("call chain too long: the rest not read");
        break;
      }
      if (!scheduled && (laravel::is_frequency(name) || name == "schedule")) {
        scheduled = true; // Artisan::command(...)->purpose(...) is not a task until here
      }
      std::vector<std::optional<laravel::Value>> values;
      std::string shown;
      for (const Arg& arg : laravel::split_args(t_, j + 2)) {
        values.push_back(laravel::literal(t_, arg));
        shown += (shown.empty() ? "" : ", ") + laravel::render_arg(t_, arg);
      }
      append_chain(task, fmt::format("->{}({})", name, shown));
      if (scheduled && name != "schedule" && name != "purpose") {
        laravel::apply_method(task, fields, name, values);
      }
      j = t_[j + 2].match + 1;
    }
    if (!scheduled) {
      return j;
    }
    finish(task, fields, i, j, in_block);
    out_.tasks.push_back(std::move(task));
    return j;
  }

  void append_chain(LaravelTask& task, std::string_view text) const {
    if (task.chain.size() < max_chain_text) {
      task.chain += text;
      if (task.chain.size() > max_chain_text) {
        task.chain.resize(max_chain_text);
        task.chain += "...";
      }
    }
  }

  // What the task runs, from the receiver call's arguments (`open`: its '(').
  // `Artisan::command('name', closure)`: its second argument is the closure, not parameters.
  void describe_start(LaravelTask& task, std::size_t open, bool parameters_follow) const {
    auto args = laravel::split_args(t_, open);
    std::string shown;
    for (const Arg& arg : args) {
      shown += (shown.empty() ? "" : ", ") + laravel::render_arg(t_, arg);
    }
    append_chain(task, fmt::format("{}({})", task.kind, shown));
    if (args.empty()) {
      task.unresolved.push_back(task.kind + "(): no argument");
      return;
    }
    const Arg first = args[0];
    if (task.kind == "call") {
      bool closure = is_name(t_[first.begin], "function") || is_name(t_[first.begin], "fn") ||
                     (is_name(t_[first.begin], "static") && first.begin + 1 < first.end);
      task.what = closure ? "closure" : class_of(first);
      if (task.what.empty()) {
        task.what = "callable";
        task.unresolved.push_back("call(): the callable is not a literal");
      }
      return;
    }
    if (task.kind == "job") {
      task.what = class_of(first);
      if (task.what.empty()) {
        task.unresolved.push_back("job(): the job is not a literal");
      }
      return;
    }
    std::string cls = class_of(first);
    auto value = laravel::literal(t_, first);
    if (!cls.empty() && task.kind == "command") {
      task.what = cls;
      task.unresolved.push_back(fmt::format(
          "command(): given by its class {}: the command's name is in that class", cls));
    } else if (!value || value->array) {
      task.unresolved.push_back(task.kind + "(): the command is not a literal");
      return;
    } else {
      task.what = value->text;
    }
    if (args.size() > 1 && parameters_follow) {
      auto params = laravel::literal(t_, args[1]);
      auto text = params && params->array ? parameters(*params) : std::nullopt;
      if (!text) {
        task.unresolved.push_back(task.kind + "(): parameters that are not literals");
      } else if (!text->empty()) {
        task.what += " " + *text;
      }
    }
  }

  // `new X(...)`, `X::class`, `[X::class, 'method']`: the class name, else "".
  std::string class_of(Arg arg) const {
    std::size_t b = arg.begin;
    if (is_name(t_[b], "new") && b + 1 < arg.end && t_[b + 1].kind == TokenKind::name) {
      return t_[b + 1].text;
    }
    if (arg.end - b == 3 && t_[b].kind == TokenKind::name && is_punct(t_[b + 1], "::") &&
        is_name(t_[b + 2], "class")) {
      return t_[b].text;
    }
    if (is_punct(t_[b], "[") && t_[b].match > b + 3 && t_[b + 1].kind == TokenKind::name &&
        is_punct(t_[b + 2], "::") && is_name(t_[b + 3], "class")) {
      return t_[b + 1].text; // [X::class, 'method']
    }
    return "";
  }

  void finish(LaravelTask& task, const std::vector<std::string>& fields, std::size_t start,
              std::size_t end, bool in_block) const {
    if (!fields.empty() && !task.expression.empty()) {
      task.expression.clear();
      for (const auto& f : fields) {
        task.expression += (task.expression.empty() ? "" : " ") + f;
      }
    }
    if (start > 0 && is_punct(t_[start - 1], "=")) {
      task.unresolved.push_back("assigned to a variable: later calls on it are not followed");
    }
    if (end < t_.size() && (is_punct(t_[end], "->") || is_punct(t_[end], "?->"))) {
      task.unresolved.push_back("the call chain goes on with an expression not read");
    }
    if (in_block) {
      task.conditions.push_back(
          "inside an if/foreach/... block: may not run, or run more than once");
    }
  }

  const std::vector<Token>& t_;
  std::set<std::string, std::less<>> schedule_vars_;
  LaravelSchedule out_;
};

} // namespace

LaravelSchedule read_laravel_schedule(std::string_view php_source) {
  auto tokens = php::tokenize(php_source);
  LaravelSchedule out = Reader(tokens.tokens).run();
  if (tokens.unterminated) {
    out.notes.push_back("a string or comment runs to the end of the file");
  }
  return out;
}

} // namespace digger::command
