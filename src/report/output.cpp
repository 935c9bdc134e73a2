#include "digger/report/output.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string_view>
#include <sys/ioctl.h>
#include <unistd.h>

namespace digger::report {
namespace {

std::size_t columns_variable() {
  const char* value = std::getenv("COLUMNS");
  if (value == nullptr) {
    return 0;
  }
  const std::string_view text(value);
  std::size_t columns = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), columns);
  return error == std::errc{} && end == text.data() + text.size() && columns < 10000 ? columns : 0;
}

util::Error write_error(const std::string& path, int error) {
  return util::Error{
      fmt::format("cannot write {}: {}", path, std::strerror(error != 0 ? error : EIO)),
      util::ErrorKind::io};
}

} // namespace

std::size_t output_width(bool to_file) {
  if (to_file || ::isatty(STDOUT_FILENO) != 1) {
    return 0;
  }
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  const std::size_t columns = columns_variable();
  return columns > 0 ? columns : 80;
}

util::Result<void> write_output(const std::string& path,
                                const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    write(std::cout);
    std::cout.flush();
    if (!std::cout) {
      return write_error("stdout", errno);
    }
    return {};
  }
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return write_error(path, errno);
  }
  write(out);
  out.close();
  if (!out) {
    return write_error(path, errno);
  }
  return {};
}

} // namespace digger::report
