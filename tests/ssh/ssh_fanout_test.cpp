// Integration tests of the SSH engine against real sshd processes (see ssh_fleet.hpp).
#include "digger/ssh/host_keys.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "ssh_fleet.hpp"

using namespace digger::ssh;
using namespace digger::ssh::testing;
using namespace std::chrono_literals;

namespace {

HostKeyStore store_with(std::vector<std::string> user_files, std::string digger_file = "") {
  HostKeyStoreOptions options;
  options.user_files = std::move(user_files);
  options.digger_file = std::move(digger_file);
  return HostKeyStore(options);
}

Options options_with(HostKeyMode mode) {
  Options options;
  options.concurrency = 16;
  options.workers = 2;
  options.host_deadline = 10s;
  options.host_key_mode = mode;
  return options;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

} // namespace

TEST_CASE("exact binary stdout, stderr and exit status", "[ssh]") {
  Fleet& fleet = Fleet::get();
  std::string payload;
  for (int round = 0; round < 1200; ++round) {
    for (int byte = 0; byte < 256; ++byte) {
      payload.push_back(static_cast<char>((byte * 7 + round) & 0xff));
    }
  }
  std::string payload_path = fleet.write_file("payload.bin", payload);
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = store_with({});
  auto result = run({target_for(fleet.address["a"])},
                    fmt::format("cat '{}'; printf 'warn\\0ing' >&2; exit 3", payload_path),
                    options_with(HostKeyMode::off), keys, store);
  REQUIRE(result.count == 1);
  const Outcome& outcome = result.outcomes[0];
  INFO(outcome.reason);
  REQUIRE(outcome.status == Status::ok);
  CHECK(outcome.stdout_data.size() == payload.size());
  CHECK(outcome.stdout_data == payload);
  CHECK(outcome.stderr_data == std::string("warn\0ing", 8));
  CHECK(outcome.exit_status == 3);
  CHECK_FALSE(outcome.stdout_truncated);
  CHECK(outcome.host_key.type == "ssh-ed25519"); // asked for first, like OpenSSH
  CHECK(outcome.host_key_fingerprint.rfind("SHA256:", 0) == 0);
  CHECK(outcome.attempts == 1);
}

TEST_CASE("fingerprint matches ssh-keygen", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = store_with({});
  auto result =
      run({target_for(fleet.address["b"])}, "true", options_with(HostKeyMode::off), keys, store);
  REQUIRE(result.outcomes[0].status == Status::ok);
  std::string keygen = run_shell(
      fmt::format("ssh-keygen -l -E sha256 -f '{}/b/ssh_host_ed25519_key.pub'", fleet.dir));
  CHECK(keygen.find(result.outcomes[0].host_key_fingerprint + " ") != std::string::npos);
}

TEST_CASE("accept-new records the key in Digger's file and verifies it next time", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  std::string user_file = fleet.write_file("user_known_hosts_empty", "");
  std::string digger_file = fleet.dir + "/digger_known_hosts_accept";
  Target target = target_for(fleet.address["b"]);
  {
    auto store = store_with({user_file}, digger_file);
    auto result = run({target}, "echo first", options_with(HostKeyMode::accept_new), keys, store);
    REQUIRE(result.outcomes[0].status == Status::ok);
    CHECK(result.outcomes[0].host_key_newly_accepted);
  }
  std::string recorded = read_text(digger_file);
  CHECK(recorded.rfind("[127.0.61.2]:2201 ssh-ed25519 ", 0) == 0);
  CHECK(count_lines(recorded) == 1);
  CHECK(read_text(user_file).empty()); // the user's file is never written
  auto store = store_with({user_file}, digger_file);
  auto result = run({target}, "echo second", options_with(HostKeyMode::strict), keys, store);
  REQUIRE(result.outcomes[0].status == Status::ok);
  CHECK_FALSE(result.outcomes[0].host_key_newly_accepted);
  CHECK(result.outcomes[0].stdout_data == "second\n");
  CHECK(count_lines(read_text(digger_file)) == 1);
}

TEST_CASE("the inventory's known_hosts key (HostKeyAlias) is used as given", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  Target target = target_for(fleet.address["c"]);
  target.known_hosts_host = "alias-of-c";
  target.known_hosts_port = 22;
  std::string known =
      fleet.write_file("known_alias", "alias-of-c " + fleet.host_pub("c", "ed25519"));
  auto store = store_with({known});
  auto result = run({target}, "true", options_with(HostKeyMode::strict), keys, store);
  INFO(result.outcomes[0].reason);
  CHECK(result.outcomes[0].status == Status::ok);
  // Filed under the alias only: the same key under the address alone is not enough.
  std::string by_address =
      fleet.write_file("known_address", fmt::format("[{}]:{} {}", fleet.address["c"], fleet_port,
                                                    fleet.host_pub("c", "ed25519")));
  auto other_store = store_with({by_address});
  auto refused = run({target}, "true", options_with(HostKeyMode::strict), keys, other_store);
  CHECK(refused.outcomes[0].status == Status::hostkey_unknown);
  // accept-new records the alias.
  std::string digger_file = fleet.dir + "/digger_known_hosts_alias";
  auto recording = store_with({}, digger_file);
  auto recorded = run({target}, "true", options_with(HostKeyMode::accept_new), keys, recording);
  CHECK(recorded.outcomes[0].status == Status::ok);
  CHECK(read_text(digger_file).rfind("alias-of-c ssh-ed25519 ", 0) == 0);
}

TEST_CASE("a host known only by its ECDSA key is verified with ECDSA", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  std::string pub = fleet.host_pub("c", "ecdsa");
  std::string known =
      fleet.write_file("known_ecdsa_only", fmt::format("[127.0.61.3]:{} {}", fleet_port, pub));
  auto store = store_with({known});
  auto result =
      run({target_for(fleet.address["c"])}, "true", options_with(HostKeyMode::strict), keys, store);
  INFO(result.outcomes[0].reason);
  REQUIRE(result.outcomes[0].status == Status::ok);
  CHECK(result.outcomes[0].host_key.type.rfind("ecdsa-sha2-", 0) == 0);
}

TEST_CASE("a changed host key is refused before any credential is sent", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  // Server d is recorded with server b's key: d's real key looks like an impostor.
  std::string known =
      fleet.write_file("known_changed", fmt::format("[127.0.61.4]:{} {}", fleet_port,
                                                    fleet.host_pub("b", "ed25519")));
  auto store = store_with({known}, fleet.dir + "/digger_known_hosts_changed");
  auto result = run({target_for(fleet.address["d"])}, "echo must-not-run",
                    options_with(HostKeyMode::accept_new), keys, store);
  const Outcome& outcome = result.outcomes[0];
  CHECK(outcome.status == Status::hostkey_mismatch);
  CHECK(outcome.reason.find("HOST KEY CHANGED") != std::string::npos);
  CHECK(outcome.reason.find(outcome.host_key_fingerprint) != std::string::npos);
  std::string old_fingerprint = fingerprint_sha256(
      {"ssh-ed25519", base64_decode(fleet.host_pub("b", "ed25519").substr(12, 68))});
  CHECK(outcome.reason.find(old_fingerprint) != std::string::npos);
  CHECK(outcome.stdout_data.empty());
  std::string log = fleet.log_of("d");
  CHECK(log.find("userauth-request") == std::string::npos);
  CHECK(log.find("publickey") == std::string::npos);
  CHECK(read_text(fleet.dir + "/digger_known_hosts_changed").empty());
}

TEST_CASE("strict mode refuses an unknown host", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = store_with({fleet.write_file("known_empty", "")});
  auto result =
      run({target_for(fleet.address["a"])}, "true", options_with(HostKeyMode::strict), keys, store);
  CHECK(result.outcomes[0].status == Status::hostkey_unknown);
  CHECK(result.outcomes[0].reason.find("not known") != std::string::npos);
}

TEST_CASE("unknown user and unauthorized key fail authentication", "[ssh]") {
  Fleet& fleet = Fleet::get();
  auto store = store_with({});
  KeyRing good = key_ring_with({fleet.key_ed25519});
  auto unknown_user = run({target_for(fleet.address["a"], fleet_port, "nosuchuser")}, "true",
                          options_with(HostKeyMode::off), good, store);
  CHECK(unknown_user.outcomes[0].status == Status::auth_failed);
  KeyRing wrong = key_ring_with({fleet.key_unauthorized});
  auto wrong_key =
      run({target_for(fleet.address["a"])}, "true", options_with(HostKeyMode::off), wrong, store);
  CHECK(wrong_key.outcomes[0].status == Status::auth_failed);
  CHECK(wrong_key.outcomes[0].reason.find(fleet.key_unauthorized) != std::string::npos);
}

TEST_CASE("PEM and encrypted openssh keys authenticate; RSA keys are refused as ssh-rsa", "[ssh]") {
  Fleet& fleet = Fleet::get();
  auto store = store_with({});
  for (const auto& path : {fleet.key_ecdsa_pem, fleet.key_ecdsa_enc}) {
    KeyRing keys = key_ring_with({path});
    CHECK(keys.warnings().empty());
    auto identities = keys.identities_for({});
    REQUIRE(identities.size() == 1);
    CHECK(identities[0]->kind == Identity::Kind::parsed_key); // parsed once, not per host
    auto result = run({target_for(fleet.address["a"])}, "echo ok", options_with(HostKeyMode::off),
                      keys, store);
    INFO(path << ": " << result.outcomes[0].reason);
    CHECK(result.outcomes[0].status == Status::ok);
    CHECK(result.outcomes[0].stdout_data == "ok\n");
  }
  KeyRingOptions wrong_passphrase;
  wrong_passphrase.use_agent = false;
  wrong_passphrase.default_identity_files = false;
  wrong_passphrase.identity_files = {fleet.key_ecdsa_enc};
  wrong_passphrase.passphrase = [](const std::string&) -> std::optional<SecretString> {
    return SecretString("not the passphrase");
  };
  KeyRing wrong = KeyRing::load(wrong_passphrase);
  REQUIRE(wrong.warnings().size() == 1);
  CHECK(wrong.warnings()[0].find("wrong passphrase") != std::string::npos);
  CHECK(wrong.warnings()[0].find("not the passphrase") == std::string::npos);
  CHECK(wrong.identities_for({}).empty());
  // RSA keys load and are tried (after the others): libssh2 1.10 signs ssh-rsa (SHA-1), which
  // OpenSSH 9.2 refuses by default, and the reason says so.
  KeyRing rsa = key_ring_with({fleet.key_rsa});
  CHECK(rsa.warnings().empty());
  auto tried =
      run({target_for(fleet.address["a"])}, "true", options_with(HostKeyMode::off), rsa, store);
  CHECK(tried.outcomes[0].status == Status::auth_failed);
  CHECK(tried.outcomes[0].reason.find("ssh-rsa " + fleet.key_rsa) != std::string::npos);
  CHECK(tried.outcomes[0].reason.find("server refuses ssh-rsa (SHA-1) signatures") !=
        std::string::npos);
}

TEST_CASE("refused port and unresolvable-to-listener names are unreachable", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = store_with({});
  Target by_name = target_for("localhost", 2299); // goes through the resolver threads
  auto result = run({target_for(fleet.address["a"], 2299), by_name}, "true",
                    options_with(HostKeyMode::off), keys, store);
  for (const auto& outcome : result.outcomes) {
    CHECK(outcome.status == Status::unreachable);
    CHECK(outcome.reason.find("refused") != std::string::npos);
  }
}

TEST_CASE("a tarpit costs its deadline and nothing more", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = store_with({});
  Options options = options_with(HostKeyMode::off);
  options.host_deadline = 2s;
  auto started = std::chrono::steady_clock::now();
  auto result = run({target_for("127.0.61.9"), target_for(fleet.address["a"])}, "echo alive",
                    options, keys, store);
  auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(result.outcomes[0].status == Status::timeout);
  CHECK(result.outcomes[0].reason.find("handshake") != std::string::npos);
  CHECK(result.outcomes[1].status == Status::ok);
  CHECK(elapsed < options.host_deadline + 3s); // correctness: the deadline is enforced
}

TEST_CASE("a command that outlives the deadline is a timeout with its output so far", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = store_with({});
  Options options = options_with(HostKeyMode::off);
  options.host_deadline = 2s;
  auto started = std::chrono::steady_clock::now();
  auto result =
      run({target_for(fleet.address["b"])}, "echo partial; exec sleep 30", options, keys, store);
  auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(result.outcomes[0].status == Status::timeout);
  CHECK(result.outcomes[0].reason.find("command output") != std::string::npos);
  CHECK(result.outcomes[0].stdout_data == "partial\n");
  CHECK(elapsed < options.host_deadline + 3s);
}

TEST_CASE("connections dropped before the banner are retried, then reported", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = store_with({});
  Options options = options_with(HostKeyMode::off);
  options.retries = 2;
  options.retry_backoff = 20ms;
  auto result = run({target_for("127.0.61.10")}, "true", options, keys, store);
  CHECK(result.outcomes[0].status == Status::protocol_error);
  CHECK(result.outcomes[0].attempts == 3);
  CHECK(result.outcomes[0].reason.find("before the SSH banner") != std::string::npos);
}

TEST_CASE("output bounds truncate and stop reading", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = store_with({});
  Options options = options_with(HostKeyMode::off);
  options.max_output_bytes = 1000;
  auto result =
      run({target_for(fleet.address["a"])}, "head -c 5000000 /dev/zero", options, keys, store);
  const Outcome& outcome = result.outcomes[0];
  CHECK(outcome.status == Status::ok);
  CHECK(outcome.stdout_truncated);
  CHECK(outcome.stdout_data == std::string(1000, '\0'));
  options.max_output_bytes = 1u << 20;
  options.max_stderr_bytes = 100;
  auto noisy = run({target_for(fleet.address["a"])}, "head -c 3000 /dev/zero >&2; echo out",
                   options, keys, store);
  CHECK(noisy.outcomes[0].status == Status::ok);
  CHECK(noisy.outcomes[0].stderr_truncated);
  CHECK(noisy.outcomes[0].stderr_data.size() == 100);
  CHECK(noisy.outcomes[0].stdout_data == "out\n");
}

TEST_CASE("300 aliases of three servers, 64 in flight, all ok", "[ssh][scale]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  std::string digger_file = fleet.dir + "/digger_known_hosts_scale";
  auto store = store_with({}, digger_file);
  std::vector<Target> targets;
  for (int i = 0; i < 300; ++i) {
    Target target = target_for(fleet.address[std::string(1, static_cast<char>('a' + i % 3))]);
    target.name = fmt::format("host{:03}", i);
    targets.push_back(target);
  }
  Options options = options_with(HostKeyMode::accept_new);
  options.concurrency = 64;
  options.host_deadline = 60s;
  auto result = run(targets, "echo hello", options, keys, store);
  CHECK(result.count == 300);
  CHECK(result.duplicates == 0);
  std::size_t ok = 0;
  for (const auto& outcome : result.outcomes) {
    if (outcome.status == Status::ok && outcome.stdout_data == "hello\n") {
      ++ok;
    } else {
      UNSCOPED_INFO(status_name(outcome.status) << ": " << outcome.reason);
    }
  }
  CHECK(ok == 300);
  CHECK(count_lines(read_text(digger_file)) == 300); // one record per name, none twice
}

TEST_CASE("the stop flag starts no new host", "[ssh]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = store_with({});
  std::vector<Target> targets(100, target_for(fleet.address["a"]));
  Options options = options_with(HostKeyMode::off);
  options.concurrency = 4;
  std::atomic<bool> stop{false};
  auto result = run(targets, "true", options, keys, store, &stop, 5);
  CHECK(result.count >= 5);
  CHECK(result.count <= 5 + options.concurrency);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (result.reported[i]) {
      CHECK(result.outcomes[i].status == Status::ok);
    }
  }
}

