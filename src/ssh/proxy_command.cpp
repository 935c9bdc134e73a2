#include "digger/ssh/proxy_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>

extern char** environ;

namespace digger::ssh {
namespace {

constexpr std::size_t stderr_bound = 4096;

using util::Error;

std::string errno_text(const char* what) {
  return fmt::format("{}: {}", what, std::strerror(errno));
}

// A memory file the command's stderr writes into, sealed at a fixed size.
util::Result<UniqueFd> bounded_stderr_file() {
  UniqueFd file(::memfd_create("digger-proxy-stderr", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!file) {
    return Error{errno_text("memfd_create")};
  }
  if (::ftruncate(file.get(), stderr_bound) != 0 ||
      ::fcntl(file.get(), F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) != 0) {
    return Error{errno_text("sealing the ProxyCommand's stderr file")};
  }
  return file;
}

// posix_spawn's attribute and file actions, destroyed on every path.
struct SpawnSetup {
  posix_spawnattr_t attributes{};
  posix_spawn_file_actions_t actions{};
  SpawnSetup() {
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  void configure(int connection, int stderr_file) {
    // Own process group (teardown signals all of it); default dispositions and an empty mask,
    // whatever the scanner ignores or blocks (SIGPIPE, SIGTERM during the scan...).
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int signal : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGALRM}) {
      sigaddset(&defaults, signal);
    }
    sigset_t empty;
    sigemptyset(&empty);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                              POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &empty);
    posix_spawn_file_actions_adddup2(&actions, connection, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, connection, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, stderr_file, STDERR_FILENO);
  }
};

} // namespace

std::string last_printable_line(std::string_view text, std::size_t limit) {
  auto end = text.find_last_not_of("\r\n \t");
  if (end == std::string_view::npos) {
    return "";
  }
  auto begin = text.find_last_of('\n', end);
  begin = begin == std::string_view::npos ? 0 : begin + 1;
  std::string line;
  for (char c : text.substr(begin, end + 1 - begin)) {
    if (line.size() >= limit) {
      line += "...";
      break;
    }
    line += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return line;
}

util::Result<ProxyProcess> ProxyProcess::spawn(const std::string& command, UniqueFd& connection) {
  int ends[2] = {-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
    return Error{errno_text("ProxyCommand: socketpair")};
  }
  UniqueFd ours(ends[0]);
  UniqueFd theirs(ends[1]);
  if (::fcntl(ours.get(), F_SETFL, ::fcntl(ours.get(), F_GETFL) | O_NONBLOCK) != 0) {
    return Error{errno_text("ProxyCommand: fcntl")};
  }
  auto stderr_file = bounded_stderr_file();
  if (!stderr_file) {
    return Error{fmt::format("ProxyCommand: {}", stderr_file.error())};
  }
  SpawnSetup setup;
  setup.configure(theirs.get(), stderr_file->get());
  // As ssh does: exec, so that the shell does not stay between us and the command.
  std::string script = "exec " + command;
  char shell[] = "/bin/sh";
  char dash_c[] = "-c";
  char* argv[] = {shell, dash_c, script.data(), nullptr};
  pid_t pid = -1;
  if (int error = ::posix_spawn(&pid, shell, &setup.actions, &setup.attributes, argv, environ);
      error != 0) {
    return Error{fmt::format("ProxyCommand: cannot start /bin/sh: {}", std::strerror(error))};
  }
  connection = std::move(ours);
  return ProxyProcess(pid, std::move(stderr_file).value());
}

ProxyProcess::ProxyProcess(ProxyProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), status_(other.status_), exited_(other.exited_),
      gone_(other.gone_), stderr_(std::move(other.stderr_)) {}

ProxyProcess& ProxyProcess::operator=(ProxyProcess&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = std::exchange(other.pid_, -1);
    status_ = other.status_;
    exited_ = other.exited_;
    gone_ = other.gone_;
    stderr_ = std::move(other.stderr_);
  }
  return *this;
}

// Whether the command has exited, without reaping it: while it is an unreaped zombie its pid
// (and so its process group id) cannot be reused, so signalling the group stays safe.
bool ProxyProcess::wait_exit(std::chrono::milliseconds grace) {
  if (pid_ < 0 || exited_) {
    return true;
  }
  auto until = std::chrono::steady_clock::now() + grace;
  auto pause = std::chrono::microseconds(200);
  for (;;) {
    siginfo_t info{};
    int rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
    if (rc == 0 && info.si_pid == pid_) {
      exited_ = true;
      status_ = info.si_code == CLD_EXITED ? info.si_status : -info.si_status;
      return true;
    }
    if (rc < 0 && errno != EINTR) {
      // ECHILD: reaped behind our back (SIGCHLD ignored): its pid may be reused already.
      exited_ = true;
      gone_ = true;
      return true;
    }
    if (std::chrono::steady_clock::now() >= until) {
      return false;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(10000));
  }
}

std::optional<std::string> ProxyProcess::exit_description(std::chrono::milliseconds grace) {
  if (pid_ < 0 || !wait_exit(grace)) {
    return std::nullopt;
  }
  std::string text = status_ < 0 ? fmt::format("killed by signal {}", -status_)
                                 : fmt::format("exited with status {}", status_);
  if (std::string line = stderr_line(); !line.empty()) {
    text += ": " + line;
  }
  return text;
}

void ProxyProcess::stop(std::chrono::milliseconds term_grace) {
  if (pid_ < 0) {
    return;
  }
  if (!gone_) {
    if (!exited_) {
      ::kill(-pid_, SIGTERM); // the group: a pipeline's other commands too
      wait_exit(term_grace);
    }
    // The leader is dead or unreaped: the group id is still ours. End what is left of the group
    // (a stubborn leader, a pipeline's parts), then reap the leader; SIGKILL makes that prompt.
    ::kill(-pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  pid_ = -1;
  stderr_.reset();
}

std::string ProxyProcess::stderr_line() const {
  if (!stderr_) {
    return "";
  }
  std::string text(stderr_bound, '\0');
  ssize_t got = ::pread(stderr_.get(), text.data(), text.size(), 0);
  text.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  text.resize(std::min(text.size(), text.find('\0'))); // the unwritten rest reads as zeros
  return last_printable_line(text, 200);
}

} // namespace digger::ssh
