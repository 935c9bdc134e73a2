#include "digger/util/temp_dir.hpp"

#include <cerrno>
#include <stdlib.h>
#include <string>
#include <system_error>

namespace digger::util {
namespace {

std::filesystem::path make_temp_dir(std::string_view prefix) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  return pattern;
}

} // namespace

TempDir::TempDir(std::string_view prefix) : path(make_temp_dir(prefix)) {}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

} // namespace digger::util
