#include "digger/ssh/base64.hpp"
#include "digger/ssh/host_keys.hpp"
#include "digger/ssh/wire.hpp"
#include "digger/util/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace digger::ssh;

namespace {

HostKey make_key(const std::string& type, char fill) {
  HostKey key{type, {}};
  wire::put_string(key.blob, type);
  wire::put_string(key.blob, std::string(32, fill));
  return key;
}

std::string line_for(const std::string& host, const HostKey& key, const std::string& marker = "") {
  return (marker.empty() ? "" : marker + " ") + host + " " + key.type + " " +
         base64_encode(key.blob, true) + "\n";
}

// The known_hosts files of one test, in a directory removed afterwards.
struct TempDir {
  digger::util::TempDir dir{"digger-hostkeys"};
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir.file(name)) << text;
    return dir.file(name);
  }
  std::string read(const std::string& name) const {
    std::ifstream in(dir.file(name));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

} // namespace

TEST_CASE("host key decisions per mode", "[ssh][hostkeys]") {
  TempDir dir;
  HostKey known = make_key("ssh-ed25519", 'a');
  HostKey impostor = make_key("ssh-ed25519", 'b');
  HostKey other_type = make_key("ecdsa-sha2-nistp256", 'c');
  std::string user =
      dir.write("known_hosts", line_for("web1", known) + line_for("[web2]:2222", known) +
                                   line_for("*", impostor, "@revoked"));
  HostKeyStoreOptions options;
  options.user_files = std::vector<std::string>{user};
  options.digger_file = dir.dir.file("digger_known_hosts");
  HostKeyStore store(options);

  using Kind = HostKeyDecision::Kind;
  for (auto mode : {HostKeyMode::strict, HostKeyMode::accept_new, HostKeyMode::off}) {
    CHECK(store.decide({"web1"}, 22, known, mode).kind == Kind::accepted);
    CHECK(store.decide({"web2"}, 2222, known, mode).kind == Kind::accepted);
  }
  CHECK(store.known_types({"web1", "10.0.0.1"}, 22) == std::vector<std::string>{"ssh-ed25519"});

  auto changed = store.decide({"web1"}, 22, other_type, HostKeyMode::accept_new);
  CHECK(changed.kind == Kind::rejected_changed);
  CHECK(changed.reason.find(fingerprint_sha256(other_type)) != std::string::npos);
  CHECK(changed.reason.find(fingerprint_sha256(known)) != std::string::npos);
  CHECK(store.decide({"web1"}, 22, other_type, HostKeyMode::off).kind == Kind::accepted);
  auto revoked = store.decide({"web9"}, 22, impostor, HostKeyMode::accept_new);
  CHECK(revoked.kind == Kind::rejected_changed);
  CHECK(revoked.reason.find("REVOKED") != std::string::npos);

  // The name is fine but the address is known with another key: still an alarm.
  CHECK(store.decide({"fresh-name", "web1"}, 22, other_type, HostKeyMode::accept_new).kind ==
        Kind::rejected_changed);

  auto unknown = store.decide({"web3"}, 22, other_type, HostKeyMode::strict);
  CHECK(unknown.kind == Kind::rejected_unknown);
  CHECK(dir.read("digger_known_hosts").empty());

  auto accepted = store.decide({"web3", "10.0.0.3"}, 22, other_type, HostKeyMode::accept_new);
  CHECK(accepted.kind == Kind::accepted);
  CHECK(accepted.newly_recorded);
  CHECK(dir.read("digger_known_hosts") == KnownHosts::format_entry("web3", 22, other_type));
  auto again = store.decide({"web3"}, 22, other_type, HostKeyMode::strict);
  CHECK(again.kind == Kind::accepted);
  CHECK_FALSE(again.newly_recorded);
  CHECK(dir.read("known_hosts").find("web3") == std::string::npos); // user file untouched

  HostKeyStore reloaded(options); // the record survives the run
  CHECK(reloaded.decide({"web3"}, 22, other_type, HostKeyMode::strict).kind == Kind::accepted);
}

TEST_CASE("a revoked key is refused in every mode, --host-key-check off included",
          "[ssh][hostkeys]") {
  TempDir dir;
  HostKey good = make_key("ssh-ed25519", 'a');
  HostKey revoked = make_key("ssh-ed25519", 'r');
  // The revoked key is even listed as the host's key: @revoked wins, as in OpenSSH.
  std::string user = dir.write("known_hosts", line_for("web1", revoked) + line_for("web2", good) +
                                                  line_for("*", revoked, "@revoked"));
  HostKeyStoreOptions options;
  options.user_files = std::vector<std::string>{user};
  options.digger_file = dir.dir.file("digger_known_hosts");
  HostKeyStore store(options);
  using Kind = HostKeyDecision::Kind;
  for (auto mode : {HostKeyMode::strict, HostKeyMode::accept_new, HostKeyMode::off}) {
    for (const char* host : {"web1", "web2", "never-seen"}) {
      INFO(host << " mode " << static_cast<int>(mode));
      auto decision = store.decide({host}, 22, revoked, mode);
      CHECK(decision.kind == Kind::rejected_changed);
      CHECK(decision.reason.find("HOST KEY REVOKED") != std::string::npos);
      CHECK(decision.reason.find(fingerprint_sha256(revoked)) != std::string::npos);
    }
  }
  CHECK(store.decide({"web2"}, 22, good, HostKeyMode::off).kind == Kind::accepted);
  CHECK(dir.read("digger_known_hosts").empty()); // a revoked key is never recorded
}

TEST_CASE("hosts known only through @cert-authority are refused with a reason, except off",
          "[ssh][hostkeys]") {
  TempDir dir;
  HostKey ca = make_key("ssh-ed25519", 'c');
  HostKey host_key = make_key("ssh-ed25519", 'h');
  std::string user = dir.write("known_hosts", line_for("*.corp.example", ca, "@cert-authority"));
  HostKeyStoreOptions options;
  options.user_files = std::vector<std::string>{user};
  options.digger_file = dir.dir.file("digger_known_hosts");
  HostKeyStore store(options);
  using Kind = HostKeyDecision::Kind;
  for (auto mode : {HostKeyMode::strict, HostKeyMode::accept_new}) {
    auto decision = store.decide({"db1.corp.example"}, 22, host_key, mode);
    CHECK(decision.kind == Kind::rejected_unknown);
    CHECK(decision.reason.find("host certificate not verifiable") != std::string::npos);
    CHECK(decision.reason.find("@cert-authority") != std::string::npos);
    CHECK(decision.reason.find("libssh2 1.10 cannot check host certificates") != std::string::npos);
  }
  CHECK(dir.read("digger_known_hosts").empty()); // accept-new did not trust it on first sight
  CHECK(store.decide({"db1.corp.example"}, 22, host_key, HostKeyMode::off).kind == Kind::accepted);
  // Outside the CA's pattern: an ordinary first contact.
  CHECK(store.decide({"other.example"}, 22, host_key, HostKeyMode::accept_new).kind ==
        Kind::accepted);
}

TEST_CASE("missing extra known_hosts files are reported", "[ssh][hostkeys]") {
  HostKeyStoreOptions options;
  options.user_files = std::vector<std::string>{"/nonexistent/known_hosts"};
  options.extra_files = {"/nonexistent/extra_known_hosts"};
  HostKeyStore store(options);
  REQUIRE(store.warnings().size() == 1);
  CHECK(store.warnings()[0].find("/nonexistent/extra_known_hosts") != std::string::npos);
}
