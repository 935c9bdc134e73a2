#pragma once

// Lines of a terminal table: cut to the terminal's width, or, when the output is not a
// terminal (width 0), never cut. Prose (hints, reasons) is wrapped, never cut.

#include "digger/report/render.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace digger::report {

class TableWriter {
public:
  explicit TableWriter(const TableStyle& style) : style_(style) {}

  // One table line, cut to the width (escape sequences are added after cutting).
  void line(std::string_view text);
  // Prose: words wrapped at the width, continuation lines indented by `indent` spaces.
  void para(std::string_view text, std::size_t indent = 2, bool alert = false);
  // "lead a; b; c" over as many lines as the items need, each item whole.
  void items(std::string_view lead, const std::vector<std::string>& items);
  void blank() { out_ += "\n"; }
  void heading(std::string_view text); // bold on a colour terminal; wrapped like prose
  void alert(std::string_view text);
  // A cell padded to `width`; cut only on a terminal, else kept whole.
  std::string cell(std::string_view text, std::size_t width) const;
  std::size_t width() const { return style_.width; }
  std::string take() { return std::move(out_); }

private:
  std::string fitted(std::string_view text) const;
  void wrap(std::string_view text, std::size_t indent);
  void painted(std::string_view text, std::size_t indent, std::string_view color);
  const TableStyle& style_;
  std::string out_;
};

} // namespace digger::report
