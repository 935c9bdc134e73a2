// systemd unit files read as text, following src/shared/conf-parser.c (config_parse).

#include "digger/units/unit_file.hpp"

#include "digger/util/ascii.hpp"

#include <algorithm>

namespace digger::units {
namespace {

constexpr std::size_t long_line_max = 1024 * 1024; // systemd's LONG_LINE_MAX
constexpr std::string_view whitespace = " \t\n\r";

std::string_view strip(std::string_view s) {
  return util::trim(s, whitespace);
}

bool is_comment(std::string_view line) {
  const auto s = strip(line);
  return !s.empty() && (s.front() == '#' || s.front() == ';');
}

// True when the line ends in a backslash that is not itself escaped.
bool ends_escaped(std::string_view line) {
  bool escaped = false;
  for (char c : line) {
    escaped = !escaped && c == '\\';
  }
  return escaped;
}

class UnitParser {
public:
  UnitFile run(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
      text.remove_prefix(3);
    }
    int number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      auto end = text.find('\n', pos);
      if (end == std::string_view::npos) {
        end = text.size();
      }
      take_line(text.substr(pos, end - pos), ++number);
      pos = end + 1;
    }
    if (in_continuation_) {
      logical(continuation_, continuation_line_);
    }
    return std::move(file_);
  }

private:
  void take_line(std::string_view line, int number) {
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1); // CRLF files read like LF ones
    }
    if (in_continuation_ && is_comment(line)) {
      return; // comment lines inside a continuation are dropped
    }
    if (!in_continuation_) {
      continuation_.clear();
      continuation_line_ = number;
    }
    if (continuation_.size() + line.size() > long_line_max) {
      file_.errors.emplace_back(number, "crontab::Line too long");
      in_continuation_ = false;
      continuation_.clear();
      return;
    }
    continuation_ += line;
    if (ends_escaped(continuation_)) {
      continuation_.back() = ' ';
      in_continuation_ = true;
      return;
    }
    in_continuation_ = false;
    logical(continuation_, continuation_line_);
  }

  void logical(std::string_view raw, int number) {
    const auto line = strip(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') {
      return;
    }
    if (line.front() == '[') {
      if (line.size() < 2 || line.back() != ']') {
        file_.errors.emplace_back(number, "Invalid section header '" + std::string(line) + "'");
        return;
      }
      section_ = std::string(line.substr(1, line.size() - 2));
      return;
    }
    if (section_.empty()) {
      file_.errors.emplace_back(number, "Assignment outside of section. Ignoring.");
      return;
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      file_.errors.emplace_back(number, "Missing '=', ignoring line.");
      return;
    }
    file_.entries.push_back(UnitEntry{number, section_, std::string(strip(line.substr(0, eq))),
                                      std::string(strip(line.substr(eq + 1)))});
  }

  UnitFile file_;
  std::string section_;
  std::string continuation_;
  int continuation_line_ = 0;
  bool in_continuation_ = false;
};

} // namespace

std::vector<const UnitEntry*> UnitFile::all(std::string_view section, std::string_view key) const {
  std::vector<const UnitEntry*> out;
  for (const auto& e : entries) {
    if (e.section != section || e.key != key) {
      continue;
    }
    if (e.value.empty()) {
      out.clear();
    } else {
      out.push_back(&e);
    }
  }
  return out;
}

const UnitEntry* UnitFile::last(std::string_view section, std::string_view key) const {
  const UnitEntry* found = nullptr;
  for (const auto& e : entries) {
    if (e.section == section && e.key == key) {
      found = &e;
    }
  }
  return found;
}

UnitFile parse_unit_file(std::string_view text) {
  return UnitParser{}.run(text);
}

} // namespace digger::units
