#include "digger/cli/sudo_password.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace digger::cli {
namespace {

using util::Error;
using util::Result;

constexpr std::size_t max_password_bytes = 4096;

// Up to the first newline; the rest of the buffer is wiped by the caller's SecretString.
Result<ssh::SecretString> first_line(ssh::SecretString text, const std::string& origin) {
  const std::string& all = text.get();
  std::size_t end = all.find_first_of("\r\n");
  ssh::SecretString line(all.substr(0, end));
  if (line.get().empty()) {
    return Error{fmt::format("{}: the sudo password is empty", origin)};
  }
  return line;
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

} // namespace

Result<ssh::SecretString> sudo_password_from_file(const std::string& path) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY)};
  struct stat info {};
  if (file.fd < 0 || ::fstat(file.fd, &info) != 0) {
    return Error{
        fmt::format("{}: cannot read the sudo password file: {}", path, std::strerror(errno))};
  }
  if (!S_ISREG(info.st_mode)) {
    return Error{fmt::format("{}: the sudo password file is not a regular file", path)};
  }
  if ((info.st_mode & 077) != 0) {
    return Error{fmt::format("{}: mode {:04o} lets other users read the sudo password; "
                             "chmod 600 it",
                             path, info.st_mode & 07777)};
  }
  std::string text(max_password_bytes + 1, '\0');
  ssize_t got = ::read(file.fd, text.data(), text.size());
  text.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  ssh::SecretString secret(std::move(text));
  if (got < 0) {
    return Error{fmt::format("{}: cannot read the sudo password file", path)};
  }
  if (secret.get().size() > max_password_bytes) {
    return Error{fmt::format("{}: too large to be a sudo password file", path)};
  }
  return first_line(std::move(secret), path);
}

Result<ssh::SecretString> sudo_password_from_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) {
    return Error{fmt::format("environment variable {} (--sudo-password-env) is not set", name)};
  }
  ssh::SecretString secret{std::string(value)};
  ::unsetenv(name.c_str());
  return first_line(std::move(secret), fmt::format("environment variable {}", name));
}

Result<ssh::SecretString> sudo_password_from_terminal() {
  if (::isatty(STDIN_FILENO) == 0) {
    return Error{"-K asks for the sudo password on a terminal, and stdin is not one "
                 "(use --sudo-password-file or --sudo-password-env)"};
  }
  termios saved{};
  bool have_termios = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (have_termios) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string_view question = "sudo password for the scanned hosts: ";
  [[maybe_unused]] auto asked = ::write(STDERR_FILENO, question.data(), question.size());
  std::string line;
  line.reserve(max_password_bytes + 1); // never reallocated: no unwiped copy left behind
  char c = 0;
  while (::read(STDIN_FILENO, &c, 1) == 1 && c != '\n' && line.size() < max_password_bytes) {
    line.push_back(c);
  }
  if (have_termios) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  }
  [[maybe_unused]] auto newline = ::write(STDERR_FILENO, "\n", 1);
  OPENSSL_cleanse(&c, sizeof c);
  return first_line(ssh::SecretString(std::move(line)), "the terminal");
}

} // namespace digger::cli
