// The pacer on synthetic latency traces: virtual time, no clock, no sockets.
#include "digger/ssh/pacer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <functional>
#include <random>

using namespace digger::ssh;
using namespace std::chrono_literals;
using std::chrono::milliseconds;
using Clock = Pacer::Clock;

namespace {

struct Trace {
  std::size_t final_window = 0;
  std::size_t max_window = 0;
  milliseconds max_latency{0};
  std::size_t hosts = 0;
};

// Keeps `pacer.window()` hosts in flight for `hosts` hosts; `latency(in_flight, i)` is how long
// the i-th host takes when started with that many in flight. 1 ms steps of virtual time.
Trace simulate(Pacer& pacer, std::size_t hosts,
               const std::function<milliseconds(std::size_t, std::size_t)>& latency) {
  struct Flight {
    Clock::time_point started, ends;
    milliseconds took;
  };
  Trace trace;
  std::deque<Flight> flying;
  Clock::time_point now{};
  std::size_t started = 0;
  while (trace.hosts < hosts) {
    while (started < hosts && flying.size() < pacer.window()) {
      milliseconds took = latency(flying.size() + 1, started++);
      flying.push_back({now, now + took, took});
    }
    trace.max_window = std::max(trace.max_window, pacer.window());
    now += 1ms;
    for (auto it = flying.begin(); it != flying.end();) {
      if (it->ends <= now) {
        pacer.on_latency(it->started, it->took, now);
        trace.max_latency = std::max(trace.max_latency, it->took);
        ++trace.hosts;
        it = flying.erase(it);
      } else {
        ++it;
      }
    }
  }
  trace.final_window = pacer.window();
  return trace;
}

PacerOptions options(std::size_t ceiling) {
  return pacer_options(ceiling, 30s);
}

} // namespace

TEST_CASE("pacer: flat latency grows to the ceiling by slow start", "[ssh][pacer]") {
  Pacer pacer(options(512));
  CHECK(pacer.window() == 16);
  CHECK(pacer.slow_start());
  auto trace = simulate(pacer, 4000, [](std::size_t, std::size_t) { return 400ms; });
  CHECK(trace.final_window == 512);
  CHECK(pacer.decreases() == 0);
  CHECK(pacer.baseline() == 400ms);
}

TEST_CASE("pacer: a saturated path settles near its knee, far below the ceiling", "[ssh][pacer]") {
  // A path that serves 40 hosts/s (two cores, processor sharing): up to 8 in flight a host
  // takes 200 ms, beyond it waits its turn. Fixed at 512, every host would take 12.8 s.
  auto shared_path = [](std::size_t in_flight, std::size_t) {
    return milliseconds(std::max<std::size_t>(200, in_flight * 25));
  };
  Pacer pacer(options(512));
  auto trace = simulate(pacer, 3000, shared_path);
  CHECK_FALSE(pacer.slow_start());
  // Slow start overshoots a little (the first hosts to finish in a round are the fast ones),
  // then holds: enough to keep the path busy, an order of magnitude below the ceiling, and
  // every host far from the 30 s deadline.
  CHECK(trace.final_window >= 8);
  CHECK(trace.final_window <= 64);
  CHECK(trace.max_window <= 128);
  CHECK(trace.max_latency < 3750ms);
}

TEST_CASE("pacer: a fleet slow by nature is not throttled", "[ssh][pacer]") {
  // Hosts between 50 ms and 3 s away, in no order: latency that does not depend on the load.
  std::mt19937 random(7);
  std::vector<milliseconds> far(5000);
  for (auto& one : far) {
    one = milliseconds(std::uniform_int_distribution<int>(50, 3000)(random));
  }
  Pacer pacer(options(256));
  auto trace = simulate(pacer, far.size(), [&](std::size_t, std::size_t i) { return far[i]; });
  CHECK(pacer.decreases() == 0);
  CHECK(trace.final_window >= 128);
}

TEST_CASE("pacer: over the budget and queued, the window shrinks", "[ssh][pacer]") {
  // Latency grows steeply with load and the first rounds are already queued: decreases until
  // the median is under the budget (3.75 s for a 30 s deadline).
  Pacer pacer(options(512));
  auto trace = simulate(pacer, 2000, [](std::size_t in_flight, std::size_t) {
    return milliseconds(100 + in_flight * in_flight * 20);
  });
  CHECK(trace.final_window <= 16);
  CHECK(trace.final_window >= 4);
}

TEST_CASE("pacer: overload signs halve once per change, never below the floor", "[ssh][pacer]") {
  Pacer pacer(options(512));
  Clock::time_point t0{};
  pacer.on_overload(t0, t0 + 10ms);
  CHECK(pacer.window() == 8);
  // Hosts started before that reaction report their trouble too: no second cut for them.
  pacer.on_overload(t0 + 5ms, t0 + 20ms);
  CHECK(pacer.window() == 8);
  pacer.on_overload(t0 + 30ms, t0 + 40ms);
  CHECK(pacer.window() == 4);
  pacer.on_overload(t0 + 50ms, t0 + 60ms);
  CHECK(pacer.window() == 4); // floor
  CHECK_FALSE(pacer.slow_start());
  // Stale samples (started before the last change, at 40 ms) do not count for a round.
  for (int i = 0; i < 100; ++i) {
    pacer.on_latency(t0 + 35ms, 10ms, t0 + 70ms);
  }
  CHECK(pacer.window() == 4);
}

TEST_CASE("pacer: a small ceiling is the window", "[ssh][pacer]") {
  Pacer one(options(1));
  CHECK(one.window() == 1);
  auto trace = simulate(one, 50, [](std::size_t, std::size_t) { return 10ms; });
  CHECK(trace.max_window == 1);
  Pacer eight(options(8));
  CHECK(eight.window() == 8);
  CHECK(pacer_options(64, 30s).latency_budget == 3750ms);
  CHECK(pacer_options(64, 200ms).latency_budget == 100ms);
}

TEST_CASE("shared pacer: each worker gets its part of the window", "[ssh][pacer]") {
  SharedPacer shared(options(512));
  CHECK(shared.window() == 16);
  CHECK(shared.share(2) == 8);
  CHECK(shared.share(3) == 6);
  CHECK(shared.share(0) == 16);
  shared.on_overload(Clock::now());
  CHECK(shared.window() == 8);
  CHECK(shared.stall_after() == 7500ms);
}
