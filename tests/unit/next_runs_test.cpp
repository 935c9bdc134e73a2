#include "digger/timing/next_runs.hpp"

#include <catch2/catch.hpp>
#include <date/tz.h>

#include <string>
#include <vector>

// Expected times were worked out by hand from calendars and the zones' published transition
// rules; the DST cases were also checked with tests/tools/cron_daemon_sim.py, which replays
// cronie's main loop minute by minute on Python's zoneinfo and shares no code with Digger.

using namespace digger::crontab;
using namespace digger::timing;
using Times = std::vector<std::string>;

namespace {

const date::time_zone& zone(const char* name) {
  return *find_time_zone(name).value();
}

std::chrono::sys_seconds utc(const char* text) {
  auto parsed = parse_iso8601(text, zone("UTC"));
  REQUIRE(parsed.ok());
  return *parsed;
}

Times next(const char* expression, const char* from, const char* zone, std::size_t count) {
  auto schedule = parse_schedule(expression);
  REQUIRE(schedule.ok());
  auto times = next_fire_times(*schedule, utc(from), zone, count);
  REQUIRE(times.ok());
  Times out;
  for (const auto& t : *times) {
    out.push_back(to_iso8601(t));
  }
  return out;
}

} // namespace

TEST_CASE("plain schedules in UTC", "[cron][next]") {
  CHECK(next("15 3 * * 1-5", "2024-01-01T00:00:00Z", "UTC", 6) ==
        Times{"2024-01-01T03:15:00+00:00", "2024-01-02T03:15:00+00:00", "2024-01-03T03:15:00+00:00",
              "2024-01-04T03:15:00+00:00", "2024-01-05T03:15:00+00:00",
              "2024-01-08T03:15:00+00:00"});
  CHECK(next("*/15 * * * *", "2024-01-01T00:07:30Z", "UTC", 4) ==
        Times{"2024-01-01T00:15:00+00:00", "2024-01-01T00:30:00+00:00", "2024-01-01T00:45:00+00:00",
              "2024-01-01T01:00:00+00:00"});
  // Strictly after: a time equal to `from` is not included, seconds are rounded up.
  CHECK(next("0 * * * *", "2024-01-01T05:00:00Z", "UTC", 1) == Times{"2024-01-01T06:00:00+00:00"});
  CHECK(next("0 * * * *", "2024-01-01T04:59:59Z", "UTC", 1) == Times{"2024-01-01T05:00:00+00:00"});
  // A start part-way through an hour must not carry its minute into the next matching hour.
  CHECK(next("* 12 * * *", "2024-03-28T07:26:00Z", "UTC", 2) ==
        Times{"2024-03-28T12:00:00+00:00", "2024-03-28T12:01:00+00:00"});
  CHECK(next("0-26 8 6 * *", "2024-04-05T13:24:00Z", "UTC", 1) ==
        Times{"2024-04-06T08:00:00+00:00"});
  CHECK(next("59 23 31 12 *", "2024-06-01T00:00:00Z", "UTC", 2) ==
        Times{"2024-12-31T23:59:00+00:00", "2025-12-31T23:59:00+00:00"});
  CHECK(next("0 9-17/4 * jul *", "2024-01-01T00:00:00Z", "UTC", 4) ==
        Times{"2024-07-01T09:00:00+00:00", "2024-07-01T13:00:00+00:00", "2024-07-01T17:00:00+00:00",
              "2024-07-02T09:00:00+00:00"});
}

TEST_CASE("day-of-month and day-of-week follow cronie's OR rule", "[cron][next]") {
  // March 2024: the 1st is a Friday. Both fields restricted: the 1st, the 15th, and Fridays.
  CHECK(next("30 4 1,15 * 5", "2024-03-01T00:00:00Z", "UTC", 7) ==
        Times{"2024-03-01T04:30:00+00:00", "2024-03-08T04:30:00+00:00", "2024-03-15T04:30:00+00:00",
              "2024-03-22T04:30:00+00:00", "2024-03-29T04:30:00+00:00", "2024-04-01T04:30:00+00:00",
              "2024-04-05T04:30:00+00:00"});
  // "*/2" starts with '*': AND, so only Sundays with an odd date.
  CHECK(next("0 0 */2 * sun", "2024-01-01T00:00:00Z", "UTC", 5) ==
        Times{"2024-01-07T00:00:00+00:00", "2024-01-21T00:00:00+00:00", "2024-02-11T00:00:00+00:00",
              "2024-02-25T00:00:00+00:00", "2024-03-03T00:00:00+00:00"});
  // Both restricted and 1-31 covers every day: OR makes it daily.
  CHECK(
      next("0 0 1-31 * 1", "2024-01-01T00:00:00Z", "UTC", 3) ==
      Times{"2024-01-02T00:00:00+00:00", "2024-01-03T00:00:00+00:00", "2024-01-04T00:00:00+00:00"});
  // A '*' day-of-week with a restricted day-of-month: AND with everything, the dates only.
  CHECK(
      next("0 0 1,15 * *", "2024-01-01T00:00:00Z", "UTC", 3) ==
      Times{"2024-01-15T00:00:00+00:00", "2024-02-01T00:00:00+00:00", "2024-02-15T00:00:00+00:00"});
}

