// Bastions (ProxyJump) against real sshd processes on 127.0.75.x: bastions with OpenSSH's
// default MaxStartups and MaxSessions whose own /etc/hosts (in their mount namespace) is the
// only place the names of the hosts behind them resolve; a blackholed target; a bastion that
// refuses forwarding; and a chain of two bastions.
#include "digger/ssh/host_keys.hpp"
#include "digger/ssh/socket.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "ssh_fleet.hpp"

using namespace digger::ssh;
using namespace digger::ssh::testing;
using namespace std::chrono_literals;

namespace {

constexpr int port = 2201;
constexpr int inner_hosts = 6;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

// The lab: started once, stopped at exit.
struct JumpLab {
  std::string dir;
  std::vector<int> pids;

  static JumpLab& get() {
    static JumpLab lab = [] {
      Fleet& fleet = Fleet::get(); // its keys and authorized_keys
      JumpLab l;
      l.dir = fleet.dir + "/jump";
      run_shell(fmt::format("mkdir -p '{}'", l.dir));
      std::string authorized = fleet.dir + "/authorized_keys";
      std::string b1_hosts = "127.0.0.1 localhost\n127.0.75.2 bastion2-inner\n"
                             "127.0.75.99 blackhole-host\n127.0.75.98 closed-host\n";
      for (int i = 1; i <= inner_hosts; ++i) {
        b1_hosts += fmt::format("127.0.75.{} inner-{}\n", 10 + i, i);
      }
      std::string b2_hosts = "127.0.0.1 localhost\n127.0.75.21 deep-1\n";
      auto write = [&l](const std::string& name, const std::string& text) {
        std::string path = l.dir + "/" + name;
        std::ofstream(path, std::ios::trunc) << text;
        return path;
      };
      std::string fixture = DIGGER_SSH_FIXTURE;
      auto start = [&l](const std::string& command) {
        l.pids.push_back(std::stoi(run_shell(command)));
      };
      start(fmt::format("'{}' bastion '{}' b1 127.0.75.1 {} '{}' '{}'", fixture, l.dir, port,
                        authorized, write("b1_hosts", b1_hosts)));
      start(fmt::format("'{}' bastion '{}' b2 127.0.75.2 {} '{}' '{}'", fixture, l.dir, port,
                        authorized, write("b2_hosts", b2_hosts)));
      start(fmt::format("'{}' bastion '{}' nofwd 127.0.75.3 {} '{}' '{}' 'AllowTcpForwarding no'",
                        fixture, l.dir, port, authorized, write("nofwd_hosts", b1_hosts)));
      for (int i = 1; i <= inner_hosts; ++i) {
        start(fmt::format("'{}' start '{}' inner-{} 127.0.75.{} {} '{}'", fixture, l.dir, i, 10 + i,
                          port, authorized));
      }
      start(fmt::format("'{}' start '{}' deep-1 127.0.75.21 {} '{}'", fixture, l.dir, port,
                        authorized));
      start(fmt::format("'{}' blackhole '{}' blackhole 127.0.75.99 {}", fixture, l.dir, port));
      return l;
    }();
    return lab;
  }

  ~JumpLab() {
    std::string list;
    for (int pid : pids) {
      list += fmt::format(" {}", pid);
    }
    if (!list.empty()) {
      std::system(fmt::format("'{}' stop{}", DIGGER_SSH_FIXTURE, list).c_str());
    }
  }

  std::string log_of(const std::string& server) const {
    return read_text(fmt::format("{}/{}/sshd.log", dir, server));
  }
  std::size_t logins(const std::string& server) const {
    return count_of(log_of(server), "Accepted publickey");
  }
  std::string host_pub(const std::string& server) const {
    return read_text(fmt::format("{}/{}/ssh_host_ed25519_key.pub", dir, server));
  }
};

Hop hop_to(const std::string& address) {
  Hop hop;
  hop.name = address;
  hop.address = address;
  hop.port = port;
  hop.user = "root";
  hop.connect_timeout = 2000ms;
  return hop;
}

Target behind(const std::vector<Hop>& jumps, const std::string& name, int target_port = port) {
  Target target = target_for(name, target_port);
  target.jumps = jumps;
  return target;
}

std::vector<Target> inner_targets(const std::vector<Hop>& jumps, int count) {
  std::vector<Target> targets;
  for (int i = 0; i < count; ++i) {
    targets.push_back(behind(jumps, fmt::format("inner-{}", 1 + i % inner_hosts)));
  }
  return targets;
}

Options jump_options(JumpStats& stats) {
  Options options;
  options.concurrency = 64;
  options.workers = 1; // one jump pool: the login counts below are exact
  options.host_deadline = 20s;
  options.host_key_mode = HostKeyMode::off;
  options.jump_grow_after = 60s; // grow only on open timeouts here
  options.jump_stats = &stats;
  return options;
}

HostKeyStore store_with(std::vector<std::string> user_files, std::string digger_file = "") {
  HostKeyStoreOptions options;
  options.user_files = std::move(user_files);
  options.digger_file = std::move(digger_file);
  return HostKeyStore(options);
}

} // namespace

