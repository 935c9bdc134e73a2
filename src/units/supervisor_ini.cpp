// configparser.RawConfigParser._read (CPython 3.9-3.12, Debian 12 and RHEL 9's Pythons) as
// supervisord configures it: inline_comment_prefixes (';', '#'), comment_prefixes ('#', ';'),
// delimiters ('=', ':'), empty_lines_in_values and strict=False.
#include "digger/units/supervisor_ini.hpp"

#include "digger/util/ascii.hpp"

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <limits>

#include "python_text.hpp"

namespace digger::units {
namespace {

using detail::py_rstrip;
using detail::py_space;
using detail::py_strip;

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

// Where the inline comment starts, found as CPython < 3.13 does: in rounds, each round looking
// at the next occurrence of each prefix, stopping at the first round where one occurrence
// follows whitespace. So "a#b #c ;d" keeps "a#b #c" (round 1 finds " ;" before " #").
std::size_t inline_comment_start(std::string_view line) {
  std::array<std::size_t, 2> next{0, 0}; // search position per prefix; none = exhausted
  constexpr std::array<char, 2> prefixes{';', '#'};
  while (next[0] != none || next[1] != none) {
    std::size_t start = none;
    for (std::size_t p = 0; p < prefixes.size(); ++p) {
      if (next[p] == none) {
        continue;
      }
      const std::size_t at = line.find(prefixes[p], next[p]);
      if (at == std::string_view::npos) {
        next[p] = none;
        continue;
      }
      next[p] = at + 1;
      if (at == 0 || py_space(line[at - 1])) {
        start = std::min(start, at);
      }
    }
    if (start != none) {
      return start;
    }
  }
  return none;
}

bool is_full_line_comment(std::string_view line) {
  const auto stripped = py_strip(line);
  return !stripped.empty() && (stripped.front() == '#' || stripped.front() == ';');
}

std::size_t indent_of(std::string_view line) {
  std::size_t at = 0;
  while (at < line.size() && py_space(line[at])) {
    ++at;
  }
  return at == line.size() ? 0 : at;
}

// The next line of a text opened with universal newlines: "\n", "\r\n" and "\r" all end one.
std::string_view next_line(std::string_view& text) {
  std::size_t end = text.find_first_of("\r\n");
  std::string_view line = text.substr(0, end);
  if (end == std::string_view::npos) {
    text = {};
  } else {
    end += (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ? 2 : 1;
    text.remove_prefix(end);
  }
  return line;
}

class FileReader {
public:
  FileReader(IniDocument& doc, int file) : doc_(doc), file_(file) {}

  void read(std::string_view text) {
    int number = 0;
    while (!text.empty()) {
      const auto line = next_line(text);
      ++number;
      if (!read_line(line, number)) {
        break;
      }
    }
    finish();
  }

private:
  IniSection* current_section() {
    if (section_ == defaults_index) {
      return &doc_.defaults;
    }
    return section_ < 0 ? nullptr : &doc_.sections[static_cast<std::size_t>(section_)];
  }

  // False when the file stops here (an option before any section header).
  bool read_line(std::string_view line, int number) {
    std::size_t comment = inline_comment_start(line);
    if (is_full_line_comment(line)) {
      comment = 0;
    }
    const auto value = py_strip(line.substr(0, comment == none ? line.size() : comment));
    if (value.empty()) {
      // A blank line inside a value is kept (empty_lines_in_values); a comment line is not.
      if (comment == none && option_ != none) {
        current_section()->options[option_].value += '\n';
      }
      return true;
    }
    const std::size_t indent = indent_of(line);
    if (section_ != no_section && option_ != none && indent > indent_level_) {
      auto& option = current_section()->options[option_];
      option.value += '\n';
      option.value += value;
      return true;
    }
    indent_level_ = indent;
    if (value.front() == '[') {
      const std::size_t close = value.rfind(']');
      if (close != std::string_view::npos && close >= 2) {
        open_section(value.substr(1, close - 1), number);
        return true;
      }
    }
    if (section_ == no_section) {
      doc_.errors.push_back(fmt::format("line {}: File contains no section headers", number));
      return false;
    }
    read_option(value, number);
    return true;
  }

  void open_section(std::string_view name, int number) {
    option_ = none;
    if (name == "DEFAULT") {
      section_ = defaults_index;
      return;
    }
    for (std::size_t i = 0; i < doc_.sections.size(); ++i) {
      if (doc_.sections[i].name == name) { // strict=False: the sections merge
        section_ = static_cast<int>(i);
        return;
      }
    }
    doc_.sections.push_back({std::string(name), number, file_, {}});
    section_ = static_cast<int>(doc_.sections.size() - 1);
  }

  void read_option(std::string_view value, int number) {
    const std::size_t delimiter = value.find_first_of("=:");
    if (delimiter == std::string_view::npos) {
      doc_.errors.push_back(
          fmt::format("line {}: Source contains parsing errors (no '=' or ':')", number));
      return; // like configparser, the option before it stays open for continuation lines
    }
    const std::string name = util::lower(py_rstrip(value.substr(0, delimiter)));
    if (name.empty()) {
      doc_.errors.push_back(
          fmt::format("line {}: Source contains parsing errors (no option name)", number));
    }
    auto& options = current_section()->options;
    const std::string text(py_strip(value.substr(delimiter + 1)));
    std::size_t at = 0;
    while (at < options.size() && options[at].name != name) {
      ++at;
    }
    if (at == options.size()) {
      options.push_back({});
    }
    options[at] = {name, text, number, file_}; // strict=False: the later value wins
    // An empty name is falsy in configparser: no continuation line joins it.
    option_ = name.empty() ? none : at;
  }

  // _join_multiline_values: the joined value loses its trailing whitespace (blank lines).
  void finish() {
    auto trim = [](IniSection& section) {
      for (auto& option : section.options) {
        option.value.resize(py_rstrip(option.value).size());
      }
    };
    for (auto& section : doc_.sections) {
      trim(section);
    }
    trim(doc_.defaults);
  }

  static constexpr int no_section = -1;
  static constexpr int defaults_index = -2;

  IniDocument& doc_;
  int file_;
  int section_ = no_section;
  std::size_t option_ = none;
  std::size_t indent_level_ = 0;
};

} // namespace

const IniSection* IniDocument::section(std::string_view name) const {
  for (const auto& candidate : sections) {
    if (candidate.name == name) {
      return &candidate;
    }
  }
  return nullptr;
}

const IniOption* IniDocument::option(std::string_view section_name, std::string_view name) const {
  for (const IniSection* holder : {section(section_name), &defaults}) {
    if (holder == nullptr) {
      continue;
    }
    for (const auto& candidate : holder->options) {
      if (candidate.name == name) {
        return &candidate;
      }
    }
  }
  return nullptr;
}

void read_ini_file(IniDocument& doc, std::string_view text, int file_index) {
  FileReader(doc, file_index).read(text);
}

} // namespace digger::units
