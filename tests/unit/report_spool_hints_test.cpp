#include "digger/report/text.hpp"

#include <catch2/catch.hpp>

using digger::report::spool_hints;

TEST_CASE("report: the mail and output-file hints beside a job's runs", "[report][mail]") {
  CHECK(spool_hints(std::nullopt, std::nullopt, std::nullopt).empty()); // nothing read
  CHECK(spool_hints(0, std::nullopt, std::nullopt) == "0 cron mail(s) in the spool");
  CHECK(spool_hints(2, 1796112902, std::nullopt) ==
        "2 cron mail(s) in the spool, last 2026-12-01T08:15:02Z");
  CHECK(spool_hints(std::nullopt, std::nullopt, 1796026500) ==
        "output file last written 2026-11-30T08:15:00Z");
  CHECK(spool_hints(1, 1796112902, 1796026500) ==
        "1 cron mail(s) in the spool, last 2026-12-01T08:15:02Z; output file last written "
        "2026-11-30T08:15:00Z");
}
