#include "digger/crontab/schedule.hpp"

#include <catch2/catch.hpp>

using namespace digger::crontab;

namespace {
std::string norm(const char* expr) {
  auto s = parse_schedule(expr);
  REQUIRE(s.ok());
  return s->normalized();
}
std::string error_of(const char* expr) {
  auto s = parse_schedule(expr);
  REQUIRE_FALSE(s.ok());
  return s.error();
}
} // namespace

TEST_CASE("fields accept cronie's grammar", "[cron][schedule]") {
  CHECK(norm("*/15 * * * *") == "0,15,30,45 * * * *");
  CHECK(norm("0 9-17/2 * * mon-fri") == "0 9,11,13,15,17 * * 1-5");
  CHECK(norm("5 4 * JAN,dec Sun") == "5 4 * 1,12 0");
  CHECK(norm("0 0 * * 7") == "0 0 * * 0");
  CHECK(norm("0 0 * * 0-7") == "0 0 * * *");
  CHECK(norm("*/35 * * * *") == "0,35 * * * *");
  CHECK(norm("*/60 * * * *") == "0 * * * *");        // step past the range: first value only
  CHECK(norm("005 00 * * *") == "5 0 * * *");        // leading zeros are plain numbers
  CHECK(norm("0 0 * * fri-sun") == "0 0 * * 0,5-6"); // a range ending in Sunday as 0
  CHECK(norm("*/5,10 * * * *") == norm("0,5,10,15,20,25,30,35,40,45,50,55 * * * *"));
}

TEST_CASE("the day rule is resolved in the normal form", "[cron][schedule]") {
  CHECK(norm("0 0 1-31 * 1") == "0 0 * * *"); // both restricted: OR, every day
  CHECK(norm("30 4 1,15 * 5") == "30 4 1,15 * 5");
  CHECK(norm("0 0 */2 * sun") == "0 0 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31 * 0 &");
  CHECK(norm("@weekly") == norm("0 0 * * 0"));
  CHECK(norm("@monthly") == norm("0 0 1 * *"));
  CHECK(norm("@daily") == norm("0 0 * * *"));
  CHECK(norm("@reboot") == "@reboot");
}

TEST_CASE("fields reject what cronie rejects", "[cron][schedule]") {
  CHECK(error_of("5/10 * * * *") == "bad minute");
  CHECK(error_of("*/0 * * * *") == "bad minute");
  CHECK(error_of("60 * * * *") == "bad minute");
  CHECK(error_of("0 24 * * *") == "bad hour");
  CHECK(error_of("0 0 0 * *") == "bad day-of-month");
  CHECK(error_of("0 0 32 * *") == "bad day-of-month");
  CHECK(error_of("0 0 * 13 *") == "bad month");
  CHECK(error_of("0 0 * * 8") == "bad day-of-week");
  CHECK(error_of("0 0 * * monday") == "bad day-of-week");
  CHECK(error_of("0 0 * JANUARY *") == "bad month");
  CHECK(error_of("0 0 * * Mon/2") == "bad day-of-week");
  CHECK(error_of("0 0 L * *") == "bad day-of-month");
  CHECK(error_of("0 0 * * 5#3") == "bad day-of-week");
  CHECK(error_of("0 0 ? * *") == "bad day-of-month");
  CHECK(error_of("1-2-3 * * * *") == "bad minute");
  CHECK(error_of("*/5/2 * * * *") == "bad minute");
  CHECK(error_of("1,,2 * * * *") == "bad minute");
  CHECK(error_of("*x * * * *") == "bad minute");
  CHECK(error_of("99999999999 * * * *") == "bad minute");
  CHECK(error_of("@Daily") == "bad time specifier");
  CHECK(error_of("* * * *").starts_with("expected 5 time fields"));
}

TEST_CASE("reversed ranges are accepted and match nothing", "[cron][schedule]") {
  auto s = parse_schedule("5-2 * * * *");
  REQUIRE(s.ok());
  CHECK(s->minutes.none());
}

TEST_CASE("star flags follow the first character", "[cron][schedule]") {
  auto s = parse_schedule("*/10 1 */2 * 1");
  REQUIRE(s.ok());
  CHECK(s->minute_star);
  CHECK_FALSE(s->hour_star);
  CHECK(s->dom_star);
  CHECK_FALSE(s->dow_star);
  auto random = parse_schedule("0~30 * * * *");
  REQUIRE(random.ok());
  CHECK(random->randomized);
  CHECK(random->minutes.count() == 31);
}

TEST_CASE("X-0 ranges end at 7 in every field, as in cronie HEAD", "[cron][schedule]") {
  CHECK(norm("5-0 * * * *") == "5-7 * * * *");
  CHECK(norm("0 5-0 * * *") == "0 5-7 * * *");
  CHECK(norm("0 0 5-0 * *") == "0 0 5-7 * *"); // 0 is no day of the month, yet accepted
  CHECK(norm("0 0 * * fri-sun") == "0 0 * * 0,5-6");
  auto stepped = parse_schedule("5-0/1 * * * *"); // not with a step: reversed, empty
  REQUIRE(stepped.ok());
  CHECK(stepped->minutes.none());
}

TEST_CASE("only the values a range sets are checked", "[cron][schedule]") {
  auto reversed = parse_schedule("70-60 * * * *"); // sets nothing, checks nothing
  REQUIRE(reversed.ok());
  CHECK(reversed->minutes.none());
  CHECK(error_of("50-70 * * * *") == "bad minute");
  CHECK(error_of("0 0 0-0 * *") == "bad day-of-month");
}

TEST_CASE("numbers are read like strtol and cast to int", "[cron][schedule]") {
  CHECK(norm("4294967296 * * * *") == "0 * * * *"); // 2^32 is 0 as an int
  CHECK(norm("*/1001 * * * *") == "0 * * * *");     // a step far past the range
  CHECK(norm("*/4294967297 * * * *") == norm("* * * * *"));
  CHECK(error_of("*/4294967295 * * * *") == "bad minute"); // -1 as an int
  CHECK(error_of(("1" + std::string(131072, '0') + " * * * *").c_str()) == "bad minute");
}

TEST_CASE("random items follow get_range's states", "[cron][schedule]") {
  auto any = parse_schedule("~ * * * *");
  REQUIRE(any.ok());
  CHECK(any->randomized);
  CHECK(any->minutes.count() == 60);
  auto from = parse_schedule("50~ * * * *");
  REQUIRE(from.ok());
  CHECK(from->minutes.count() == 10);
  CHECK(error_of("*~10 * * * *") == "bad minute");
  CHECK(error_of("0-5~10 * * * *") == "bad minute");
  CHECK(error_of("30~10 * * * *") == "bad minute");
  CHECK(error_of("0~30/5 * * * *") == "bad minute");
  CHECK(error_of("0~70 * * * *") == "bad minute");
  CHECK(norm("0~1,30 * * * *") == "0-1,30 * * * * ~");
}

TEST_CASE("step syntax", "[cron][schedule]") {
  CHECK(error_of("*/ * * * *") == "bad minute");
  CHECK(error_of("*/x * * * *") == "bad minute");
  CHECK(error_of("0 0 * */jan *") == "bad month"); // a step is a number, never a name
  CHECK(norm("0 0 * jan-dec/3 *") == "0 0 * 1,4,7,10 *");
  CHECK(error_of("*- * * * *") == "bad minute");
}
