#include "digger/catalog/writer.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

#include "host_inserter.hpp"

namespace digger::catalog {

Writer::Writer(Catalog& catalog, std::int64_t scan_id, WriterOptions options)
    : catalog_(catalog), scan_id_(scan_id), options_(options), kinds_(catalog.source_kind_names()) {
  options_.queue_capacity = std::max<std::size_t>(options_.queue_capacity, 1);
  options_.batch_hosts = std::max<std::size_t>(options_.batch_hosts, 1);
  thread_ = std::thread([this] { run(); });
}

Writer::~Writer() {
  try {
    stop();
  } catch (...) {
    // Whoever wanted the error called stop() first.
  }
}

void Writer::submit(HostRecord host) {
  validate(host, *kinds_); // here, so one bad record cannot sink the rest of its batch
  std::unique_lock lock(mutex_);
  progress_.wait(lock,
                 [&] { return queue_.size() < options_.queue_capacity || failure_ || stopping_; });
  rethrow_failure();
  if (stopping_) {
    throw CatalogError("catalog writer: submit after stop");
  }
  queue_.push_back(std::move(host));
  ++submitted_;
  work_ready_.notify_one();
}

void Writer::flush() {
  std::unique_lock lock(mutex_);
  flush_target_ = std::max(flush_target_, submitted_);
  work_ready_.notify_one();
  std::size_t target = submitted_;
  progress_.wait(lock, [&] { return committed_ >= target || failure_ || stopped_; });
  rethrow_failure();
}

void Writer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) {
      return;
    }
    stopping_ = true;
  }
  work_ready_.notify_one();
  progress_.notify_all(); // submitters blocked on a full queue give up
  thread_.join();
  std::lock_guard lock(mutex_);
  stopped_ = true;
  progress_.notify_all();
  rethrow_failure();
}

std::size_t Writer::committed() const {
  std::lock_guard lock(mutex_);
  return committed_;
}

void Writer::rethrow_failure() const {
  if (failure_) {
    std::rethrow_exception(failure_);
  }
}

void Writer::take_batch(std::unique_lock<std::mutex>& lock, std::vector<HostRecord>& batch) {
  auto deadline = std::chrono::steady_clock::now() + options_.batch_interval;
  work_ready_.wait_until(lock, deadline, [&] {
    return queue_.size() >= options_.batch_hosts || stopping_ || flush_target_ > committed_;
  });
  std::size_t count = std::min(queue_.size(), options_.batch_hosts);
  auto end = queue_.begin() + static_cast<std::ptrdiff_t>(count);
  batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(end));
  queue_.erase(queue_.begin(), end);
  progress_.notify_all(); // room in the queue
}

void Writer::run() {
  std::vector<HostRecord> batch;
  std::unique_lock lock(mutex_);
  while (true) {
    work_ready_.wait(lock, [&] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) {
      return; // stopping, and everything is committed
    }
    take_batch(lock, batch);
    lock.unlock();
    std::exception_ptr error;
    try {
      catalog_.record_hosts(scan_id_, batch); // one transaction
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error) {
      // The batch rolled back; later ones would likely fail the same way (disk full, ...).
      failure_ = error;
      queue_.clear();
      progress_.notify_all();
      return;
    }
    committed_ += batch.size();
    batch.clear();
    progress_.notify_all();
  }
}

} // namespace digger::catalog
