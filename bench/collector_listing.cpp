// Collector time against the number of files a local user can create: 0 / 1,000 / 10,000 /
// 100,000 empty *.timer files (the issue 14 attack: each also names a .service to look up),
// 1,000 per ~/.config/systemd/user so that the per-directory cap does not cut them. The script
// runs in a private mount namespace (root, unshare -m) with a tmpfs over /home; nothing on this
// machine changes. Prints wall time, shell + children CPU and the files listed; never fails on
// speed.
//
//   bench_collector_listing [SCRIPT_CPP]   # SCRIPT_CPP: an older src/collect/script.cpp
//                                          # (its R"SH(...)SH" text) instead of this build's

#include "digger/collect/decode.hpp"
#include "digger/collect/script.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

using namespace digger::collect;

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string script_of(const std::string& cpp) {
  auto text = read_all(cpp);
  auto begin = text.find("R\"SH(");
  auto end = text.find(")SH\"");
  if (begin == std::string::npos || end == std::string::npos) {
    return {};
  }
  return fmt::format("exec sh -c '{}' digger-collect 16777216 4194304 65536",
                     text.substr(begin + 5, end - begin - 5));
}

// Builds N empty timers (1,000 per user) on a tmpfs /home, then times one collector run with
// the shell's `times` (children's user and system CPU) and date's nanoseconds.
constexpr const char* run_script = R"SH(set -e
n=$2
mount -t tmpfs digger-bench /home
u=0
while [ $((u * 1000)) -lt "$n" ]; do
  d=/home/u$u/.config/systemd/user
  mkdir -p $d
  left=$((n - u * 1000)); [ $left -gt 1000 ] && left=1000
  (cd $d && seq -f "t%06g.timer" 1 $left | xargs touch)
  u=$((u + 1))
done
set +e
s=$(date +%s%N)
sh "$1/collector.sh" > "$1/out" 2>/dev/null
e=$(date +%s%N)
echo "wall_ns $((e - s))"
times
)SH";

} // namespace

int main(int argc, char** argv) {
  if (::geteuid() != 0 || std::system("command -v unshare >/dev/null 2>&1") != 0) {
    fmt::print("needs root and unshare(1): a private mount namespace with a tmpfs /home\n");
    return 0;
  }
  std::string command = argc > 1 ? script_of(argv[1]) : collector_command(false, {});
  if (command.empty()) {
    fmt::print(stderr, "{}: no R\"SH(...)SH\" script in it\n", argv[1]);
    return 2;
  }
  auto dir = std::filesystem::temp_directory_path() / fmt::format("digger-bench-{}", ::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "collector.sh") << command;
  std::ofstream(dir / "run.sh") << run_script;
  fmt::print("{:>8} {:>10} {:>10} {:>12} {:>8}  {}\n", "files", "wall ms", "cpu ms", "cpu us/file",
             "listed", "status");
  for (long files : std::array<long, 4>{0, 1'000, 10'000, 100'000}) {
    auto line = fmt::format("unshare -m --propagation private sh '{0}/run.sh' '{0}' {1} 2>&1",
                            dir.string(), files);
    std::string report;
    if (std::FILE* pipe = ::popen(line.c_str(), "r")) {
      std::array<char, 4096> buffer{};
      while (std::size_t got = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
        report.append(buffer.data(), got);
      }
      ::pclose(pipe);
    }
    // "wall_ns N", then `times`: "0m0.01s 0m0.00s" (shell), "0m1.20s 0m0.30s" (children).
    std::istringstream in(report);
    std::string word;
    long long wall_ns = 0;
    double cpu_s = 0;
    while (in >> word) {
      if (word == "wall_ns") {
        in >> wall_ns;
      } else if (auto m = word.find('m'); m != std::string::npos && word.back() == 's') {
        cpu_s += std::atof(word.substr(0, m).c_str()) * 60 + std::atof(word.c_str() + m + 1);
      }
    }
    auto decoded = decode_collector_output(read_all(dir / "out"));
    std::size_t listed = 0;
    for (const auto& s : decoded.snapshot.sources) {
      listed += s.path.starts_with("/home/") ? 1 : 0;
    }
    std::string status = decoded.complete ? "complete" : "INCOMPLETE: " + decoded.error;
    const auto& notes = decoded.snapshot.unreadable;
    if (!notes.empty()) { // the first cap that cut the listing, and how many directories it cut
      status += fmt::format("; {} ({} directories)", notes.front().reason, notes.size());
    }
    double wall_ms = static_cast<double>(wall_ns) / 1e6;
    fmt::print("{:>8} {:>10.0f} {:>10.0f} {:>12.1f} {:>8}  {}\n", files, wall_ms, cpu_s * 1000,
               files ? cpu_s * 1e6 / static_cast<double>(files) : 0.0, listed, status);
    std::fflush(stdout);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
