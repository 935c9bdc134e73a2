#include "progress.hpp"

#include <fmt/format.h>

#include <csignal>
#include <cstdio>

namespace digger::cli {

Progress::Progress(std::size_t total, bool enabled) : total_(total), enabled_(enabled) {
  if (enabled_) {
    thread_ = std::thread([this] { loop(); });
  }
}

Progress::~Progress() {
  finish();
}

void Progress::host_done(bool ok) {
  (ok ? ok_ : failed_).fetch_add(1);
}

void Progress::finish() {
  {
    std::lock_guard lock(mutex_);
    if (finished_) {
      return;
    }
    finished_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    draw();
    fmt::print(stderr, "\n");
  }
}

void Progress::loop() {
  std::unique_lock lock(mutex_);
  while (!finished_) {
    lock.unlock();
    draw();
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return finished_; });
  }
}

void Progress::draw() {
  const std::size_t ok = ok_.load();
  const std::size_t failed = failed_.load();
  const std::size_t done = ok + failed;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  constexpr std::size_t width = 24;
  const std::size_t filled = total_ ? done * width / total_ : width;
  std::string bar(filled, '#');
  bar.resize(width, '.');
  std::string eta = rate > 0 && done < total_
                        ? fmt::format("ETA {:.0f}s", static_cast<double>(total_ - done) / rate)
                        : "";
  fmt::print(stderr, "\r\033[K[{}] {}/{} hosts  ok {}  failed {}  {:.0f}/s  {}", bar, done, total_,
             ok, failed, rate, eta);
  std::fflush(stderr);
}

namespace {
std::atomic<bool> stop_requested{false};

extern "C" void on_stop_signal(int signal_number) {
  if (stop_requested.exchange(true)) {
    std::signal(signal_number, SIG_DFL);
  }
}
} // namespace

std::atomic<bool>& install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  return stop_requested;
}

} // namespace digger::cli
