#pragma once

// Remote scripts run locally, the way sshd would run them: a command line given to `sh`, with
// a prepared stdin, in a scratch directory that is removed afterwards.

#include "digger/util/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace digger::testing {

using TempDir = util::TempDir;

inline void write_file(const std::filesystem::path& path, std::string_view bytes,
                       std::filesystem::perms perms) {
  std::ofstream(path, std::ios::binary) << bytes;
  std::filesystem::permissions(path, perms);
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `command` as a shell command line with `input` on stdin; returns stdout (stderr is
// discarded).
inline std::string run_shell(const TempDir& dir, const std::string& command,
                             const std::string& input) {
  using std::filesystem::perms;
  write_file(dir.path / "command.sh", command, perms::owner_all);
  write_file(dir.path / "stdin.bin", input, perms::owner_read | perms::owner_write);
  std::string line = fmt::format("sh '{}' < '{}' 2>/dev/null", (dir.path / "command.sh").string(),
                                 (dir.path / "stdin.bin").string());
  std::FILE* pipe = ::popen(line.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[65536];
  while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) {
    out.append(buffer, got);
  }
  ::pclose(pipe);
  return out;
}

} // namespace digger::testing
