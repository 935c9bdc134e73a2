#pragma once

#include "digger/crontab/schedule.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace digger::migrate {

// What the conversion needs to know about the zone a job's schedule is read in.
struct ZoneFacts {
  bool known = false;             // found in the tz database
  bool is_utc = false;            // UTC all year (UTC, Etc/UTC, Etc/GMT, ...)
  bool has_dst = false;           // the offset changes in the year after the reference time
  std::chrono::minutes offset{0}; // the offset at the reference time
};

ZoneFacts zone_facts(std::string_view zone, std::chrono::sys_seconds reference);

// Where a job meets a DST change in its zone during the year after `reference`: cron runs a
// fixed-time job whose minute falls in a spring gap right after the jump (cron-semantics.md
// §5), and a wildcard job on both passes of a repeated autumn hour. Example texts are local
// date-times such as "2027-03-28 02:30".
struct DstImpact {
  std::optional<std::string> fixed_in_gap;        // fixed-time job with a non-existent minute
  std::optional<std::string> fixed_in_overlap;    // fixed-time job in a repeated hour (runs once)
  std::optional<std::string> wildcard_in_overlap; // '*' minute/hour job in a repeated hour
};

DstImpact dst_impact(const crontab::Schedule& schedule, std::string_view zone,
                     std::chrono::sys_seconds reference);

// cronie's match for one local wall-clock minute (the bitsets and its day rule).
bool cron_matches(const crontab::Schedule& schedule, int month, int day_of_month, int weekday,
                  int hour, int minute);

} // namespace digger::migrate
