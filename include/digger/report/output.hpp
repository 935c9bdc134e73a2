#pragma once

// Where a report or diff goes (the I/O edge of the report formats): stdout or -o FILE, and how
// wide the table may be there.

#include "digger/util/result.hpp"

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>

namespace digger::report {

// The table width for stdout: the terminal's columns (TIOCGWINSZ, else $COLUMNS, else 80), or 0
// (never cut) when stdout is not a terminal or the output goes to a file (`to_file`).
std::size_t output_width(bool to_file);

// Runs `write` on stdout ("" or "-") or on FILE, replaced as a whole. The error names the file
// and says why (strerror).
util::Result<void> write_output(const std::string& path,
                                const std::function<void(std::ostream&)>& write);

} // namespace digger::report