TEST_CASE("Sunday is both 0 and 7", "[cron][next]") {
  const Times sundays{"2024-01-07T12:00:00+00:00", "2024-01-14T12:00:00+00:00"};
  CHECK(next("0 12 * * 0", "2024-01-01T00:00:00Z", "UTC", 2) == sundays);
  CHECK(next("0 12 * * 7", "2024-01-01T00:00:00Z", "UTC", 2) == sundays);
  CHECK(next("0 12 * * SUN", "2024-01-01T00:00:00Z", "UTC", 2) == sundays);
  CHECK(next("0 12 * * 5-7", "2024-01-01T00:00:00Z", "UTC", 4) ==
        Times{"2024-01-05T12:00:00+00:00", "2024-01-06T12:00:00+00:00", "2024-01-07T12:00:00+00:00",
              "2024-01-12T12:00:00+00:00"});
}

TEST_CASE("rare and impossible dates", "[cron][next]") {
  CHECK(next("0 0 29 2 *", "2025-01-01T00:00:00Z", "UTC", 2) ==
        Times{"2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00"});
  // Feb 29 on a Sunday (AND through the '*'-led weekday field): 2004, then 2032.
  CHECK(next("0 0 29 2 */7", "2004-03-01T00:00:00Z", "UTC", 1) ==
        Times{"2032-02-29T00:00:00+00:00"});
  CHECK(next("0 0 31 * *", "2024-04-01T00:00:00Z", "UTC", 2) ==
        Times{"2024-05-31T00:00:00+00:00", "2024-07-31T00:00:00+00:00"});
  for (const char* never : {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "5-2 * * * *", "0 20-8 * * *",
                            "0 0 * 12-1 *", "0 0 30 2 */7", "0 0 20-10 * */2"}) {
    INFO(never);
    CHECK(next(never, "2024-01-01T00:00:00Z", "Europe/Berlin", 3).empty());
    CHECK_FALSE(can_ever_fire(parse_schedule(never).value()));
  }
  // OR rule: an empty day-of-month leaves the weekdays.
  CHECK(next("0 0 20-10 * mon", "2024-01-01T00:00:00Z", "UTC", 1) ==
        Times{"2024-01-08T00:00:00+00:00"});
}

TEST_CASE("next runs of macros", "[cron][next]") {
  const char* from = "2024-01-01T00:00:00Z"; // a Monday, midnight
  CHECK(next("@yearly", from, "UTC", 1) == Times{"2025-01-01T00:00:00+00:00"});
  CHECK(next("@annually", from, "UTC", 1) == Times{"2025-01-01T00:00:00+00:00"});
  CHECK(next("@monthly", from, "UTC", 2) ==
        Times{"2024-02-01T00:00:00+00:00", "2024-03-01T00:00:00+00:00"});
  CHECK(next("@weekly", from, "UTC", 2) ==
        Times{"2024-01-07T00:00:00+00:00", "2024-01-14T00:00:00+00:00"});
  CHECK(next("@daily", from, "UTC", 1) == Times{"2024-01-02T00:00:00+00:00"});
  CHECK(next("@midnight", from, "UTC", 1) == Times{"2024-01-02T00:00:00+00:00"});
  CHECK(next("@hourly", from, "UTC", 2) ==
        Times{"2024-01-01T01:00:00+00:00", "2024-01-01T02:00:00+00:00"});
  CHECK(next("@reboot", from, "UTC", 3).empty());
  // 00:00 UTC is already 01:00 in Berlin.
  CHECK(next("@daily", from, "Europe/Berlin", 1) == Times{"2024-01-02T00:00:00+01:00"});
}

