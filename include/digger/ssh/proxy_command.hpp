#pragma once

// ProxyCommand as OpenSSH runs it: `/bin/sh -c "exec COMMAND"` with one end of a socketpair as
// its stdin and stdout; the target's SSH session runs over the other end. The command is the
// user's own ssh_config (only run with --allow-proxy-command), never text from a host.

#include "digger/ssh/socket.hpp"
#include "digger/util/result.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace digger::ssh {

// One running ProxyCommand. Its stderr goes to a sealed 4 KiB memory file: bounded without a
// reader (writes past the end fail, the command goes on), and read only to explain a failure.
// The child leads its own process group so that teardown reaches what it started too.
class ProxyProcess {
public:
  // Starts the command; `connection` receives the parent's end (non-blocking, close-on-exec).
  static util::Result<ProxyProcess> spawn(const std::string& command, UniqueFd& connection);

  ProxyProcess(ProxyProcess&& other) noexcept;
  ProxyProcess& operator=(ProxyProcess&& other) noexcept;
  ProxyProcess(const ProxyProcess&) = delete;
  ProxyProcess& operator=(const ProxyProcess&) = delete;
  ~ProxyProcess() { stop(); }

  // When the command has exited (waiting up to `grace` for it): "exited with status 1" or
  // "killed by signal 9", followed by the last line of its stderr when there is one.
  std::optional<std::string> exit_description(std::chrono::milliseconds grace);

  // SIGTERM to its process group and reap; SIGKILL after `term_grace` (the event loop waits at
  // most that long, and only for a command that ignores SIGTERM). Call after closing the
  // connection so that the command sees EOF first. Idempotent.
  void stop(std::chrono::milliseconds term_grace = std::chrono::milliseconds(100));

  pid_t pid() const { return pid_; }

private:
  ProxyProcess(pid_t pid, UniqueFd stderr_file) : pid_(pid), stderr_(std::move(stderr_file)) {}
  bool wait_exit(std::chrono::milliseconds grace); // true once it exited (status_ is set)
  std::string stderr_line() const;

  pid_t pid_ = -1;
  int status_ = 0;      // exit status, or minus the signal that killed it
  bool exited_ = false; // exited, not reaped yet (stop() reaps)
  bool gone_ = false;   // reaped by someone else: its pid is no longer ours to signal
  UniqueFd stderr_;
};

// The last non-empty line of `text`, printable ASCII only, at most `limit` characters.
std::string last_printable_line(std::string_view text, std::size_t limit);

} // namespace digger::ssh