TEST_CASE("ssh-agent identities come first and sign through the agent", "[ssh]") {
  Fleet& fleet = Fleet::get();
  std::string socket = fleet.dir + "/agent.sock";
  std::string started = run_shell(fmt::format("ssh-agent -s -a '{}'", socket));
  auto at = started.find("SSH_AGENT_PID=");
  REQUIRE(at != std::string::npos);
  fleet.pids.push_back(std::stoi(started.substr(at + 14)));
  run_shell(fmt::format("SSH_AUTH_SOCK='{}' ssh-add -q '{}' 2>&1", socket, fleet.key_ed25519));
  KeyRingOptions options;
  options.agent_socket = socket;
  options.default_identity_files = false;
  options.identity_files = {fleet.key_unauthorized};
  KeyRing keys = KeyRing::load(options);
  CHECK(keys.warnings().empty());
  auto identities = keys.identities_for({});
  REQUIRE(identities.size() == 2);
  CHECK(identities[0]->kind == Identity::Kind::agent);
  CHECK(identities[1]->origin == fleet.key_unauthorized);
  auto store = store_with({});
  std::vector<Target> targets(6, target_for(fleet.address["a"]));
  auto result = run(targets, "echo via-agent", options_with(HostKeyMode::off), keys, store);
  for (const auto& outcome : result.outcomes) {
    INFO(outcome.reason);
    CHECK(outcome.status == Status::ok);
    CHECK(outcome.stdout_data == "via-agent\n");
  }
}
