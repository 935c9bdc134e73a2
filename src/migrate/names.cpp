#include "digger/migrate/names.hpp"

#include "digger/util/path.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace digger::migrate {
namespace {

using util::base_name;

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

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) {
      ++pos;
    }
    const size_t start = pos;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t' && text[pos] != ';' &&
           text[pos] != '|' && text[pos] != '&' && text[pos] != '>' && text[pos] != '<') {
      ++pos;
    }
    if (pos > start) {
      out.push_back(text.substr(start, pos - start));
    }
    if (pos < text.size() && text[pos] != ' ' && text[pos] != '\t') {
      break; // the first simple command ends here
    }
  }
  return out;
}

bool is_wrapper(std::string_view word) {
  static constexpr std::array<std::string_view, 9> wrappers = {
      "sudo", "nice", "ionice", "flock", "timeout", "nohup", "env", "exec", "chronic"};
  return std::find(wrappers.begin(), wrappers.end(), word) != wrappers.end();
}

} // namespace

NameRules name_rules(Target target) {
  switch (target) {
  case Target::eventbridge:      // Scheduler: 1-64, ^[0-9a-zA-Z-_.]+$
  case Target::eventbridge_rule: // rules: 1-64, [\.\-_A-Za-z0-9]+
    return {64, "-_.", false};
  case Target::batch: // job definition: up to 128, [A-Za-z0-9_-]
    return {128, "-_", false};
  case Target::jenkins: // item names: keep to a portable set
    return {128, "-_.", false};
  case Target::kubernetes: // DNS subdomain, and 52 so the controller can append 11
    return {52, "-", true};
  case Target::systemd: // unit names: 255 with the ".service"/".timer" suffix
    return {240, "-_.", false};
  }
  return {};
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
  const auto list = words(command);
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