TEST_CASE("Europe/Berlin spring forward, 2024-03-31 02:00 -> 03:00", "[cron][next][dst]") {
  // Fixed-time jobs in the skipped hour run at the first minute after the jump.
  CHECK(
      next("30 2 * * *", "2024-03-30T00:00:00Z", "Europe/Berlin", 3) ==
      Times{"2024-03-30T02:30:00+01:00", "2024-03-31T03:00:00+02:00", "2024-04-01T02:30:00+02:00"});
  // Two skipped runs and the regular 03:00 run share one instant: reported once.
  CHECK(
      next("15,45 2,3 * * *", "2024-03-31T00:00:00Z", "Europe/Berlin", 3) ==
      Times{"2024-03-31T03:00:00+02:00", "2024-03-31T03:15:00+02:00", "2024-03-31T03:45:00+02:00"});
  // Wildcard jobs run only at wall times that exist.
  CHECK(
      next("*/30 * * * *", "2024-03-31T00:00:00Z", "Europe/Berlin", 3) ==
      Times{"2024-03-31T01:30:00+01:00", "2024-03-31T03:00:00+02:00", "2024-03-31T03:30:00+02:00"});
  CHECK(next("30 * * * *", "2024-03-31T00:00:00Z", "Europe/Berlin", 2) ==
        Times{"2024-03-31T01:30:00+01:00", "2024-03-31T03:30:00+02:00"});
  CHECK(next("* 2 * * *", "2024-03-30T12:00:00Z", "Europe/Berlin", 1) ==
        Times{"2024-04-01T02:00:00+02:00"});
  // Strictly after the jump instant: the catch-up run is already past.
  CHECK(next("30 2 * * *", "2024-03-31T01:00:00Z", "Europe/Berlin", 1) ==
        Times{"2024-04-01T02:30:00+02:00"});
}

TEST_CASE("Europe/Berlin fall back, 2024-10-27 03:00 -> 02:00", "[cron][next][dst]") {
  // Fixed-time jobs run once, in the first pass.
  CHECK(next("30 2 * * *", "2024-10-26T12:00:00Z", "Europe/Berlin", 2) ==
        Times{"2024-10-27T02:30:00+02:00", "2024-10-28T02:30:00+01:00"});
  CHECK(next("0,30 2,3 * * *", "2024-10-26T12:00:00Z", "Europe/Berlin", 4) ==
        Times{"2024-10-27T02:00:00+02:00", "2024-10-27T02:30:00+02:00", "2024-10-27T03:00:00+01:00",
              "2024-10-27T03:30:00+01:00"});
  // Wildcard jobs run at every wall-clock match, in both passes.
  CHECK(next("*/30 * * * *", "2024-10-26T23:00:00Z", "Europe/Berlin", 6) ==
        Times{"2024-10-27T01:30:00+02:00", "2024-10-27T02:00:00+02:00", "2024-10-27T02:30:00+02:00",
              "2024-10-27T02:00:00+01:00", "2024-10-27T02:30:00+01:00",
              "2024-10-27T03:00:00+01:00"});
  CHECK(
      next("15 * * * *", "2024-10-26T23:30:00Z", "Europe/Berlin", 3) ==
      Times{"2024-10-27T02:15:00+02:00", "2024-10-27T02:15:00+01:00", "2024-10-27T03:15:00+01:00"});
  // Starting inside the second pass: the fixed-time job already ran in the first one.
  CHECK(next("30 2 * * *", "2024-10-27T01:10:00Z", "Europe/Berlin", 1) ==
        Times{"2024-10-28T02:30:00+01:00"});
  CHECK(next("30 * * * *", "2024-10-27T01:10:00Z", "Europe/Berlin", 1) ==
        Times{"2024-10-27T02:30:00+01:00"});
  const Times minutes_of_two = next("* 2 * * *", "2024-10-26T23:59:00Z", "Europe/Berlin", 121);
  REQUIRE(minutes_of_two.size() == 121);
  CHECK(minutes_of_two[59] == "2024-10-27T02:59:00+02:00");
  CHECK(minutes_of_two[60] == "2024-10-27T02:00:00+01:00");
  CHECK(minutes_of_two[119] == "2024-10-27T02:59:00+01:00");
  CHECK(minutes_of_two[120] == "2024-10-28T02:00:00+01:00");
}

TEST_CASE("America/New_York DST", "[cron][next][dst]") {
  // 2024-03-10 02:00 EST -> 03:00 EDT; 2024-11-03 02:00 EDT -> 01:00 EST.
  CHECK(next("30 2 * * *", "2024-03-09T12:00:00Z", "America/New_York", 2) ==
        Times{"2024-03-10T03:00:00-04:00", "2024-03-11T02:30:00-04:00"});
  CHECK(next("30 1 * * *", "2024-11-02T12:00:00Z", "America/New_York", 2) ==
        Times{"2024-11-03T01:30:00-04:00", "2024-11-04T01:30:00-05:00"});
  CHECK(next("30 * * * *", "2024-11-03T04:00:00Z", "America/New_York", 4) ==
        Times{"2024-11-03T00:30:00-04:00", "2024-11-03T01:30:00-04:00", "2024-11-03T01:30:00-05:00",
              "2024-11-03T02:30:00-05:00"});
}

