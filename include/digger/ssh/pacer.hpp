#pragma once

// How many hosts a scan keeps in flight: --concurrency is the ceiling, the pacer finds the rate
// the path can sustain below it. When the client, a bastion or the link is the bottleneck,
// more sessions in flight do not finish more hosts per second; they only make every host
// slower (Little's law), until healthy hosts hit their deadline. So, like TCP:
//   - slow start: begin small and double the window each round while latency stays flat;
//   - a round (enough samples from hosts started since the last change) whose median handshake
//     latency rises above `queue_factor` x the baseline (the lowest round median seen) stops
//     the growth: the sessions queue for something; otherwise the window grows by 1/8;
//   - multiplicative decrease when the median is both queued and above the latency budget,
//     and on overload signs (a live host timing out, a connection dropped before the banner).
// A fleet whose hosts are slow by nature (high RTT) has a high baseline and is not throttled:
// only latency caused by our own load counts. Pure logic: time comes from the caller.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <vector>

namespace digger::ssh {

struct PacerOptions {
  std::size_t ceiling = 512; // --concurrency
  std::size_t initial = 16;  // slow start begins here
  std::size_t floor = 4;
  // The handshake (connect to authenticated) latency allowed under load: a fraction of the
  // host deadline, so that a queued host still finishes well within it.
  std::chrono::milliseconds latency_budget{3750};
  double queue_factor = 2.0;           // round median above factor x baseline (+ slack): queued
  std::chrono::milliseconds slack{20}; // ignores jitter when the baseline is a few ms
  double decrease = 0.7;               // over budget
  double overload_decrease = 0.5;      // timeouts of live hosts, drops before the banner
};

// The pacer's options for a scan: budget = deadline / 8.
PacerOptions pacer_options(std::size_t ceiling, std::chrono::milliseconds host_deadline);

class Pacer {
public:
  using Clock = std::chrono::steady_clock;

  explicit Pacer(PacerOptions options);

  std::size_t window() const { return static_cast<std::size_t>(window_); }
  bool slow_start() const { return slow_start_; }
  std::chrono::milliseconds baseline() const { return baseline_; }
  std::size_t decreases() const { return decreases_; }
  // Sessions older than this no longer count against the window: a stalled host (tarpit,
  // blackhole) waits for its own deadline without holding back the healthy ones.
  std::chrono::milliseconds stall_after() const { return 2 * options_.latency_budget; }

  // A host that authenticated, with when it started and how long connect + handshake + auth took.
  void on_latency(Clock::time_point started, std::chrono::milliseconds latency,
                  Clock::time_point now);
  // A sign of overload from a host started at `started`.
  void on_overload(Clock::time_point started, Clock::time_point now);

private:
  void end_round(Clock::time_point now);
  void set_window(double window, Clock::time_point now);

  PacerOptions options_;
  double window_;
  bool slow_start_ = true;
  Clock::time_point epoch_{}; // hosts started before it saw another window: their samples wait
  std::vector<std::chrono::milliseconds> round_;
  std::chrono::milliseconds baseline_{0}; // 0: none yet
  std::size_t decreases_ = 0;
};

// The pacer shared by the worker threads (one mutex; called once per finished host).
class SharedPacer {
public:
  explicit SharedPacer(PacerOptions options) : pacer_(options), window_(pacer_.window()) {}

  // This worker's share of the window (at least 1).
  std::size_t share(std::size_t workers) const;
  std::chrono::milliseconds stall_after() const { return pacer_.stall_after(); }
  void on_latency(Pacer::Clock::time_point started, std::chrono::milliseconds latency);
  void on_overload(Pacer::Clock::time_point started);
  std::size_t window() const;

private:
  mutable std::mutex mutex_;
  Pacer pacer_;
  std::atomic<std::size_t> window_;
};

} // namespace digger::ssh
