// The fan-out's end-of-scan retry of timed-out hosts, and pacing against real sshd.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "ssh_fleet.hpp"

using namespace digger::ssh;
using namespace digger::ssh::testing;
using namespace std::chrono_literals;

namespace {

Options retrying() {
  Options options;
  options.concurrency = 16;
  options.workers = 2;
  options.host_deadline = 2s;
  options.host_key_mode = HostKeyMode::off;
  options.retry_timeouts = true;
  options.retry_concurrency = 4;
  return options;
}

HostKeyStore no_store() {
  return HostKeyStore(HostKeyStoreOptions{});
}

} // namespace

TEST_CASE("timed-out hosts are retried once at the end and reported once", "[ssh][pacing]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = no_store();
  // First run of the command stalls past the deadline; the second answers at once.
  std::string flag = fleet.dir + "/retry-flag";
  std::string command =
      fmt::format("if [ -e '{0}' ]; then echo second; else : > '{0}'; exec sleep 30; fi", flag);
  std::vector<Target> targets{target_for("127.0.61.9"), target_for(fleet.address["a"]),
                              target_for(fleet.address["b"])};
  targets[2].command = "echo plain";
  Run result;
  FanoutReport report;
  {
    result.outcomes.resize(targets.size());
    result.reported.assign(targets.size(), false);
    std::atomic<bool> stop{false};
    report = run_fanout(
        targets, command, retrying(), keys, store,
        [&](std::size_t index, Outcome&& outcome) {
          result.duplicates += result.reported[index] ? 1 : 0;
          result.reported[index] = true;
          result.outcomes[index] = std::move(outcome);
          ++result.count;
        },
        stop);
  }
  CHECK(result.count == 3);
  CHECK(result.duplicates == 0);
  const Outcome& tarpit = result.outcomes[0];
  CHECK(tarpit.status == Status::timeout);
  CHECK(tarpit.retried);
  CHECK(tarpit.attempts == 2);
  const Outcome& slow_once = result.outcomes[1];
  INFO(slow_once.reason);
  CHECK(slow_once.status == Status::ok);
  CHECK(slow_once.retried);
  CHECK(slow_once.stdout_data == "second\n");
  CHECK(result.outcomes[2].status == Status::ok);
  CHECK_FALSE(result.outcomes[2].retried);
  CHECK(report.retried == 2);
  CHECK(report.retried_ok == 1);
}

TEST_CASE("without retry_timeouts a timeout is final", "[ssh][pacing]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = no_store();
  Options options = retrying();
  options.retry_timeouts = false;
  auto result = run({target_for("127.0.61.9")}, "true", options, keys, store);
  CHECK(result.outcomes[0].status == Status::timeout);
  CHECK_FALSE(result.outcomes[0].retried);
  CHECK(result.outcomes[0].attempts == 1);
}

TEST_CASE("paced and fixed windows reach every host", "[ssh][pacing]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = no_store();
  std::vector<Target> targets;
  for (int i = 0; i < 120; ++i) {
    targets.push_back(target_for(fleet.address[std::string(1, static_cast<char>('a' + i % 4))]));
  }
  for (bool adaptive : {true, false}) {
    Options options = retrying();
    options.concurrency = 512;
    options.host_deadline = 60s;
    options.adaptive = adaptive;
    auto result = run(targets, "echo hi", options, keys, store);
    CHECK(result.count == targets.size());
    CHECK(result.duplicates == 0);
    CHECK(std::all_of(result.outcomes.begin(), result.outcomes.end(), [](const Outcome& o) {
      return o.status == Status::ok && o.stdout_data == "hi\n";
    }));
  }
}
