// The collector script run locally on this machine (read-only, as the SSH server would run
// it): the fast path (GNU find/dd) and the portable path must report the same files.
#include "digger/collect/decode.hpp"
#include "digger/collect/script.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

using namespace digger::collect;

namespace {

std::string run_collector(ScriptMode mode) {
  auto path = std::filesystem::temp_directory_path() /
              fmt::format("digger-collect-{}-{}.sh", ::getpid(), static_cast<int>(mode));
  std::ofstream(path) << collector_command(false, {}, mode);
  std::FILE* pipe = ::popen(fmt::format("sh '{}' 2>/dev/null", path.string()).c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[65536];
  while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) {
    out.append(buffer, got);
  }
  ::pclose(pipe);
  std::filesystem::remove(path);
  return out;
}

using FileKey = std::tuple<int, std::string>;
struct FileFacts {
  std::uint32_t mode;
  std::int64_t size, mtime, uid;
  std::string owner, content;
  bool operator==(const FileFacts&) const = default;
};

std::map<FileKey, FileFacts> files_of(const HostSnapshot& snapshot) {
  std::map<FileKey, FileFacts> files;
  for (const auto& s : snapshot.sources) {
    files[{static_cast<int>(s.kind), s.path}] = {s.mode, s.size,       s.mtime,
                                                 s.uid,  s.file_owner, s.content};
  }
  return files;
}

std::string fact(const HostSnapshot& snapshot, std::string_view name) {
  for (const auto& [key, value] : snapshot.extra_facts) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

} // namespace

TEST_CASE("collector script: fast and portable paths report the same files", "[collect][script]") {
  auto fast = decode_collector_output(run_collector(ScriptMode::automatic));
  auto portable = decode_collector_output(run_collector(ScriptMode::portable));
  REQUIRE(fast.error.empty());
  REQUIRE(portable.error.empty());
  CHECK(fast.complete);
  CHECK(portable.complete);
  CHECK(fact(portable.snapshot, "collector") == "portable");
  if (fact(fast.snapshot, "collector") != "fast") {
    WARN("no GNU find/dd here: only the portable path was exercised");
  }
  CHECK(files_of(fast.snapshot) == files_of(portable.snapshot));
  CHECK(fast.snapshot.enabled_units.size() == portable.snapshot.enabled_units.size());
  CHECK(fast.snapshot.package_owners.size() == portable.snapshot.package_owners.size());
  CHECK(fast.snapshot.skipped.size() == portable.snapshot.skipped.size());
  CHECK(fast.snapshot.unreadable.size() == portable.snapshot.unreadable.size());
  // Every non-spool file a package owns was attributed (dpkg hosts): checked against dpkg -S.
  if (std::system("command -v dpkg >/dev/null 2>&1") == 0) {
    for (const auto& owner : fast.snapshot.package_owners) {
      std::string path = owner.path;
      if (path.starts_with("/usr/lib/") && std::filesystem::equivalent("/lib", "/usr/lib")) {
        path = path.substr(4); // dpkg lists /lib on merged-/usr hosts
      }
      std::string query =
          fmt::format("dpkg -S '{}' 2>/dev/null | grep -q '^{}[:,]'", path, owner.package);
      INFO(owner.path << " -> " << owner.package);
      CHECK(std::system(query.c_str()) == 0);
    }
  }
}

TEST_CASE("collector command carries only our limits and the mode", "[collect][script]") {
  CollectorLimits limits;
  limits.total_bytes = 1000;
  limits.per_file_bytes = 200;
  limits.unit_file_bytes = 100;
  auto command = collector_command(true, limits, ScriptMode::portable);
  CHECK(command.starts_with("exec sudo -n sh -c '"));
  CHECK(command.ends_with("' digger-collect 1000 200 100 portable"));
  CHECK(collector_script().find('\'') == std::string_view::npos);
}
