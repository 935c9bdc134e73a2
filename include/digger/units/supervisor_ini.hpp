#pragma once

// The INI layer of supervisord's configuration: Python's configparser.RawConfigParser as
// supervisord builds it (UnhosedConfigParser: inline_comment_prefixes=(';', '#'), strict=False),
// reading one or more files into one parser. Values are raw: supervisord's own %(name)s
// expansion is supervisor_config.hpp's job. Pure: the caller hands over the files' bytes.

#include <string>
#include <string_view>
#include <vector>

namespace digger::units {

struct IniOption {
  std::string name;  // lowercased, as optionxform does
  std::string value; // continuation lines joined with '\n', trailing whitespace removed
  int line = 0;      // 1-based line of `name = ...` in its file
  int file = 0;      // index of the file it was read from (read_ini_file's `file_index`)
};

struct IniSection {
  std::string name; // as written between the brackets (case-sensitive)
  int line = 0;     // where it first appears
  int file = 0;
  std::vector<IniOption> options; // first-appearance order; a later assignment replaces the value
};

// One parser holding every file read into it, as supervisord's single UnhosedConfigParser.
struct IniDocument {
  std::vector<IniSection> sections; // in first-appearance order, without [DEFAULT]
  IniSection defaults;              // [DEFAULT]: seen by every section (ConfigParser rule)
  // Why configparser raised ("line 7: Source contains parsing errors ..."), in reading
  // order: supervisord then refuses to start.
  std::vector<std::string> errors;

  const IniSection* section(std::string_view name) const;
  // The option of a section, or of [DEFAULT]; nullptr when neither has it.
  const IniOption* option(std::string_view section, std::string_view name) const;
};

// Reads one file into `doc` like RawConfigParser.read_file: universal newlines; `;`/`#` start a
// full-line comment, and an inline comment when preceded by whitespace (even inside quotes:
// supervisor issue 857); `key = value` or `key: value` split at the first delimiter; a line
// indented deeper than its option continues the value (blank lines inside kept); a repeated
// section merges into the first and a repeated option replaces the value (strict=False). A line
// before any section header stops the file (MissingSectionHeaderError); other bad lines are
// collected (ParsingError) and the rest read. Any bytes; never throws; linear.
void read_ini_file(IniDocument& doc, std::string_view text, int file_index);

} // namespace digger::units
