#include "digger/catalog/scan_lock.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

#include "sqlite.hpp"

namespace digger::catalog {

namespace {

// Owns a file descriptor until it is handed to a ScanLock.
struct Descriptor {
  int fd = -1;
  explicit Descriptor(int descriptor) : fd(descriptor) {}
  Descriptor(Descriptor&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  Descriptor& operator=(Descriptor&&) = delete;
  ~Descriptor() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  int release() { return std::exchange(fd, -1); }
};

// The holder's note, bounded and on one line (the file could hold anything).
std::string read_holder(int fd) {
  std::array<char, 200> buffer{};
  ssize_t n = ::pread(fd, buffer.data(), buffer.size(), 0);
  std::string text = n > 0 ? std::string(buffer.data(), static_cast<std::size_t>(n)) : "";
  std::string clean;
  for (char c : text) {
    if (c == '\n') {
      break;
    }
    clean += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return clean;
}

} // namespace

std::string ScanLock::lock_path(const std::string& catalog_path) {
  return catalog_path + "-scanlock";
}

namespace {

Descriptor open_lock_file(const std::string& path) {
  // 0600 like the catalog: nobody else has a reason to lock it.
  Descriptor file{::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)};
  if (file.fd < 0) {
    throw CatalogError(
        fmt::format("{}: cannot open the scan lock: {}", path, std::strerror(errno)));
  }
  return file;
}

} // namespace

bool ScanLock::is_held(const std::string& catalog_path) {
  // Read-only and without O_CREAT: a report may ask without write access to the folder.
  Descriptor file{::open(lock_path(catalog_path).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (file.fd < 0) {
    return false; // no lock file: no scan ever ran here since the catalog was created
  }
  if (::flock(file.fd, LOCK_SH | LOCK_NB) != 0) {
    return true;
  }
  ::flock(file.fd, LOCK_UN);
  return false;
}

ScanLock ScanLock::acquire(const std::string& catalog_path) {
  std::string path = lock_path(catalog_path);
  Descriptor file = open_lock_file(path);
  if (::flock(file.fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      throw CatalogError(fmt::format("{}: cannot lock: {}", path, std::strerror(errno)));
    }
    std::string holder = read_holder(file.fd);
    throw CatalogError(
        fmt::format("{}: another scan is writing this catalog ({}); wait for it or stop it",
                    catalog_path, holder.empty() ? "pid unknown" : holder));
  }
  std::string note = fmt::format("pid {}\n", ::getpid());
  // The note only improves the refusal message: failing to write it is no reason to fail.
  if (::ftruncate(file.fd, 0) == 0) {
    [[maybe_unused]] ssize_t written = ::pwrite(file.fd, note.data(), note.size(), 0);
  }
  return ScanLock(file.release());
}

ScanLock::ScanLock(ScanLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

ScanLock& ScanLock::operator=(ScanLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

ScanLock::~ScanLock() {
  release();
}

void ScanLock::release() noexcept {
  if (fd_ >= 0) {
    [[maybe_unused]] int truncated = ::ftruncate(fd_, 0);
    ::close(fd_); // closing the last descriptor drops the flock
    fd_ = -1;
  }
}

} // namespace digger::catalog
