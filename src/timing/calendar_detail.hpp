#pragma once

#include "digger/timing/calendar_spec.hpp"

#include <string>
#include <vector>

namespace digger::timing {

// The errno values systemd's parser returns, for the same message.
enum class Fail { none, invalid, range, no_buffers };

void const_chain(std::vector<CalendarComponent>& chain, int value); // a single value
Fail parse_weekdays(const char*& p, CalendarSpec& spec);            // leading "Mon..Fri," (or none)
bool apply_shorthand(std::string_view text, CalendarSpec& spec);    // false: not a shorthand
void take_timezone(std::string& body, CalendarSpec& spec); // a trailing " UTC" or zone name

// Shared by the parser (calendar_spec.cpp) and the formatter (calendar_format.cpp).
void normalize_calendar(CalendarSpec& spec);   // sorts and dedupes lists, UTC, 2-digit years
bool calendar_valid(const CalendarSpec& spec); // systemd's bounds after normalization

} // namespace digger::timing
