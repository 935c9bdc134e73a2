// Cost of the schedule math the report runs for every job: next fire time, describe(),
// weekly heat map. Prints ns per call; never fails on speed.

#include "digger/timing/next_runs.hpp"

#include "digger/timing/describe.hpp"
#include "digger/timing/heat_map.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

namespace {

using namespace digger::crontab;
using namespace digger::timing;
using Clock = std::chrono::steady_clock;

// A mix like a real fleet: mostly daily/hourly/every-N-minutes, some monthly and weekly.
constexpr std::array<std::string_view, 16> mix = {
    "*/5 * * * *",  "0 * * * *",     "15 3 * * *",    "30 2 * * *",
    "@daily",       "0 0 * * 0",     "0 4 1 * *",     "*/15 9-17 * * 1-5",
    "0 0 1,15 * 5", "0 0 */2 * sun", "45 23 * * 1-5", "0 6,18 * * *",
    "@hourly",      "0 12 1 1,7 *",  "10 1 * * 6",    "0 0 29 2 *"};

template <class F>
double ns_per_call(std::size_t calls, F&& body) {
  const auto start = Clock::now();
  body();
  const auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start);
  return elapsed.count() / static_cast<double>(calls);
}

std::vector<Schedule> jobs(std::size_t count) {
  std::vector<Schedule> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(parse_schedule(mix[i % mix.size()]).value());
  }
  return out;
}

} // namespace

int main() {
  constexpr std::size_t job_count = 300'000;
  const auto schedules = jobs(job_count);
  const date::time_zone& berlin = *find_time_zone("Europe/Berlin").value();
  const date::time_zone& utc = *find_time_zone("UTC").value();
  // Just before the spring-forward jump, so DST handling is on the measured path.
  const auto from = parse_iso8601("2024-03-30T22:17:00Z", utc).value();

  std::size_t fired = 0;
  for (const auto* zone : {&utc, &berlin}) {
    const double ns = ns_per_call(job_count, [&] {
      for (const auto& s : schedules) {
        fired += next_fire_time(s, from, *zone).has_value() ? 1 : 0;
      }
    });
    fmt::print("next_fire_time, {} jobs, {:<14} {:8.0f} ns/call  ({:.3f} s total)\n", job_count,
               zone->name() + ":", ns, ns * job_count / 1e9);
  }
  for (std::string_view rare : {"0 0 29 2 *", "0 0 30 2 *", "0 0 29 2 */7", "5-2 * * * *"}) {
    const Schedule s = parse_schedule(rare).value();
    constexpr std::size_t calls = 20'000;
    const double ns = ns_per_call(calls, [&] {
      for (std::size_t i = 0; i < calls; ++i) {
        fired += next_fire_time(s, from, berlin).has_value() ? 1 : 0;
      }
    });
    fmt::print("next_fire_time '{}' (Europe/Berlin): {:8.0f} ns/call\n", rare, ns);
  }
  std::size_t characters = 0;
  const double describe_ns = ns_per_call(job_count, [&] {
    for (const auto& s : schedules) {
      characters += describe(s).size();
    }
  });
  fmt::print("describe, {} jobs: {:8.0f} ns/call\n", job_count, describe_ns);
  double cells = 0;
  const double heat_ns = ns_per_call(job_count, [&] {
    for (const auto& s : schedules) {
      cells += weekly_fire_counts(s)[0][0];
    }
  });
  fmt::print("weekly_fire_counts, {} jobs: {:8.0f} ns/call\n", job_count, heat_ns);
  // Printed so the optimizer cannot drop the loops.
  fmt::print("(checksum {} {} {:.1f})\n", fired, characters, cells);
  return 0;
}
