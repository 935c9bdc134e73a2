// ProxyCommand (the session over a local command's stdin/stdout) and IdentitiesOnly, against
// the fleet's sshd (ssh_fleet.hpp). The relay is a small python3 script: a ProxyCommand that
// connects to %h:%p and copies bytes both ways, as `nc` or `ssh -W` would.
#include "digger/ssh/host_keys.hpp"
#include "digger/ssh/proxy_command.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "ssh_fleet.hpp"

using namespace digger::ssh;
using namespace digger::ssh::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* relay_script = R"(import os, socket, sys, threading
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
def upstream():
    while True:
        data = os.read(0, 65536)
        if not data:
            s.shutdown(socket.SHUT_WR)
            return
        s.sendall(data)
threading.Thread(target=upstream, daemon=True).start()
while True:
    data = s.recv(65536)
    if not data:
        break
    os.write(1, data)
)";

Options options_for_proxy() {
  Options options;
  options.concurrency = 8;
  options.workers = 1;
  options.host_deadline = 10s;
  options.host_key_mode = HostKeyMode::off;
  options.retries = 0;
  return options;
}

HostKeyStore empty_store() {
  return HostKeyStore(HostKeyStoreOptions{});
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Processes whose command line holds `needle`, and our own children that are zombies.
struct Leftovers {
  int with_needle = 0;
  int our_zombies = 0;
};

Leftovers leftovers(const std::string& needle) {
  Leftovers found;
  DIR* proc = ::opendir("/proc");
  REQUIRE(proc != nullptr);
  while (dirent* entry = ::readdir(proc)) {
    std::string pid = entry->d_name;
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::string cmdline = read_text("/proc/" + pid + "/cmdline");
    if (cmdline.find(needle) != std::string::npos) {
      ++found.with_needle;
    }
    // /proc/PID/stat: "pid (comm) S ppid ...": the fields after the last ')'.
    std::string stat = read_text("/proc/" + pid + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos) {
      continue;
    }
    std::istringstream fields(stat.substr(close + 1));
    std::string state;
    long ppid = 0;
    fields >> state >> ppid;
    if (ppid == ::getpid() && state == "Z") {
      ++found.our_zombies;
    }
  }
  ::closedir(proc);
  return found;
}

} // namespace

TEST_CASE("a session runs over a ProxyCommand relaying to sshd", "[ssh][proxy]") {
  Fleet& fleet = Fleet::get();
  std::string relay = fleet.write_file("relay-77.py", relay_script);
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = empty_store();
  // The name resolves nowhere: only the command knows where to go.
  Target target = target_for("no-such-name.invalid");
  target.proxy_command =
      fmt::format("/usr/bin/python3 {} {} {}", relay, fleet.address["a"], fleet_port);
  std::vector<Target> targets(3, target);
  auto result = run(targets, "echo through-the-proxy", options_for_proxy(), keys, store);
  for (const auto& outcome : result.outcomes) {
    INFO(outcome.reason);
    CHECK(outcome.status == Status::ok);
    CHECK(outcome.stdout_data == "through-the-proxy\n");
    CHECK_FALSE(outcome.host_key_fingerprint.empty());
  }
  Leftovers after = leftovers(relay);
  CHECK(after.with_needle == 0);
  CHECK(after.our_zombies == 0);
}

TEST_CASE("a failing ProxyCommand is unreachable, its exit status named", "[ssh][proxy]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = empty_store();
  Target fails = target_for("pc-fails");
  fails.proxy_command = "false";
  Target says = target_for("pc-says-why");
  // ssh runs "exec COMMAND": a compound command needs its own shell, as with OpenSSH.
  says.proxy_command = "sh -c \"printf 'first\\nproxy: no route to the moon\\n' >&2; exit 3\"";
  Target missing = target_for("pc-missing");
  missing.proxy_command = "/nonexistent/digger-proxy-77";
  auto result = run({fails, says, missing}, "true", options_for_proxy(), keys, store);
  REQUIRE(result.count == 3);
  CHECK(result.outcomes[0].status == Status::unreachable);
  CHECK(result.outcomes[0].reason.find("ProxyCommand exited with status 1") != std::string::npos);
  CHECK(result.outcomes[1].status == Status::unreachable);
  CHECK(result.outcomes[1].reason.find(
            "ProxyCommand exited with status 3: proxy: no route to the moon") != std::string::npos);
  CHECK(result.outcomes[1].reason.find("first") == std::string::npos);
  CHECK(result.outcomes[2].status == Status::unreachable);
  CHECK(result.outcomes[2].reason.find("exited with status 127") != std::string::npos);
  CHECK(leftovers("digger-proxy-77").our_zombies == 0);
}

