#pragma once

#include "digger/crontab/schedule.hpp"

#include <bitset>
#include <vector>

namespace digger::migrate {

// Which days a cron job runs on, with cronie's day-of-month / day-of-week rule already
// applied (cron-semantics.md §4): the targets each combine the two fields differently, so
// every exporter works from this resolved form, never from the field text.
enum class DayKind {
  every_day,   // no day restriction (both fields full, or an OR with one full field)
  dom_only,    // only the day of month restricts
  dow_only,    // only the day of week restricts
  dom_and_dow, // both restrict and both must match ('*'-led field, e.g. "*/2 * sun")
  dom_or_dow,  // both restrict and either may match (cron's OR rule)
  never,       // no day can match (reversed ranges and the like)
};

struct DayRule {
  DayKind kind = DayKind::every_day;
  std::bitset<32> dom; // bits 1..31
  std::bitset<7> dow;  // bits 0..6, Sunday = 0 (cron's 7 folded into 0)
};

DayRule resolve_days(const crontab::Schedule& schedule);

// True when the schedule can never fire: an empty minute, hour or month set, no matching
// day, or only days that no selected month has (`0 0 31 2 *`). Cron accepts such lines.
bool never_fires(const crontab::Schedule& schedule);

// The set bits of a bitset between low and high, ascending.
template <size_t N>
std::vector<int> values_of(const std::bitset<N>& bits, int low, int high) {
  std::vector<int> out;
  for (int v = low; v <= high; ++v) {
    if (bits.test(static_cast<size_t>(v))) {
      out.push_back(v);
    }
  }
  return out;
}

} // namespace digger::migrate
