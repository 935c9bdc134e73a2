// systemctl's timer table (src/systemctl/systemctl-list-units.c, output_timers_list): the
// columns NEXT LEFT LAST PASSED UNIT ACTIVATES, separated by spaces; a timestamp is
// "%a %Y-%m-%d %H:%M:%S %Z" (four words), a relative time "53min ago" / "6h left" (one or
// more words), and an empty cell "-" (systemd 245 and later) or "n/a" (before). LAST is the
// timestamp whose PASSED cell, right before UNIT, ends in "ago".
#include "digger/evidence/timer_list.hpp"

#include "digger/util/words.hpp"

#include <charconv>

#include "civil_time.hpp"

namespace digger::evidence {
namespace {

constexpr std::size_t max_rows = 10'000;

bool digits(std::string_view text, int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size();
}

// "2026-12-07" and "06:25:01" into a wall-clock time; false for anything else.
bool read_stamp(std::string_view date, std::string_view time, LocalTime& out) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' || time.size() != 8 || time[2] != ':' ||
      time[5] != ':') {
    return false;
  }
  const bool parsed = digits(date.substr(0, 4), out.year) && digits(date.substr(5, 2), out.month) &&
                      digits(date.substr(8, 2), out.day) && digits(time.substr(0, 2), out.hour) &&
                      digits(time.substr(3, 2), out.minute) &&
                      digits(time.substr(6, 2), out.second);
  return parsed && out.month >= 1 && out.month <= 12 && out.day >= 1 && out.day <= 31 &&
         out.hour <= 23 && out.minute <= 59 && out.second <= 60;
}

std::optional<int> zone_offset(std::string_view zone, std::optional<int> host_offset) {
  if (zone == "UTC" || zone == "GMT") {
    return 0;
  }
  return host_offset;
}

std::optional<TimerState> parse_row(std::string_view line, std::optional<int> utc_offset) {
  const auto words = util::blank_words(line);
  std::size_t unit = 0;
  while (unit < words.size() && !words[unit].ends_with(".timer")) {
    ++unit;
  }
  if (unit == words.size() || unit < 4) {
    return std::nullopt; // at least NEXT LEFT LAST PASSED before it, even when all are "-"
  }
  TimerState state{std::string(words[unit]), std::nullopt};
  if (words[unit - 1] != "ago") {
    return state; // PASSED is empty: it never fired (or not since the manager started)
  }
  for (std::size_t i = unit - 1; i-- > 0;) {
    LocalTime local;
    if (!read_stamp(words[i], i + 1 < unit ? words[i + 1] : std::string_view(), local)) {
      continue;
    }
    const auto zone = i + 2 < unit ? words[i + 2] : std::string_view();
    if (const auto offset = zone_offset(zone, utc_offset)) {
      state.last = epoch_of(local) - *offset;
    }
    break;
  }
  return state;
}

} // namespace

std::vector<TimerState> parse_timer_list(std::string_view text, std::optional<int> utc_offset) {
  std::vector<TimerState> out;
  std::size_t pos = 0;
  while (pos < text.size() && out.size() < max_rows) {
    auto nl = text.find('\n', pos);
    nl = nl == std::string_view::npos ? text.size() : nl;
    if (auto row = parse_row(text.substr(pos, nl - pos), utc_offset)) {
      out.push_back(std::move(*row));
    }
    pos = nl + 1;
  }
  return out;
}

} // namespace digger::evidence