TEST_CASE("many targets through one bastion login, names resolved on the bastion", "[ssh][jump]") {
  JumpLab& lab = JumpLab::get();
  Fleet& fleet = Fleet::get();
  // The inner names exist only in the bastion's /etc/hosts.
  CHECK_FALSE(resolve_host("inner-1", port).ok());
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = store_with({});
  JumpStats stats;
  std::size_t before = lab.logins("b1");
  // 40 targets, more than the bastion's MaxSessions (10): direct-tcpip channels do not count.
  auto result = run(inner_targets({hop_to("127.0.75.1")}, 40), "echo via-bastion; hostname -I",
                    jump_options(stats), keys, store);
  REQUIRE(result.count == 40);
  CHECK(result.duplicates == 0);
  for (const auto& outcome : result.outcomes) {
    INFO(outcome.reason);
    CHECK(outcome.status == Status::ok);
    CHECK(outcome.stdout_data.rfind("via-bastion\n", 0) == 0);
  }
  CHECK(lab.logins("b1") - before == 1);
  CHECK(stats.sessions_authenticated == 1);
  CHECK(stats.channels_opened == 40);
  CHECK(stats.open_timeouts == 0);
  CHECK(lab.log_of("b1").find("target inner-3 port 2201") != std::string::npos);
}

TEST_CASE("a blackholed target costs its open deadline and stalls no other target", "[ssh][jump]") {
  JumpLab& lab = JumpLab::get();
  KeyRing keys = key_ring_with({Fleet::get().key_ed25519});
  auto store = store_with({});
  JumpStats stats;
  Options options = jump_options(stats);
  options.jump_open_timeout = 2s;
  Hop b1 = hop_to("127.0.75.1");
  std::vector<Target> targets = inner_targets({b1}, 12);
  // Asked for early: every later open on its jump session would wait behind it.
  targets.insert(targets.begin() + 1, behind({b1}, "blackhole-host"));
  std::size_t before = lab.logins("b1");
  auto result = run(targets, "echo alive", options, keys, store);
  REQUIRE(result.count == targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    INFO(targets[i].address << ": " << result.outcomes[i].reason);
    if (i == 1) {
      CHECK(result.outcomes[i].status == Status::target_open_timeout);
      CHECK(result.outcomes[i].reason.find("blackhole-host") != std::string::npos);
    } else {
      CHECK(result.outcomes[i].status == Status::ok);
    }
  }
  CHECK(stats.open_timeouts == 1);
  // The pool grew by one session to route around the stuck open, and no more.
  CHECK(stats.sessions_authenticated == 2);
  CHECK(lab.logins("b1") - before == 2);
}

TEST_CASE("each hop has its own host key check, key and status", "[ssh][jump]") {
  JumpLab& lab = JumpLab::get();
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519, fleet.key_unauthorized});
  JumpStats stats;
  Hop b1 = hop_to("127.0.75.1");

  SECTION("a changed bastion key fails every target before any credential is sent") {
    std::string known = fleet.write_file(
        "jump_known_b1_changed", fmt::format("[127.0.75.1]:{} {}", port, lab.host_pub("b2")));
    auto store = store_with({known});
    Options options = jump_options(stats);
    options.host_key_mode = HostKeyMode::accept_new;
    std::size_t before = lab.logins("b1");
    auto result = run(inner_targets({b1}, 3), "true", options, keys, store);
    for (const auto& outcome : result.outcomes) {
      CHECK(outcome.status == Status::bastion_hostkey);
      CHECK(outcome.reason.find("bastion 127.0.75.1") != std::string::npos);
    }
    CHECK(lab.logins("b1") == before);
    CHECK(stats.sessions_started == 1); // one refusal, not one per target
  }

  SECTION("a target's changed key fails that target only, checked under its own name") {
    std::string known = fleet.write_file("jump_known_inner_changed",
                                         fmt::format("[127.0.75.1]:{0} {1}[inner-1]:{0} {2}", port,
                                                     lab.host_pub("b1"), lab.host_pub("inner-2")));
    auto store = store_with({known});
    Options options = jump_options(stats);
    options.host_key_mode = HostKeyMode::accept_new;
    auto result = run(inner_targets({b1}, 2), "true", options, keys, store);
    CHECK(result.outcomes[0].status == Status::hostkey_mismatch);
    CHECK(result.outcomes[1].status == Status::ok);
  }

  SECTION("a key the bastion refuses is bastion-auth; the target's own keys are not used") {
    b1.identity_files = {fleet.key_unauthorized};
    auto store = store_with({});
    auto result = run(inner_targets({b1}, 3), "true", jump_options(stats), keys, store);
    for (const auto& outcome : result.outcomes) {
      CHECK(outcome.status == Status::bastion_auth);
      CHECK(outcome.reason.find(fleet.key_unauthorized) != std::string::npos);
    }
  }

  SECTION("forwarding refused by the bastion, a closed port and an unreachable bastion") {
    auto store = store_with({});
    std::vector<Target> targets{behind({hop_to("127.0.75.3")}, "inner-1"),
                                behind({b1}, "closed-host"),
                                behind({hop_to("127.0.75.97")}, "inner-1")};
    auto result = run(targets, "true", jump_options(stats), keys, store);
    CHECK(result.outcomes[0].status == Status::forwarding_refused);
    CHECK(result.outcomes[1].status == Status::unreachable);
    CHECK(result.outcomes[1].reason.find("bastion 127.0.75.1 could not connect to closed-host") !=
          std::string::npos);
    CHECK(result.outcomes[2].status == Status::bastion_unreachable);
  }
}