TEST_CASE("Australia/Lord_Howe half-hour DST", "[cron][next][dst]") {
  // 2024-10-06 02:00 +10:30 -> 02:30 +11:00; 2024-04-07 02:00 +11:00 -> 01:30 +10:30.
  CHECK(next("15 2 * * *", "2024-10-05T00:00:00Z", "Australia/Lord_Howe", 2) ==
        Times{"2024-10-06T02:30:00+11:00", "2024-10-07T02:15:00+11:00"});
  CHECK(next("*/20 * * * *", "2024-10-05T14:50:00Z", "Australia/Lord_Howe", 2) ==
        Times{"2024-10-06T01:40:00+10:30", "2024-10-06T02:40:00+11:00"});
  CHECK(next("45 1 * * *", "2024-04-06T00:00:00Z", "Australia/Lord_Howe", 2) ==
        Times{"2024-04-07T01:45:00+11:00", "2024-04-08T01:45:00+10:30"});
  CHECK(next("*/15 * * * *", "2024-04-06T14:15:00Z", "Australia/Lord_Howe", 5) ==
        Times{"2024-04-07T01:30:00+11:00", "2024-04-07T01:45:00+11:00", "2024-04-07T01:30:00+10:30",
              "2024-04-07T01:45:00+10:30", "2024-04-07T02:00:00+10:30"});
}

TEST_CASE("jumps at midnight and whole skipped days", "[cron][next][dst]") {
  // Sao Paulo 2018-11-04: 00:00 -> 01:00. @daily is a fixed-time job: caught up at 01:00.
  CHECK(next("@daily", "2018-11-03T12:00:00Z", "America/Sao_Paulo", 2) ==
        Times{"2018-11-04T01:00:00-02:00", "2018-11-05T00:00:00-02:00"});
  CHECK(next("@hourly", "2018-11-04T02:30:00Z", "America/Sao_Paulo", 1) ==
        Times{"2018-11-04T01:00:00-02:00"});
  // Samoa skipped 2011-12-30 (24 hours): too large a jump, cron catches nothing up.
  CHECK(next("0 12 * * *", "2011-12-29T00:00:00Z", "Pacific/Apia", 2) ==
        Times{"2011-12-29T12:00:00-10:00", "2011-12-31T12:00:00+14:00"});
}

TEST_CASE("zone errors and ISO 8601 offsets", "[cron][next]") {
  auto schedule = parse_schedule("* * * * *").value();
  auto bad = next_fire_times(schedule, utc("2024-01-01T00:00:00Z"), "Mars/Olympus_Mons", 1);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error() == "unknown time zone 'Mars/Olympus_Mons'");
  CHECK_FALSE(find_time_zone("../../etc/passwd").ok());
  CHECK_FALSE(find_time_zone("").ok());
  CHECK(find_time_zone("Europe/Berlin").ok());

  using std::chrono::seconds;
  const auto at = utc("2024-01-01T00:00:00Z");
  CHECK(to_iso8601({at, seconds{0}}) == "2024-01-01T00:00:00+00:00");
  CHECK(to_iso8601({at, seconds{-(3 * 3600 + 30 * 60)}}) == "2023-12-31T20:30:00-03:30");
  CHECK(to_iso8601({at, seconds{3208}}) == "2024-01-01T00:53:28+00:53:28");
  CHECK(next_fire_times(schedule, at, "UTC", 0).value().empty());
}

TEST_CASE("ISO 8601 input", "[cron][next]") {
  using date::sys_days;
  using namespace std::chrono;
  using namespace date::literals;
  const auto& berlin = zone("Europe/Berlin");
  const sys_seconds new_year = sys_days{2024_y / 1 / 1};
  CHECK(parse_iso8601("2024-01-01T00:00:00Z", berlin).value() == new_year);
  CHECK(parse_iso8601("2024-01-01T01:00:00+01:00", berlin).value() == new_year);
  CHECK(parse_iso8601("2024-01-01 01:00+0100", berlin).value() == new_year);
  CHECK(parse_iso8601("2023-12-31T19:00-05", berlin).value() == new_year);
  CHECK(parse_iso8601("2024-01-01T01:00:00", berlin).value() == new_year); // wall time, CET
  CHECK(parse_iso8601("2024-01-01", zone("UTC")).value() == new_year);
  // Twice-occurring wall time: the first; skipped wall time: the jump instant.
  CHECK(parse_iso8601("2024-10-27T02:30:00", berlin).value() ==
        sys_days{2024_y / 10 / 27} + minutes{30});
  CHECK(parse_iso8601("2024-03-31T02:30:00", berlin).value() == sys_days{2024_y / 3 / 31} + 1h);
  for (const char* bad : {"", "2024", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z",
                          "2024-01-01T24:00:00Z", "2024-01-01T00:60Z", "2024-01-01T00:00:00+25:00",
                          "2024-01-01T00:00:00Zjunk", "2024-1-01T00:00:00Z", "yesterday"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso8601(bad, berlin).ok());
  }
}
