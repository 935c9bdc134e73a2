#pragma once

#include "digger/util/result.hpp"

#include <cstddef>
#include <string>
#include <sys/socket.h>
#include <vector>

namespace digger::ssh {

// Owns one file descriptor.
class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release();
  void reset(int fd = -1);

private:
  int fd_ = -1;
};

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  std::string text; // "127.0.0.1:22" for messages
};

// Numeric addresses only, never touches DNS: the fast path the event loop may take inline.
bool is_numeric_host(const std::string& host);

// getaddrinfo (blocking: call it from a resolver thread unless is_numeric_host).
util::Result<std::vector<SocketAddress>> resolve_host(const std::string& host, int port);

// A non-blocking TCP socket with TCP_NODELAY whose connect() is under way (or done).
util::Result<UniqueFd> start_connect(const SocketAddress& address);

// After POLLOUT: 0 when connected, else the errno of the failed connect.
int connect_result(int fd);

// Raises RLIMIT_NOFILE's soft limit to the hard limit; returns the soft limit now in force.
std::size_t raise_open_file_limit();

// Asks the kernel to ACK at once (undone by the kernel after a while, so set after each recv).
void request_quick_ack(int fd);

} // namespace digger::ssh
