// Client cost of the SSH engine: N connections (connect, key exchange, auth, exec, read,
// close) to one local sshd, through run_fanout. Prints hosts/s and client CPU per host.
//
//   bench_ssh_handshake ADDRESS PORT USER KEY_FILE [N=500] [CONCURRENCY=64] [COMMAND=true]
//
// Start a throw-away sshd with tests/ssh/sshd_fixture.sh (see docs/ssh.md). The figures are
// printed, never asserted; sshd's own CPU usually bounds hosts/s on a small machine.
#include "digger/ssh/auth.hpp"
#include "digger/ssh/fanout.hpp"
#include "digger/ssh/host_keys.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sys/resource.h>

using namespace digger::ssh;

namespace {

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    fmt::print(stderr, "usage: {} ADDRESS PORT USER KEY_FILE [N] [CONCURRENCY] [COMMAND]\n",
               argv[0]);
    return 2;
  }
  std::size_t count = argc > 5 ? std::strtoul(argv[5], nullptr, 10) : 500;
  Options options;
  options.concurrency = argc > 6 ? std::strtoul(argv[6], nullptr, 10) : 64;
  options.host_key_mode = HostKeyMode::off;
  std::string command = argc > 7 ? argv[7] : "true";

  KeyRingOptions key_options;
  key_options.use_agent = false;
  key_options.default_identity_files = false;
  key_options.identity_files = {argv[4]};
  double cpu_before_keys = cpu_seconds();
  KeyRing keys = KeyRing::load(key_options);
  double key_cpu = cpu_seconds() - cpu_before_keys;
  for (const auto& warning : keys.warnings()) {
    fmt::print(stderr, "warning: {}\n", warning);
  }
  HostKeyStoreOptions store_options;
  store_options.user_files = std::vector<std::string>{};
  HostKeyStore store(store_options);

  std::vector<Target> targets(count);
  for (auto& target : targets) {
    target.name = target.address = argv[1];
    target.port = std::atoi(argv[2]);
    target.user = argv[3];
  }
  std::map<std::string, std::size_t> statuses;
  std::string first_failure;
  std::atomic<bool> stop{false};
  std::mutex mutex; // on_done runs on several workers at once
  double cpu_before = cpu_seconds();
  auto started = std::chrono::steady_clock::now();
  run_fanout(
      targets, command, options, keys, store,
      [&](std::size_t, Outcome&& outcome) {
        std::lock_guard lock(mutex);
        ++statuses[std::string(status_name(outcome.status))];
        if (outcome.status != Status::ok && first_failure.empty()) {
          first_failure = outcome.reason;
        }
      },
      stop);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  double cpu = cpu_seconds() - cpu_before;
  fmt::print("hosts {}  concurrency {}  wall {:.2f} s  {:.1f} hosts/s\n", count,
             options.concurrency, wall, count / wall);
  fmt::print("client CPU {:.3f} s = {:.3f} ms per host (key ring load: {:.2f} ms once)\n", cpu,
             1000 * cpu / count, 1000 * key_cpu);
  for (const auto& [status, n] : statuses) {
    fmt::print("  {}: {}\n", status, n);
  }
  if (!first_failure.empty()) {
    fmt::print("  first failure: {}\n", first_failure);
  }
  return 0;
}