TEST_CASE("a ProxyCommand that never answers ends at the host deadline and is killed",
          "[ssh][proxy]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = empty_store();
  Target target = target_for("pc-silent");
  // Ignores SIGTERM and starts children: only the group's SIGKILL ends all of it.
  target.proxy_command = "sh -c \"trap '' TERM; sleep 377.77 & sleep 377.77; wait\"";
  Options options = options_for_proxy();
  options.host_deadline = 1s;
  auto result = run({target, target}, "true", options, keys, store);
  for (const auto& outcome : result.outcomes) {
    INFO(outcome.reason);
    CHECK(outcome.status == Status::timeout);
  }
  Leftovers after = leftovers("377.77");
  CHECK(after.with_needle == 0);
  CHECK(after.our_zombies == 0);
}

TEST_CASE("ProxyProcess: stop reaps, exit status and bounded stderr", "[ssh][proxy]") {
  UniqueFd connection;
  auto spawned = ProxyProcess::spawn(
      "sh -c 'head -c 100000 /dev/zero | tr \"\\\\000\" x >&2; echo last words >&2; exit 4'",
      connection);
  REQUIRE(spawned.ok());
  ProxyProcess chatty = std::move(spawned).value();
  std::optional<std::string> ended;
  for (int i = 0; i < 100 && !ended; ++i) {
    ended = chatty.exit_description(100ms);
  }
  REQUIRE(ended.has_value());
  // Only the first 4 KiB of stderr are kept: the later line never made it, and nothing blocked.
  CHECK(ended->rfind("exited with status 4: ", 0) == 0);
  CHECK(ended->find("last words") == std::string::npos);
  CHECK(ended->size() < 260);
  pid_t pid = chatty.pid();
  chatty.stop();
  CHECK(::waitpid(pid, nullptr, WNOHANG) == -1);
  CHECK(errno == ECHILD);

  auto again =
      ProxyProcess::spawn("sh -c 'trap \"\" TERM; while :; do sleep 0.05; done'", connection);
  REQUIRE(again.ok());
  ProxyProcess stubborn = std::move(again).value();
  pid = stubborn.pid();
  CHECK_FALSE(stubborn.exit_description(0ms).has_value());
  stubborn.stop(20ms);
  CHECK(::kill(pid, 0) == -1);
  CHECK(::waitpid(pid, nullptr, WNOHANG) == -1);
}

TEST_CASE("last_printable_line", "[ssh][proxy]") {
  CHECK(last_printable_line("a\nb\n\n", 100) == "b");
  CHECK(last_printable_line("only", 100) == "only");
  CHECK(last_printable_line("x\x1b[31mred\t\n", 100) == "x?[31mred");
  CHECK(last_printable_line("\n \n", 100).empty());
  CHECK(last_printable_line("abcdef", 3) == "abc...");
}

TEST_CASE("IdentitiesOnly: agent keys only when they match a configured file", "[ssh][proxy]") {
  Fleet& fleet = Fleet::get();
  std::string socket = fleet.dir + "/agent-77.sock";
  std::string started = run_shell(fmt::format("ssh-agent -s -a '{}'", socket));
  auto at = started.find("SSH_AGENT_PID=");
  REQUIRE(at != std::string::npos);
  fleet.pids.push_back(std::stoi(started.substr(at + 14)));
  run_shell(fmt::format("SSH_AUTH_SOCK='{}' ssh-add -q '{}' 2>&1", socket, fleet.key_ed25519));
  KeyRingOptions options;
  options.agent_socket = socket;
  options.default_identity_files = false;
  KeyRing keys = KeyRing::load(options);
  keys.add_identity_file(fleet.key_unauthorized);
  keys.add_identity_file(fleet.key_ed25519);

  auto only_unauthorized = keys.identities_for({fleet.key_unauthorized}, true);
  REQUIRE(only_unauthorized.size() == 1);
  CHECK(only_unauthorized[0]->origin == fleet.key_unauthorized);
  auto with_agent = keys.identities_for({fleet.key_unauthorized}, false);
  REQUIRE(with_agent.size() == 2);
  CHECK(with_agent[0]->kind == Identity::Kind::agent);
  // The agent holds the configured file's key: it signs for it (ssh does the same).
  auto matching = keys.identities_for({fleet.key_ed25519}, true);
  REQUIRE(matching.size() == 1);
  CHECK(matching[0]->kind == Identity::Kind::agent);

  // End to end: the agent's key is authorized, the configured file's is not.
  auto store = empty_store();
  Target honoured = target_for(fleet.address["a"]);
  honoured.identity_files = {fleet.key_unauthorized};
  honoured.identities_only = true;
  Target agent_allowed = honoured;
  agent_allowed.identities_only = false;
  auto result = run({honoured, agent_allowed}, "echo in", options_for_proxy(), keys, store);
  REQUIRE(result.count == 2);
  INFO(result.outcomes[0].reason);
  CHECK(result.outcomes[0].status == Status::auth_failed);
  CHECK(result.outcomes[1].status == Status::ok);
}
