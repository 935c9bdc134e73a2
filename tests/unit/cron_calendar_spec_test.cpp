#include "digger/timing/calendar_spec.hpp"
#include "digger/timing/next_runs.hpp"

#include <catch2/catch.hpp>
#include <date/tz.h>

using namespace digger::crontab;
using namespace digger::timing;
using date::sys_days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_seconds;

namespace {

std::string normalized(std::string_view text) {
  const auto spec = parse_calendar_spec(text);
  return spec ? normalized_calendar_spec(*spec) : spec.error();
}

sys_seconds at(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
  return sys_days{date::year{y} / m / d} + hours{h} + minutes{min};
}

const date::time_zone* zone(std::string_view name) {
  return *find_time_zone(name);
}

} // namespace

TEST_CASE("calendar: normalized forms like systemd-analyze", "[calendar]") {
  // Expected strings are systemd 252's output (systemd.time(7) examples).
  CHECK(normalized("daily") == "*-*-* 00:00:00");
  CHECK(normalized("weekly") == "Mon *-*-* 00:00:00");
  CHECK(normalized("quarterly") == "*-01,04,07,10-01 00:00:00");
  CHECK(normalized("Sat,Thu,Mon..Wed,Sat..Sun") == "Mon..Thu,Sat,Sun *-*-* 00:00:00");
  CHECK(normalized("Mon,Sun 12-*-* 2,1:23") == "Mon,Sun 2012-*-* 01,02:23:00");
  CHECK(normalized("Wed *-1") == "Wed *-*-01 00:00:00");
  CHECK(normalized("Wed-Wed,Wed *-1") == "Wed *-*-01 00:00:00");
  CHECK(normalized("*-*-7,14,21,28 0:0") == "*-*-07,14,21,28 00:00:00");
  CHECK(normalized("*:2/3") == "*-*-* *:02/3:00");
  CHECK(normalized("*-*-* 00:00:00.5") == "*-*-* 00:00:00.500000");
  CHECK(normalized("*-02~03") == "*-02~03 00:00:00");
  CHECK(normalized("2003-03-05 05:40 UTC") == "2003-03-05 05:40:00 UTC");
  CHECK(normalized("*-*-* 8..18/2:00") == "*-*-* 08..18/2:00:00");
  CHECK(normalized("*:*:*") == "*-*-* *:*:*");
  CHECK(normalized("daily Europe/Paris") == "*-*-* 00:00:00 Europe/Paris");
  CHECK(normalized("12:00 Etc/UTC") == "*-*-* 12:00:00 Etc/UTC");
}

TEST_CASE("calendar: systemd's parse errors", "[calendar]") {
  CHECK(normalized("bogus") == "Failed to parse calendar specification 'bogus': Invalid argument");
  CHECK(normalized("*-*-0/0") ==
        "Failed to parse calendar specification '*-*-0/0': Numerical result out of range");
  for (const char* bad : {"*-*-* 25:00", "Mon..", "*-*-32", "*-*~29", "12", "", "*:*:61",
                          "Mon,,Tue", "*-*-* 1:2 Nowhere/Zone"}) {
    INFO(bad);
    CHECK_FALSE(parse_calendar_spec(bad));
  }
  std::string many = "*-*-* 00:";
  for (int i = 0; i < 300; ++i) {
    many += std::to_string(i % 60) + ",";
  }
  many += "0";
  CHECK(normalized(many).find("No buffer space available") != std::string::npos);
}

TEST_CASE("calendar: next elapses in UTC", "[calendar]") {
  const auto daily = *parse_calendar_spec("daily");
  CHECK(next_calendar_elapse(daily, at(2024, 1, 1, 10), nullptr) == at(2024, 1, 2));
  CHECK(next_calendar_elapse(daily, at(2024, 1, 2), nullptr) == at(2024, 1, 3)); // strictly after
  const auto last_day = *parse_calendar_spec("*-*~01 23:00 UTC");
  CHECK(next_calendar_elapse(last_day, at(2024, 2, 1), zone("Europe/Paris")) ==
        at(2024, 2, 29, 23));
  const auto leap = *parse_calendar_spec("*-02-29");
  CHECK(next_calendar_elapse(leap, at(2024, 3, 1), nullptr) == at(2028, 2, 29));
  const auto never = *parse_calendar_spec("*-02-30");
  CHECK_FALSE(next_calendar_elapse(never, at(2024, 1, 1), nullptr));
  const auto past = *parse_calendar_spec("2012-10-15 01:02:03");
  CHECK_FALSE(next_calendar_elapse(past, at(2024, 1, 1), nullptr));
  const auto quarter = *parse_calendar_spec("*:0/15");
  CHECK(next_calendar_elapse(quarter, at(2024, 1, 1, 10, 7), nullptr) == at(2024, 1, 1, 10, 15));
}

TEST_CASE("calendar: DST in the host zone, as systemd does it", "[calendar]") {
  const auto paris = zone("Europe/Paris");
  const auto half_past_two = *parse_calendar_spec("*-*-* 02:30");
  // 2024-03-31: 02:30 does not exist in Paris; systemd skips the day.
  CHECK(next_calendar_elapse(half_past_two, at(2024, 3, 30, 12), paris) == at(2024, 4, 1, 0, 30));
  // 2024-10-27: 02:30 happens twice; systemd elapses at the first one (CEST) only.
  CHECK(next_calendar_elapse(half_past_two, at(2024, 10, 26, 12), paris) ==
        at(2024, 10, 27, 0, 30));
  CHECK(next_calendar_elapse(half_past_two, at(2024, 10, 27, 0, 30), paris) ==
        at(2024, 10, 28, 1, 30));
  // A named zone overrides the host's.
  const auto new_york = *parse_calendar_spec("*-*-* 12:00 America/New_York");
  CHECK(next_calendar_elapse(new_york, at(2024, 7, 1), paris) == at(2024, 7, 1, 16));
}

TEST_CASE("calendar: descriptions", "[calendar]") {
  const auto describe = [](std::string_view text) {
    return describe_calendar_spec(*parse_calendar_spec(text));
  };
  CHECK(describe("daily") == "Every day at 00:00");
  CHECK(describe("Mon..Fri *-*-* 02:30") == "On Monday through Friday at 02:30");
  CHECK(describe("*-*~01 23:00") == "On the last day of the month at 23:00");
  CHECK(describe("*:0/15") == "Every 15 minutes");
  CHECK(describe("hourly") == "Every hour at minute 00");
  CHECK(describe("minutely") == "Every minute");
  CHECK(describe("*:*:*") == "Every second");
  CHECK(describe("Mon *-*-* 08..18/2:00") ==
        "On Monday at minute 00 every 2 hours from 08 through 18");
  CHECK(describe("*-*-* 9:0,30") == "Every day at minute 00 and 30 during hour 09");
  CHECK(describe("quarterly") ==
        "On day 1 of the month, in January, April, July and October at 00:00");
  CHECK(describe("*-*-* 04:05:06.5 UTC") == "Every day at 04:05:06.5 UTC");
  CHECK(describe("Sat,Sun 10:00 Europe/Paris") ==
        "On Saturday and Sunday at 10:00 (Europe/Paris time)");
}
