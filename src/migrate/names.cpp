#include "digger/migrate/names.hpp"

#include "digger/migrate/target_spec.hpp"
#include "digger/util/words.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace digger::migrate {
namespace {

bool allowed(char c, const NameRules& rules) {
  const auto u = static_cast<unsigned char>(c);
  return u < 128 && (std::isalnum(u) || rules.punctuation.find(c) != std::string_view::npos);
}

bool is_separator(char c) {
  return c == '-' || c == '_' || c == '.';
}

std::string sanitize(std::string_view proposed, const NameRules& rules) {
  std::string out;
  for (char c : proposed) {
    char d = rules.lowercase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
    if (!allowed(d, rules)) {
      d = '-';
    }
    if (d == '-' && !out.empty() && out.back() == '-') {
      continue; // collapse runs of replaced characters
    }
    out += d;
  }
  // DNS names (and tidy names everywhere) start and end with a letter or digit.
  while (!out.empty() && is_separator(out.front())) {
    out.erase(out.begin());
  }
  while (!out.empty() && is_separator(out.back())) {
    out.pop_back();
  }
  return out.empty() ? std::string("job") : out;
}

std::string fit(std::string base, std::string_view suffix, size_t max_length) {
  const size_t room = max_length > suffix.size() ? max_length - suffix.size() : 0;
  if (base.size() > room) {
    base.resize(room);
  }
  while (!base.empty() && is_separator(base.back())) {
    base.pop_back();
  }
  return base + std::string(suffix);
}

bool is_wrapper(std::string_view word) {
  static constexpr std::array<std::string_view, 9> wrappers = {
      "sudo", "nice", "ionice", "flock", "timeout", "nohup", "env", "exec", "chronic"};
  return std::find(wrappers.begin(), wrappers.end(), word) != wrappers.end();
}

std::string_view base_name(std::string_view word) {
  const auto slash = word.find_last_of('/');
  return slash == std::string_view::npos ? word : word.substr(slash + 1);
}

} // namespace

NameRules name_rules(Target target) {
  return target->names;
}

std::string unique_name(std::string_view proposed, std::set<std::string>& used,
                        const NameRules& rules) {
  const std::string base = sanitize(proposed, rules);
  std::string name = fit(base, "", rules.max_length);
  for (int n = 2; used.count(name) != 0; ++n) {
    name = fit(base, fmt::format("-{}", n), rules.max_length);
  }
  used.insert(name);
  return name;
}

std::string program_name(std::string_view command) {
  const auto list = util::blank_words_until(command, ";|&><");
  bool after_wrapper = false;
  bool skip_lock_file = false;
  for (std::string_view word : list) {
    if (word.find('=') != std::string_view::npos && !after_wrapper) {
      continue; // VAR=value before the command
    }
    if (word.starts_with('-') || (after_wrapper && word.find('=') != std::string_view::npos)) {
      continue; // options of a wrapper
    }
    const std::string_view name = base_name(word);
    if (skip_lock_file) {
      skip_lock_file = false; // flock's first argument is its lock file
      continue;
    }
    if (is_wrapper(name)) {
      after_wrapper = true;
      skip_lock_file = name == "flock";
      continue;
    }
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      continue; // a wrapper's numeric argument (timeout 300, nice 10)
    }
    if (!name.empty()) {
      return std::string(name);
    }
  }
  return "job";
}

} // namespace digger::migrate
