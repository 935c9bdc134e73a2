#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace digger::util {

// A fresh directory (mkdtemp: a unique name, mode 0700) under $TMPDIR or /tmp, removed with
// everything in it when this goes out of scope; removal errors are ignored. For tests and
// fixtures: it throws std::system_error when no directory can be made.
class TempDir {
public:
  explicit TempDir(std::string_view prefix = "digger");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The path of `name` inside the directory.
  std::string file(std::string_view name) const { return (path / name).string(); }

  const std::filesystem::path path;
};

} // namespace digger::util