TEST_CASE("a chain of two bastions, each hop checked under its own name", "[ssh][jump]") {
  JumpLab& lab = JumpLab::get();
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  std::string digger_file = lab.dir + "/chain_known_hosts";
  auto store = store_with({}, digger_file);
  JumpStats stats;
  Options options = jump_options(stats);
  options.host_key_mode = HostKeyMode::accept_new;
  // b2's name resolves only on b1, deep-1's only on b2.
  std::vector<Hop> chain{hop_to("127.0.75.1"), hop_to("bastion2-inner")};
  std::size_t b1_before = lab.logins("b1"), b2_before = lab.logins("b2");
  auto result = run({behind(chain, "deep-1"), behind(chain, "deep-1"), behind(chain, "inner-1")},
                    "echo deep", options, keys, store);
  for (std::size_t i = 0; i < 2; ++i) {
    INFO(result.outcomes[i].reason);
    CHECK(result.outcomes[i].status == Status::ok);
    CHECK(result.outcomes[i].stdout_data == "deep\n");
  }
  // inner-1 does not resolve on b2: the hop that failed says so.
  CHECK(result.outcomes[2].status == Status::unreachable);
  CHECK(result.outcomes[2].reason.find("bastion bastion2-inner") != std::string::npos);
  CHECK(lab.logins("b1") - b1_before == 1);
  CHECK(lab.logins("b2") - b2_before == 1);
  CHECK(lab.log_of("b2").find("target deep-1 port 2201") != std::string::npos);
  std::string recorded = read_text(digger_file);
  CHECK(recorded.find("[127.0.75.1]:2201 ssh-ed25519 ") != std::string::npos);
  CHECK(recorded.find("[bastion2-inner]:2201 ssh-ed25519 ") != std::string::npos);
  CHECK(recorded.find("[deep-1]:2201 ssh-ed25519 ") != std::string::npos);
}

TEST_CASE("targets of a jump session that dies are re-queued once on a new one", "[ssh][jump]") {
  JumpLab& lab = JumpLab::get();
  KeyRing keys = key_ring_with({Fleet::get().key_ed25519});
  auto store = store_with({});
  JumpStats stats;
  std::size_t before = lab.logins("b1");
  int listener = lab.pids[0]; // b1's sshd
  // Kills b1's per-connection processes (the jump session) while the commands run.
  std::thread killer([&] {
    for (int i = 0; i < 200 && lab.logins("b1") == before; ++i) {
      std::this_thread::sleep_for(50ms);
    }
    std::this_thread::sleep_for(700ms);
    // The per-connection monitors and their post-auth children (both hold the socket).
    std::vector<int> doomed;
    std::istringstream monitors(run_shell(fmt::format("ps -o pid= --ppid {} || true", listener)));
    for (int pid = 0; monitors >> pid;) {
      doomed.push_back(pid);
      std::istringstream children(run_shell(fmt::format("ps -o pid= --ppid {} || true", pid)));
      for (int child = 0; children >> child;) {
        doomed.push_back(child);
      }
    }
    for (int pid : doomed) {
      ::kill(pid, SIGKILL);
    }
  });
  auto result = run(inner_targets({hop_to("127.0.75.1")}, 8), "sleep 2; echo done",
                    jump_options(stats), keys, store);
  killer.join();
  for (const auto& outcome : result.outcomes) {
    INFO(outcome.reason);
    CHECK(outcome.status == Status::ok);
    CHECK(outcome.stdout_data == "done\n");
    CHECK(outcome.attempts == 2);
  }
  CHECK(stats.requeued == 8);
  CHECK(stats.sessions_authenticated == 2);
  CHECK(lab.logins("b1") - before == 2);
}
