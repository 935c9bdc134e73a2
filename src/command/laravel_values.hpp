#pragma once

// PHP literal values as the Laravel scheduler reader needs them (private to
// laravel_schedule.cpp and laravel_frequencies.cpp): an argument is a literal (string, number,
// true/false/null, a `Schedule::MONDAY` day constant, or an array of those), or it is not, and
// then nothing is guessed from it.

#include "digger/command/laravel_schedule.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "php_tokens.hpp"

namespace digger::command::laravel {

struct ArrayItem;

struct Value {
  std::string text; // a scalar as PHP turns it into a string ("" for false and null)
  bool number = false;
  bool array = false;
  // array: its items. A struct of our own, not std::pair: a pair cannot hold the still
  // incomplete Value (libstdc++ checks it under clang), a vector of a declared struct can.
  std::vector<ArrayItem> items;
};

struct ArrayItem {
  std::string key; // "" for a list item
  Value value;
};

// One argument: tokens [begin, end) of the token list.
struct Arg {
  std::size_t begin = 0, end = 0;
};

// The arguments of the call whose '(' is at `open` (its match must be set).
std::vector<Arg> split_args(const std::vector<php::Token>& tokens, std::size_t open);

std::optional<Value> literal(const std::vector<php::Token>& tokens, Arg arg);

// implode(',', ...) of an array, or the scalar itself; nullopt for nested arrays.
std::optional<std::string> implode(const Value& value);

// PHP's (int) cast of a string ("08" -> 8, "ab" -> 0); nullopt where this reader does not
// follow PHP (an exponent).
std::optional<long long> php_int(std::string_view text);

// The call's argument as written, for the chain text: literals quoted, the rest "...".
std::string render_arg(const std::vector<php::Token>& tokens, Arg arg);

// Applies one chained method (`->dailyAt('13:00')`) to the task. Unknown methods are listed in
// task.unresolved. `fields` holds the expression's fields; empty once it is not static.
void apply_method(LaravelTask& task, std::vector<std::string>& fields, const std::string& name,
                  const std::vector<std::optional<Value>>& args);

// Whether `name` sets a frequency (what makes `Artisan::command(...)` a scheduled task).
bool is_frequency(std::string_view name);

} // namespace digger::command::laravel
