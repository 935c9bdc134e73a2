#pragma once

#include "digger/catalog/catalog.hpp"
#include "digger/catalog/records.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace digger::catalog {

struct WriterOptions {
  std::size_t queue_capacity = 1024; // submit() blocks beyond this: memory stays bounded
  std::size_t batch_hosts = 256;     // commit after this many hosts...
  std::chrono::milliseconds batch_interval{200}; // ...or this long after the batch's first host
};

// Lets many SSH worker threads hand host records over without waiting on disk: one writer
// thread drains a bounded queue into batched transactions. A crash loses at most the batch not
// yet committed (WAL + synchronous=FULL: never a corrupt catalog); every record submitted before
// flush() or stop() returns is committed.
class Writer {
public:
  // The scan must have been begun (or resumed) on `catalog`, which must outlive the Writer.
  Writer(Catalog& catalog, std::int64_t scan_id, WriterOptions options = {});
  ~Writer(); // stop(), with errors swallowed: call stop() yourself to see them
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Thread-safe. Blocks while the queue is full. Throws CatalogError once writing has failed
  // (the first failure's message), std::invalid_argument for a record the schema rejects.
  void submit(HostRecord host);
  // Waits until everything submitted so far is committed; throws if writing failed.
  void flush();
  // Flushes and ends the writer thread; throws if writing failed. Later calls do nothing.
  void stop();

  std::size_t committed() const; // hosts committed so far

private:
  void run();
  void take_batch(std::unique_lock<std::mutex>& lock, std::vector<HostRecord>& batch);
  void rethrow_failure() const;

  Catalog& catalog_;
  std::int64_t scan_id_;
  WriterOptions options_;
  std::shared_ptr<const SourceKindNames> kinds_; // what submit() accepts

  mutable std::mutex mutex_;
  std::condition_variable work_ready_; // queue gained hosts, a flush, or stop
  std::condition_variable progress_;   // room in the queue, or hosts committed
  std::deque<HostRecord> queue_;
  std::size_t submitted_ = 0;
  std::size_t committed_ = 0;
  std::size_t flush_target_ = 0; // commit at least this many without waiting for a full batch
  bool stopping_ = false;
  bool stopped_ = false;
  std::exception_ptr failure_;
  std::thread thread_; // last: starts once everything above exists
};

} // namespace digger::catalog
