#include "digger/timing/heat_map.hpp"

#include <catch2/catch.hpp>

using namespace digger::crontab;
using namespace digger::timing;

namespace {
WeeklyHeatMap heat(const char* expression) {
  auto schedule = parse_schedule(expression);
  REQUIRE(schedule.ok());
  return weekly_fire_counts(*schedule);
}

double total(const WeeklyHeatMap& map) {
  double sum = 0;
  for (const auto& day : map) {
    for (double cell : day) {
      sum += cell;
    }
  }
  return sum;
}

constexpr int sunday = 0;
constexpr int monday = 1;
constexpr int thursday = 4;
constexpr int friday = 5;
constexpr int saturday = 6;
} // namespace

TEST_CASE("heat map: regular schedules", "[cron][heatmap]") {
  const auto quarter_hourly = heat("*/15 * * * *");
  for (const auto& day : quarter_hourly) {
    for (double cell : day) {
      CHECK(cell == 4.0);
    }
  }
  const auto weekdays = heat("15 3 * * 1-5");
  CHECK(weekdays[monday][3] == 1.0);
  CHECK(weekdays[friday][3] == 1.0);
  CHECK(weekdays[saturday][3] == 0.0);
  CHECK(weekdays[monday][4] == 0.0);
  CHECK(total(weekdays) == 5.0);
  CHECK(heat("@weekly")[sunday][0] == 1.0);
  CHECK(total(heat("@weekly")) == 1.0);
  CHECK(total(heat("0 9-17/2 * * *")) == 35.0);
}

TEST_CASE("heat map: dates spread over the reference year 2024", "[cron][heatmap]") {
  // 2024's first days of the month: Jan, Apr, Jul on a Monday (53 Mondays in 2024),
  // Feb and Aug on a Thursday, Mar and Nov on a Friday, Sep and Dec on a Sunday.
  const auto monthly = heat("@monthly");
  CHECK(monthly[monday][0] == Approx(3.0 / 53));
  CHECK(monthly[thursday][0] == Approx(2.0 / 52));
  CHECK(monthly[sunday][0] == Approx(2.0 / 52));
  CHECK(monthly[monday][1] == 0.0);
  // 2024-02-29 was a Thursday.
  const auto leap = heat("0 0 29 2 *");
  CHECK(leap[thursday][0] == Approx(1.0 / 52));
  CHECK(total(leap) == Approx(1.0 / 52));
  // OR rule: the 13th (12 dates) or any Friday (52), Friday the 13th counted once
  // (September and December 2024).
  const auto friday13 = heat("0 0 13 * 5");
  CHECK(friday13[friday][0] == Approx(1.0));
  CHECK(friday13[saturday][0] == Approx(3.0 / 52)); // Jan, Apr and Jul 13, 2024
}

TEST_CASE("heat map: nothing for @reboot and never-firing schedules", "[cron][heatmap]") {
  CHECK(total(heat("@reboot")) == 0.0);
  CHECK(total(heat("0 0 30 2 *")) == 0.0);
  CHECK(total(heat("5-2 * * * *")) == 0.0);
}
