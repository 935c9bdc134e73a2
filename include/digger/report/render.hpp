#pragma once

// The report formats (docs/reports.md). Each takes the same ReportView and returns the whole
// document, so output is decided in one place and two runs on one catalog give equal bytes.

#include "digger/report/view.hpp"

#include <cstddef>
#include <iosfwd>
#include <string>

namespace digger::report {

// The JSON format's version ("version" field); bump it on any incompatible change.
// 2: verdicts, flags, program facts, hidden and managed summaries (issue 8).
inline constexpr int json_format_version = 2;

struct TableStyle {
  bool color = false;     // ANSI colour; the CLI sets it only for a TTY without NO_COLOR
  std::size_t width = 80; // every line fits, truncated with an ellipsis
};

std::string render_table(const ReportView& view, const TableStyle& style);
std::string render_json(const ReportView& view);
// The same bytes, streamed: what the CLI uses, so a huge fleet's report is never held whole.
void write_json(const ReportView& view, std::ostream& out);
std::string render_csv(const ReportView& view);
std::string render_html(const ReportView& view);

} // namespace digger::report
