#include "digger/timing/describe.hpp"

#include <catch2/catch.hpp>

using namespace digger::crontab;
using namespace digger::timing;

namespace {
std::string words(const char* expression) {
  auto schedule = parse_schedule(expression);
  REQUIRE(schedule.ok());
  return describe(*schedule);
}
} // namespace

TEST_CASE("describe: times of day", "[cron][describe]") {
  CHECK(words("* * * * *") == "Every minute");
  CHECK(words("*/15 * * * *") == "Every 15 minutes");
  CHECK(words("0,30 * * * *") == "Every 30 minutes");
  CHECK(words("5 * * * *") == "At minute 5 past every hour");
  CHECK(words("0-10 * * * *") == "At minutes 0 through 10 past every hour");
  CHECK(words("*/35 * * * *") == "At minutes 0 and 35 past every hour"); // not "every 35"
  CHECK(words("*/7 * * * *") == "Every 7 minutes from minute 0 through 56 of every hour");
  CHECK(words("5-59/10 * * * *") == "Every 10 minutes from minute 5 through 55 of every hour");
  CHECK(words("15 3 * * *") == "At 03:15");
  CHECK(words("0,30 9 * * *") == "At 09:00 and 09:30");
  CHECK(words("0 8,12,18 * * *") == "At 08:00, 12:00 and 18:00");
  CHECK(words("0 9-17/2 * * *") == "Every 2 hours from 09:00 through 17:00");
  CHECK(words("30 */6 * * *") == "Every 6 hours from 00:30 through 18:30");
  CHECK(words("0 1-5 * * *") == "Every hour from 01:00 through 05:00");
  CHECK(words("0 0,6,9,13,15,20,22 * * *") == "At minute 0 past hours 0, 6, 9, 13, 15, 20 and 22");
  CHECK(words("* 9-17 * * *") == "Every minute during hours 9 through 17");
  CHECK(words("* 3 * * *") == "Every minute during hour 3");
  CHECK(words("*/10 9-17 * * *") == "Every 10 minutes during hours 9 through 17");
  CHECK(words("*/20 */4 * * *") == "Every 20 minutes during every 4th hour from 0 through 20");
  CHECK(words("10,20,40 1-4 * * *") == "At minutes 10, 20 and 40 past hours 1 through 4");
}

TEST_CASE("describe: days, weekdays and months", "[cron][describe]") {
  CHECK(words("15 3 * * 1-5") == "At 03:15 on Monday through Friday");
  CHECK(words("0 0 * * 6,0") == "At 00:00 on Saturday and Sunday");
  CHECK(words("0 0 * * 7") == "At 00:00 on Sunday");
  CHECK(words("0 0 * * fri-sun") == "At 00:00 on Friday through Sunday");
  CHECK(words("0 0 * * sun-tue") == "At 00:00 on Sunday through Tuesday");
  CHECK(words("0 0 * * 1,3,5") == "At 00:00 on Monday, Wednesday and Friday");
  CHECK(words("30 4 1-7 * *") == "At 04:30 on day-of-month 1 through 7");
  CHECK(words("0 0 2-30/2 * *") == "At 00:00 on every 2nd day-of-month from 2 through 30");
  CHECK(words("0 12 1 1,7 *") == "At 12:00 on day-of-month 1 in January and July");
  CHECK(words("0 0 1 */3 *") == "At 00:00 on day-of-month 1 in January, April, July and October");
  CHECK(words("15 10 * 12 *") == "At 10:15 in December");
  CHECK(words("0 0 * 3-5 1") == "At 00:00 on Monday in March through May");
}

TEST_CASE("describe: cronie's day-of-month / day-of-week rule is explicit", "[cron][describe]") {
  // Both fields restricted: either may match.
  CHECK(words("0 0 1,15 * 5") == "At 00:00 on day-of-month 1 and 15, or on Friday");
  CHECK(words("0 0 1 * mon-fri") == "At 00:00 on day-of-month 1, or on Monday through Friday");
  // A '*'-led field makes it AND.
  CHECK(words("0 0 */2 * sun") == "At 00:00 on every 2nd day-of-month if it is a Sunday");
  CHECK(words("0 0 1-7 * */7") == "At 00:00 on day-of-month 1 through 7 if it is a Sunday");
  CHECK(words("0 0 1-7 * */6") ==
        "At 00:00 on day-of-month 1 through 7 if it is Saturday or Sunday");
  CHECK(words("0 0 1-7 * */3") ==
        "At 00:00 on day-of-month 1 through 7 if it is Wednesday, Saturday or Sunday");
  // OR with a full side is every day; OR with an empty (reversed) side is the other side.
  CHECK(words("0 0 1-31 * 1") == "At 00:00");
  CHECK(words("0 0 * * 0-7") == "At 00:00");
  CHECK(words("0 0 20-10 * mon") == "At 00:00 on Monday");
}

TEST_CASE("describe: macros and schedules that never fire", "[cron][describe]") {
  CHECK(words("@reboot") == "At reboot");
  CHECK(words("@yearly") == "At 00:00 on day-of-month 1 in January");
  CHECK(words("@annually") == words("@yearly"));
  CHECK(words("@monthly") == "At 00:00 on day-of-month 1");
  CHECK(words("@weekly") == "At 00:00 on Sunday");
  CHECK(words("@daily") == "At 00:00");
  CHECK(words("@midnight") == "At 00:00");
  CHECK(words("@hourly") == "At minute 0 past every hour");
  CHECK(words("5-2 * * * *") == "Never (reversed range)");
  CHECK(words("0 0 * 12-1 *") == "Never (reversed range)");
  CHECK(words("0 0 20-10 * */2") == "Never (reversed range)"); // AND with an empty side
  CHECK(words("0 0 30 2 *") == "Never (no such date)");
  CHECK(words("0 0 31 4,6,9,11 *") == "Never (no such date)");
  CHECK(words("0 0 29 2 *") == "At 00:00 on day-of-month 29 in February");
}

TEST_CASE("describe: spellings of the same sets read the same", "[cron][describe]") {
  CHECK(words("0,15,30,45 * * * *") == words("*/15 * * * *"));
  CHECK(words("0 9,11,13,15,17 * * *") == words("0 9-17/2 * * *"));
  CHECK(words("0 0 * * SUN") == words("0 0 * * 0"));
  CHECK(words("0~30 * * * *").find("randomized") != std::string::npos);
  CHECK(words("0 0 * * *").find("randomized") == std::string::npos);
}
