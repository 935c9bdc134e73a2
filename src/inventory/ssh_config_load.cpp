// The I/O around the pure ssh_config parser: reading files, expanding Include globs, and the
// local user's identity.
#include "digger/inventory/ssh_config.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <glob.h>
#include <memory>
#include <pwd.h>
#include <unistd.h>

namespace digger::inventory {
namespace {

util::Result<std::string> read_bounded(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return util::Error{fmt::format("cannot open {}: {}", path, std::strerror(errno))};
  }
  std::string text;
  std::array<char, 1 << 14> buffer;
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    text.append(buffer.data(), static_cast<size_t>(in.gcount()));
    if (text.size() > max_config_file_bytes) {
      return util::Error{fmt::format("{}: larger than {} KiB", path, max_config_file_bytes >> 10)};
    }
  }
  if (in.bad()) {
    return util::Error{fmt::format("cannot read {}", path)};
  }
  return text;
}

struct GlobFree {
  void operator()(glob_t* g) const { globfree(g); }
};

util::Result<std::vector<ConfigFile>> read_glob(const std::string& pattern) {
  glob_t matches{};
  int rc = glob(pattern.c_str(), 0, nullptr, &matches);
  std::unique_ptr<glob_t, GlobFree> guard(&matches);
  std::vector<ConfigFile> files;
  if (rc == GLOB_NOMATCH) {
    return files; // as in ssh: an Include that matches nothing is fine
  }
  if (rc != 0) {
    return util::Error{fmt::format("cannot expand '{}'", pattern)};
  }
  constexpr size_t max_files = 256;
  if (matches.gl_pathc > max_files) {
    return util::Error{fmt::format("'{}' matches more than {} files", pattern, max_files)};
  }
  for (size_t i = 0; i < matches.gl_pathc; ++i) {
    std::string path = matches.gl_pathv[i];
    auto text = read_bounded(path);
    if (!text) {
      return util::Error{text.error()};
    }
    files.push_back({path, std::move(text).value()});
  }
  return files;
}

} // namespace

util::Result<SshConfig> load_ssh_config(const std::filesystem::path& path,
                                        const LocalEnvironment& environment) {
  auto text = read_bounded(path.string());
  if (!text) {
    return util::Error{text.error()};
  }
  return parse_ssh_config(*text, path.string(), environment, read_glob);
}

LocalEnvironment current_environment() {
  LocalEnvironment environment;
  passwd entry{};
  passwd* found = nullptr;
  std::array<char, 4096> buffer{};
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found) {
    environment.user = found->pw_name;
    environment.home = found->pw_dir;
  }
  const char* home = std::getenv("HOME");
  if (environment.home.empty() && home != nullptr) {
    environment.home = home; // like ssh, $HOME only when the password database has no entry
  }
  while (environment.home.size() > 1 && environment.home.back() == '/') {
    environment.home.pop_back();
  }
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) == 0) {
    environment.hostname = host.data();
  }
  return environment;
}

} // namespace digger::inventory
