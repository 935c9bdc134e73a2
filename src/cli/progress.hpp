#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

namespace digger::cli {

// A one-line progress bar on stderr (hosts done / total, ok / failed, rate, ETA), redrawn a
// few times a second by its own thread. Silent unless enabled (a TTY and not --quiet).
class Progress {
public:
  Progress(std::size_t total, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void host_done(bool ok); // thread-safe
  void finish();           // final redraw and newline; idempotent

private:
  void draw();
  void loop();

  const std::size_t total_;
  const bool enabled_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::atomic<std::size_t> ok_{0};
  std::atomic<std::size_t> failed_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool finished_ = false;
  std::thread thread_;
};

// Installs SIGINT/SIGTERM handlers that only raise the returned flag; a second signal
// restores the default action, so a third press ends the process at once. Not const: the scan
// raises the same flag when the catalog fails, so no new host starts.
std::atomic<bool>& install_stop_handlers();

} // namespace digger::cli
