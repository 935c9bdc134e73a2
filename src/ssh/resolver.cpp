#include "digger/ssh/resolver.hpp"

namespace digger::ssh {

Resolver::Resolver(std::size_t threads) {
  for (std::size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { run(); });
  }
}

Resolver::~Resolver() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    thread.join();
  }
}

void Resolver::submit(std::string host, int port, Callback done) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back({std::move(host), port, std::move(done)});
  }
  wake_.notify_one();
}

void Resolver::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) {
        return;
      }
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job.done(resolve_host(job.host, job.port));
  }
}

} // namespace digger::ssh
