// N hosts through one bastion: run_fanout with every target behind the same ProxyJump hop.
// Prints one JSON object (wall time, client CPU, statuses, jump session counters); it never
// fails on speed. bench/fleet --bastion drives it against the lab (docs/performance.md).
//
//   bench_jump_fanout HOSTS_TXT KEY BASTION_ADDRESS BASTION_PORT CONCURRENCY [WORKERS]
//
// HOSTS_TXT is the lab's inventory ("user@address:port name=..." lines); the bastion is
// logged into as root with KEY, and so is every target (host keys are not checked: a bench).
// BASTION_ADDRESS "-" connects to the hosts directly, for comparison.
#include "digger/ssh/auth.hpp"
#include "digger/ssh/fanout.hpp"
#include "digger/ssh/host_keys.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace digger::ssh;

namespace {

std::vector<Target> read_targets(const std::string& path, const Hop& bastion) {
  std::vector<Target> targets;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string login;
    if (!(words >> login) || login[0] == '#') {
      continue;
    }
    auto at = login.find('@');
    auto colon = login.rfind(':');
    if (at == std::string::npos || colon == std::string::npos || colon < at) {
      continue;
    }
    Target target;
    target.user = login.substr(0, at);
    target.address = login.substr(at + 1, colon - at - 1);
    target.name = target.address;
    target.port = std::stoi(login.substr(colon + 1));
    if (bastion.address != "-") {
      target.jumps = {bastion};
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr,
                 "usage: %s HOSTS_TXT KEY BASTION_ADDRESS BASTION_PORT CONCURRENCY "
                 "[WORKERS]\n",
                 argv[0]);
    return 2;
  }
  Hop bastion;
  bastion.name = bastion.address = argv[3];
  bastion.port = std::stoi(argv[4]);
  bastion.user = "root";
  bastion.identity_files = {argv[2]};
  std::vector<Target> targets = read_targets(argv[1], bastion);
  KeyRingOptions key_options;
  key_options.use_agent = false;
  key_options.default_identity_files = false;
  key_options.identity_files = {argv[2]};
  KeyRing keys = KeyRing::load(key_options);
  HostKeyStoreOptions store_options;
  store_options.user_files = std::vector<std::string>{};
  HostKeyStore store(store_options);
  JumpStats stats;
  Options options;
  options.concurrency = std::stoul(argv[5]);
  options.workers = argc > 6 ? std::stoul(argv[6]) : 0;
  options.host_key_mode = HostKeyMode::off;
  options.jump_stats = &stats;
  std::map<std::string, std::size_t> statuses;
  std::string first_failure;
  std::atomic<bool> stop{false};
  double cpu0 = cpu_seconds();
  auto t0 = std::chrono::steady_clock::now();
  run_fanout(
      targets, "echo ok", options, keys, store,
      [&](std::size_t, Outcome&& outcome) {
        ++statuses[std::string(status_name(outcome.status))];
        if (outcome.status != Status::ok && first_failure.empty()) {
          first_failure = outcome.reason;
        }
      },
      stop);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = cpu_seconds() - cpu0;
  std::string status_json;
  for (const auto& [name, count] : statuses) {
    status_json += fmt::format("{}\"{}\": {}", status_json.empty() ? "" : ", ", name, count);
  }
  std::string escaped;
  for (char c : first_failure) {
    escaped += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  }
  std::printf("{\"hosts\": %zu, \"wall_s\": %.3f, \"client_cpu_s\": %.3f, \"statuses\": {%s}, "
              "\"jump_sessions_started\": %zu, \"bastion_logins\": %zu, \"channels_opened\": %zu, "
              "\"open_timeouts\": %zu, \"requeued\": %zu, \"first_failure\": \"%s\"}\n",
              targets.size(), wall, cpu, status_json.c_str(), stats.sessions_started.load(),
              stats.sessions_authenticated.load(), stats.channels_opened.load(),
              stats.open_timeouts.load(), stats.requeued.load(), escaped.c_str());
  return 0;
}
