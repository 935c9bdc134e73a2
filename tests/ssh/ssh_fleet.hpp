#pragma once

// A small local fleet for the integration tests: sshd instances on 127.0.61.x, client keys
// and an authorized_keys file in a temporary directory. Started once, stopped at exit.

#include "digger/ssh/auth.hpp"
#include "digger/ssh/fanout.hpp"

#include <map>
#include <string>
#include <vector>

namespace digger::ssh::testing {

constexpr int fleet_port = 2201;

struct Fleet {
  std::string dir;
  std::string key_ed25519;      // authorized, unencrypted openssh-key-v1
  std::string key_ecdsa_pem;    // authorized, PEM (OpenSSL parses it)
  std::string key_ecdsa_enc;    // authorized, openssh-key-v1 encrypted with passphrase
  std::string key_rsa;          // authorized, RSA: offered as ssh-rsa, which OpenSSH 9.2 refuses
  std::string key_unauthorized; // valid Ed25519 key that no server accepts
  std::string passphrase = "correct horse";
  std::map<std::string, std::string> address; // server name -> address ("a" -> 127.0.61.1)
  std::vector<int> pids;

  static Fleet& get();
  ~Fleet();

  std::string log_of(const std::string& server) const;                            // sshd's log text
  std::string host_pub(const std::string& server, const std::string& type) const; // .pub line
  std::string write_file(const std::string& name, const std::string& text) const;
};

std::string run_shell(const std::string& command); // stdout; throws on failure

Target target_for(const std::string& address, int port = fleet_port,
                  const std::string& user = "root");

KeyRing key_ring_with(const std::vector<std::string>& files);

struct Run {
  std::vector<Outcome> outcomes;
  std::vector<bool> reported;
  std::size_t count = 0;
  std::size_t duplicates = 0;
};

Run run(const std::vector<Target>& targets, const std::string& command, const Options& options,
        KeyRing& keys, HostKeyStore& store, const std::atomic<bool>* stop = nullptr,
        std::size_t stop_after = 0);

} // namespace digger::ssh::testing
