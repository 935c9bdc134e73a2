#include "digger/report/table_writer.hpp"

#include "digger/report/text.hpp"

#include <fmt/format.h>

namespace digger::report {

std::string TableWriter::fitted(std::string_view text) const {
  return style_.width == 0 ? std::string(text) : fit(text, style_.width);
}

void TableWriter::line(std::string_view text) {
  out_ += fitted(text) + "\n";
}

void TableWriter::para(std::string_view text, std::size_t indent, bool alert) {
  painted(text, indent, alert ? "\x1b[31m" : "");
}

void TableWriter::painted(std::string_view text, std::size_t indent, std::string_view color) {
  const std::size_t start = out_.size();
  wrap(text, indent);
  if (!color.empty() && style_.color) {
    out_.insert(start, color);
    out_.insert(out_.size() - 1, "\x1b[0m");
  }
}

// Words are split at single blanks, so runs of blanks (column gaps) survive; a line ends only
// between words, and the blanks where it ends are dropped.
void TableWriter::wrap(std::string_view text, std::size_t indent) {
  if (style_.width == 0 || text_width(text) <= style_.width) {
    out_ += std::string(text) + "\n";
    return;
  }
  const std::string margin(std::min(indent, style_.width / 2), ' ');
  std::string current;
  bool first = true;
  bool fresh = false; // at the start of a continuation line: leading blanks are dropped
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto end = std::min(text.find(' ', at), text.size());
    const std::string_view word = text.substr(at, end - at);
    at = end + 1;
    const bool has_content = current.find_first_not_of(' ') != std::string::npos;
    if (!first && !word.empty() && has_content &&
        text_width(current) + 1 + text_width(word) > style_.width) {
      current.erase(current.find_last_not_of(' ') + 1);
      out_ += current + "\n";
      current = margin;
      fresh = true;
    } else if (!first && !fresh) {
      current += ' ';
    }
    if (!(fresh && word.empty())) {
      current += word;
      fresh = fresh && word.empty();
    }
    first = false;
  }
  out_ += current + "\n";
}

void TableWriter::items(std::string_view lead, const std::vector<std::string>& items) {
  const std::string indent(lead.size(), ' ');
  std::string current(lead);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item = terminal_text(items[i]) + (i + 1 < items.size() ? ";" : "");
    const bool first_on_line = current.size() == lead.size();
    if (style_.width > 0 && !first_on_line &&
        text_width(current) + 1 + text_width(item) > style_.width) {
      out_ += current + "\n";
      current = indent;
    }
    current += (current.size() == lead.size() ? "" : " ") + item;
  }
  out_ += current + "\n";
}

void TableWriter::heading(std::string_view text) {
  painted(text, 2, "\x1b[1m");
}

void TableWriter::alert(std::string_view text) {
  out_ += style_.color ? fmt::format("\x1b[31m{}\x1b[0m\n", fitted(text)) : fitted(text) + "\n";
}

std::string TableWriter::cell(std::string_view text, std::size_t width) const {
  if (style_.width == 0 && text_width(text) >= width) {
    return std::string(text);
  }
  return pad(text, width);
}

} // namespace digger::report
