#include "digger/ssh/pacer.hpp"

#include <algorithm>

namespace digger::ssh {

using std::chrono::milliseconds;

PacerOptions pacer_options(std::size_t ceiling, milliseconds host_deadline) {
  PacerOptions options;
  options.ceiling = std::max<std::size_t>(ceiling, 1);
  options.floor = std::min(options.floor, options.ceiling);
  options.initial = std::clamp(options.initial, options.floor, options.ceiling);
  options.latency_budget = std::max(host_deadline / 8, milliseconds(100));
  return options;
}

Pacer::Pacer(PacerOptions options)
    : options_(options), window_(static_cast<double>(
                             std::clamp(options.initial, std::min(options.floor, options.ceiling),
                                        std::max<std::size_t>(options.ceiling, 1)))) {}

void Pacer::on_latency(Clock::time_point started, milliseconds latency, Clock::time_point now) {
  if (started < epoch_) {
    return; // it ran under an older window: it says nothing about this one
  }
  round_.push_back(latency);
  // A quarter of the window: enough for a median, and about one turn of the sessions in flight.
  std::size_t round_size = std::max<std::size_t>(8, window() / 4);
  if (round_.size() >= round_size) {
    end_round(now);
  }
}

void Pacer::on_overload(Clock::time_point started, Clock::time_point now) {
  if (started < epoch_) {
    return; // started before the last change: the reaction to it is already under way
  }
  slow_start_ = false;
  ++decreases_;
  set_window(window_ * options_.overload_decrease, now);
}

void Pacer::end_round(Clock::time_point now) {
  auto middle = round_.begin() + static_cast<std::ptrdiff_t>(round_.size() / 2);
  std::nth_element(round_.begin(), middle, round_.end());
  milliseconds median = *middle;
  round_.clear();
  if (baseline_.count() == 0 || median < baseline_) {
    baseline_ = std::max(median, milliseconds(1));
  }
  auto queued_above = milliseconds(static_cast<long long>(static_cast<double>(baseline_.count()) *
                                                          options_.queue_factor)) +
                      options_.slack;
  bool queued = median > queued_above;
  if (queued && median > options_.latency_budget) {
    slow_start_ = false;
    ++decreases_;
    set_window(window_ * options_.decrease, now);
  } else if (queued) {
    if (slow_start_) {
      // The last doubling overshot the knee: step back a little and hold.
      slow_start_ = false;
      set_window(window_ * 0.75, now);
    }
  } else if (slow_start_) {
    set_window(window_ * 2, now);
  } else {
    set_window(window_ + std::max(1.0, window_ / 8), now);
  }
}

void Pacer::set_window(double window, Clock::time_point now) {
  double floor = static_cast<double>(std::min(options_.floor, options_.ceiling));
  double clamped = std::clamp(window, floor, static_cast<double>(options_.ceiling));
  if (clamped != window_) {
    epoch_ = now;
    round_.clear();
  }
  window_ = clamped;
}

std::size_t SharedPacer::share(std::size_t workers) const {
  std::size_t window = window_.load(std::memory_order_relaxed);
  workers = std::max<std::size_t>(workers, 1);
  return std::max<std::size_t>(1, (window + workers - 1) / workers);
}

void SharedPacer::on_latency(Pacer::Clock::time_point started, milliseconds latency) {
  std::lock_guard lock(mutex_);
  pacer_.on_latency(started, latency, Pacer::Clock::now());
  window_.store(pacer_.window(), std::memory_order_relaxed);
}

void SharedPacer::on_overload(Pacer::Clock::time_point started) {
  std::lock_guard lock(mutex_);
  pacer_.on_overload(started, Pacer::Clock::now());
  window_.store(pacer_.window(), std::memory_order_relaxed);
}

std::size_t SharedPacer::window() const {
  return window_.load(std::memory_order_relaxed);
}

} // namespace digger::ssh
