#pragma once

// Making host text safe for each output, and fitting it into columns.

#include "digger/util/utf8.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace digger::report {

// For a terminal: util::printable (control bytes and invalid UTF-8 escaped), tabs as spaces.
std::string terminal_text(std::string_view text);

// Valid UTF-8 kept; each invalid byte becomes U+FFFD. For JSON, CSV and HTML, which must be
// UTF-8.
std::string valid_utf8(std::string_view text);

using util::utf8_sequence_length; // 1 for ASCII, 0 where not valid UTF-8

// Display width in code points (what an 80-column terminal mostly counts).
std::size_t text_width(std::string_view utf8);

// At most `width` code points; a cut text ends with "…".
std::string fit(std::string_view utf8, std::size_t width);

// `fit`, then padded with spaces to exactly `width`.
std::string pad(std::string_view utf8, std::size_t width);

// One RFC 4180 field, safe to print on a terminal: C0 controls but tab and line feed become
// their Unicode pictures (ESC -> U+241B), DEL U+2421, C1 controls U+FFFD (docs/reports.md).
// A value starting with = + - @ or tab gets a leading "'" so that a
// spreadsheet shows it as text instead of running it as a formula.
std::string csv_field(std::string_view text);

// An epoch time as "2024-11-25T10:05:01Z"; "" for none.
std::string utc_text(const std::optional<std::int64_t>& epoch_seconds);

// Run evidence besides the log (docs/evidence.md): "2 cron mail(s), last 2026-12-07T10:00:01Z;
// output file last written 2026-12-07T10:00:00Z", either part only when known; "" for none.
std::string spool_hints(const std::optional<std::int64_t>& mails,
                        const std::optional<std::int64_t>& last_mail,
                        const std::optional<std::int64_t>& output_mtime);

// &, <, >, " and ' as entities; control characters other than tab and newline as U+FFFD.
std::string html_escape(std::string_view text);

} // namespace digger::report
