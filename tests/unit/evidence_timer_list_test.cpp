#include "digger/evidence/timer_list.hpp"

#include <catch2/catch.hpp>

using digger::evidence::parse_timer_list;
using digger::evidence::TimerState;

// Rows as systemd 252 (Debian 12) prints `systemctl list-timers --all --no-legend`, and as
// systemd 219..244 did (n/a for an empty cell, "left" for both relative columns).
TEST_CASE("systemctl list-timers: LAST of each timer, in UTC", "[evidence]") {
  const std::string text =
      "Mon 2026-12-07 16:00:00 UTC 6min left     Mon 2026-12-07 15:00:01 UTC 53min ago "
      "logrotate.timer              logrotate.service\n"
      "Tue 2026-12-08 00:00:00 CET 8h left       -                           -         "
      "shop-backup.timer            shop-backup.service\n"
      "-                           -             Sun 2026-12-06 06:25:07 CET 1 day 9h ago "
      "apt-daily.timer              apt-daily.service, apt-daily-extra.service\n"
      "n/a n/a Fri 2026-12-04 23:59:59 EST 2 days ago old.timer old.service\n"
      "garbage line with no unit\n"
      "- - - - lonely.timer\n";
  const auto rows = parse_timer_list(text, 3600); // the host is at +0100 now
  REQUIRE(rows.size() == 5);
  CHECK(rows[0] == TimerState{"logrotate.timer", 1796655601}); // 2026-12-07 15:00:01 UTC
  CHECK(rows[1] == TimerState{"shop-backup.timer", std::nullopt});
  CHECK(rows[2] == TimerState{"apt-daily.timer", 1796534707}); // 06:25:07 CET = 05:25:07 UTC
  // A zone that is neither UTC nor the host's: the host's current offset is all there is.
  CHECK(rows[3] == TimerState{"old.timer", 1796425199});
  CHECK(rows[4] == TimerState{"lonely.timer", std::nullopt});
}

TEST_CASE("systemctl list-timers: no offset, no time; any bytes in", "[evidence]") {
  const auto rows =
      parse_timer_list("Mon 2026-12-07 16:00:00 CET 1h left Mon 2026-12-07 15:00:00 CET 1h ago "
                       "a.timer a.service\n",
                       std::nullopt);
  REQUIRE(rows.size() == 1);
  CHECK_FALSE(rows[0].last);
  const auto utc =
      parse_timer_list("- - Mon 2026-12-07 15:00:00 UTC 1h ago b.timer\n", std::nullopt);
  REQUIRE(utc.size() == 1);
  CHECK(utc[0].last == 1796655600);
  constexpr char odd[] = "\0\xff 9999-99-99 99:99:99 ago x.timer";
  const auto bad = parse_timer_list(std::string(odd, sizeof odd - 1), 0);
  REQUIRE(bad.size() == 1);
  CHECK_FALSE(bad[0].last); // not a date: no time rather than a wrong one
  CHECK(parse_timer_list("", 0).empty());
}
