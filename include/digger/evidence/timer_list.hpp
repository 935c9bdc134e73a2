#pragma once

// When each systemd timer last fired, from `systemctl list-timers --all --no-legend` (the
// collector's `systemctl_timers` fact). Pure: any bytes in, no exception out; a line that is
// not a timer row is skipped. docs/evidence.md, "Timers".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::evidence {

struct TimerState {
  std::string unit;                 // "logrotate.timer" (a "machine:" prefix kept as printed)
  std::optional<std::int64_t> last; // the LAST column, seconds since the epoch; none: "-"/"n/a"
  friend bool operator==(const TimerState&, const TimerState&) = default;
};

// The LAST column is the host's local time ("Mon 2026-12-07 06:25:01 CET"): `utc_offset` is the
// host's offset east of UTC now (the clock fact), or a zone written "UTC"/"GMT". Without either
// the row keeps no time.
std::vector<TimerState> parse_timer_list(std::string_view text, std::optional<int> utc_offset);

} // namespace digger::evidence
