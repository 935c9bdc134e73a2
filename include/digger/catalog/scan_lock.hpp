#pragma once

#include <string>

namespace digger::catalog {

// Only one scan may write a catalog at a time. The rule: a scan holds an exclusive flock(2) on
// "<catalog>-scanlock" for its whole life. The kernel drops the lock when the process exits or
// is killed, so a stale lock can never block anyone; the file itself stays (deleting it would
// let two processes lock two different files) and holds the holder's pid for the message.
class ScanLock {
public:
  // Takes the lock or throws CatalogError naming the pid that holds it.
  static ScanLock acquire(const std::string& catalog_path);
  // True when some process (this one included) holds the lock right now.
  static bool is_held(const std::string& catalog_path);
  static std::string lock_path(const std::string& catalog_path);

  ScanLock(ScanLock&& other) noexcept;
  ScanLock& operator=(ScanLock&& other) noexcept;
  ScanLock(const ScanLock&) = delete;
  ScanLock& operator=(const ScanLock&) = delete;
  ~ScanLock();

  // Releases the lock now (also done by the destructor).
  void release() noexcept;

private:
  explicit ScanLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

} // namespace digger::catalog
