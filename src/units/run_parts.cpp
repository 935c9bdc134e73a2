// Which files of a cron.{hourly,daily,weekly,monthly} directory run-parts runs.
// Debian: debianutils run-parts.c (valid_name with the default regex, then stat(), S_ISREG
// and access(X_OK)). cronie: the crontabs package's run-parts script (glob *[^~,], skip
// directories, backup suffixes, jobs.deny/jobs.allow, then [ -x ]).

#include "digger/units/run_parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace digger::units {
namespace {

constexpr std::uint32_t any_execute = 0111;

bool debian_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

std::optional<std::string> debian_name_reason(std::string_view name) {
  if (name.empty()) {
    return "empty name";
  }
  const auto bad = std::find_if_not(name.begin(), name.end(), debian_name_char);
  if (bad == name.end()) {
    return std::nullopt;
  }
  if (*bad == '.') {
    return "name has a '.': Debian's run-parts skips it";
  }
  return fmt::format("name has a character outside [a-zA-Z0-9_-] ('{}'): Debian's run-parts "
                     "skips it",
                     std::isprint(static_cast<unsigned char>(*bad))
                         ? std::string(1, *bad)
                         : std::string("\\x") +
                               fmt::format("{:02x}", static_cast<unsigned char>(*bad)));
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool listed(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<std::string> cronie_name_reason(std::string_view name, const RunPartsLists& lists) {
  if (name.empty() || name.front() == '.') {
    return "hidden name: the run-parts script's glob does not list it";
  }
  if (name.back() == '~' || name.back() == ',') {
    return "name ends in '~' or ',': the run-parts script skips it";
  }
  // The script word-splits the glob's output, so a name with blanks becomes other paths.
  if (name.find_first_of(" \t\n") != std::string_view::npos) {
    return "name has blanks: the run-parts script splits it and skips it";
  }
  for (std::string_view suffix : {".cfsaved", ".rpmsave", ".rpmorig", ".rpmnew", ".swp", ",v"}) {
    if (ends_with(name, suffix)) {
      return fmt::format("name ends in '{}': the run-parts script skips it", suffix);
    }
  }
  if (lists.deny && listed(*lists.deny, name)) {
    return "listed in jobs.deny";
  }
  if (lists.allow && !listed(*lists.allow, name)) {
    return "not listed in jobs.allow";
  }
  return std::nullopt;
}

// Shell words, split at blanks and at the operators that can stick to a path ("dir;", "dir)").
std::vector<std::string_view> command_words(std::string_view command) {
  std::vector<std::string_view> words;
  constexpr std::string_view separators = " \t\n;&|(){}<>'\"";
  std::size_t i = 0;
  while (i < command.size()) {
    i = command.find_first_not_of(separators, i);
    if (i == std::string_view::npos) {
      break;
    }
    const auto end = std::min(command.find_first_of(separators, i), command.size());
    words.push_back(command.substr(i, end - i));
    i = end;
  }
  return words;
}

bool is_run_parts(std::string_view word) {
  return word == "run-parts" || ends_with(word, "/run-parts");
}

bool takes_value(std::string_view option) {
  return option == "-u" || option == "--umask" || option == "-a" || option == "--arg" ||
         option == "--regex";
}

} // namespace

std::vector<std::string> run_parts_directories(std::string_view command) {
  std::vector<std::string> directories;
  const auto words = command_words(command);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!is_run_parts(words[i])) {
      continue;
    }
    std::size_t j = i + 1;
    while (j < words.size() && words[j].size() > 1 && words[j][0] == '-') {
      if (words[j] == "--") {
        ++j;
        break;
      }
      j += takes_value(words[j]) ? 2 : 1;
    }
    if (j < words.size()) {
      std::string directory(words[j]);
      while (directory.size() > 1 && directory.back() == '/') {
        directory.pop_back();
      }
      directories.push_back(std::move(directory));
    }
    i = j;
  }
  return directories;
}

std::optional<std::string> run_parts_skip_reason(std::string_view file_name, std::uint32_t mode,
                                                 bool regular_file, RunPartsFlavor flavor,
                                                 const RunPartsLists& lists) {
  auto name_reason = flavor == RunPartsFlavor::debian ? debian_name_reason(file_name)
                                                      : cronie_name_reason(file_name, lists);
  if (name_reason) {
    return name_reason;
  }
  if (!regular_file) {
    return std::string("not a regular file");
  }
  if ((mode & any_execute) == 0) {
    return std::string("not executable");
  }
  return std::nullopt;
}

} // namespace digger::units
