// Runs of consecutive values (util/runs.hpp): what cron fields, systemd weekdays and the
// schedule descriptions write as ranges.
#include "digger/util/runs.hpp"

#include <catch2/catch.hpp>

#include <vector>

using digger::util::consecutive_runs;
using digger::util::Run;
using Runs = std::vector<Run>;

TEST_CASE("consecutive_runs: each run of consecutive values, first and last", "[util][runs]") {
  CHECK(consecutive_runs(std::vector<int>{}).empty());
  CHECK(consecutive_runs(std::vector<int>{5}) == Runs{{5, 5}});
  CHECK(consecutive_runs(std::vector<int>{1, 2, 3, 7}) == Runs{{1, 3}, {7, 7}});
  CHECK(consecutive_runs(std::vector<int>{0, 2, 4}) == Runs{{0, 0}, {2, 2}, {4, 4}});
  CHECK(consecutive_runs(std::vector<int>{-1, 0, 1, 59}) == Runs{{-1, 1}, {59, 59}});
}

TEST_CASE("consecutive_runs: a repeated value starts a new run", "[util][runs]") {
  CHECK(consecutive_runs(std::vector<int>{1, 2, 2, 3}) == Runs{{1, 2}, {2, 3}});
}
