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
  bool color = false; // ANSI colour; the CLI sets it only for a TTY without NO_COLOR
  // A terminal's columns: table cells are cut to fit (with an ellipsis), prose is wrapped.
  // 0 (a pipe or a file): nothing is cut, every value is printed whole.
  std::size_t width = 80;
  bool full = false; // every listed job (--full); else the summary that fits a screen
};

// The summary (style.full false) or the full listing.
std::string render_table(const ReportView& view, const TableStyle& style);
std::string render_json(const ReportView& view);
// The same bytes, streamed: what the CLI uses, so a huge fleet's report is never held whole.
void write_json(const ReportView& view, std::ostream& out);
// One job per line, each the same object as in the JSON format's "jobs" list (for jq, logs).
void write_ndjson(const ReportView& view, std::ostream& out);
std::string render_csv(const ReportView& view);
std::string render_html(const ReportView& view);

} // namespace digger::report
