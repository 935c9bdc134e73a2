#pragma once

// getaddrinfo() blocks, so names are resolved by a few helper threads while the event loops
// keep running. A lookup that outlives its host's deadline is simply ignored by the loop.

#include "digger/ssh/socket.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace digger::ssh {

class Resolver {
public:
  using Callback = std::function<void(util::Result<std::vector<SocketAddress>>)>;

  explicit Resolver(std::size_t threads);
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;
  ~Resolver(); // drops queued lookups; waits for running ones (bounded by resolv.conf)

  // `done` runs on a resolver thread.
  void submit(std::string host, int port, Callback done);

private:
  struct Job {
    std::string host;
    int port;
    Callback done;
  };
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

} // namespace digger::ssh
