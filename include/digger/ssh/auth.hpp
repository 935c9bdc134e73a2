#pragma once

// The identities a scan authenticates with, loaded once in OpenSSH's order: ssh-agent first,
// then identity files (given by the caller, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa). Each
// private key is parsed once; sessions sign through a callback (no per-host key parsing).
//
// RSA keys: libssh2 1.10 offers them only as "ssh-rsa" (SHA-1 signatures), which OpenSSH < 8.8
// accepts and OpenSSH >= 8.8 refuses by default; they are tried after the other identities.
// Built against libssh2 >= 1.11 (DIGGER_LIBSSH2_SIGN_ALGO), sessions prefer rsa-sha2-512 and
// rsa-sha2-256. The sign callback reads the algorithm libssh2 chose from the signed request
// itself, so it always signs with the hash the server will check.

#include "digger/ssh/agent.hpp"
#include "digger/ssh/private_key.hpp"
#include "digger/ssh/secret.hpp"
#include "digger/util/result.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace digger::ssh {

// Returns the passphrase for `key_path`, or nothing to skip that key.
using PassphraseProvider = std::function<std::optional<SecretString>(const std::string&)>;

// DIGGER_KEY_PASSPHRASE if set, else a no-echo prompt on /dev/tty when there is one.
PassphraseProvider default_passphrase_provider();

struct KeyRingOptions {
  bool use_agent = true;
  std::optional<std::string> agent_socket; // unset: $SSH_AUTH_SOCK
  std::vector<std::string> identity_files; // -i or config, tried after the agent, in order
  bool default_identity_files = true;      // then ~/.ssh/id_ed25519, id_ecdsa, id_rsa
  std::optional<std::string> home;         // unset: $HOME
  PassphraseProvider passphrase = default_passphrase_provider();
};

struct Identity {
  enum class Kind {
    agent,        // signed by ssh-agent
    parsed_key,   // parsed once, signed with OpenSSL
    libssh2_file, // encrypted openssh-key-v1: libssh2 decrypts it at each use (CPU cost)
  };
  Kind kind = Kind::parsed_key;
  std::string origin; // "ssh-agent: comment" or the file path: for messages
  std::string type;   // "ssh-ed25519", ...
  std::string public_blob;
  std::shared_ptr<const PrivateKey> key;   // parsed_key
  std::shared_ptr<const SecretString> pem; // libssh2_file: the file text
  std::shared_ptr<const SecretString> passphrase;
};

class KeyRing {
public:
  // Never fails: unusable sources become warnings (one line each, no secrets).
  static KeyRing load(const KeyRingOptions& options);

  // Loads a file named by a target's IdentityFile, once. Call before the scan starts (it may
  // prompt for a passphrase); the scan itself never loads anything.
  void add_identity_file(const std::string& path);

  // Agent identities, then `files` (or every loaded file when empty), without duplicates.
  // `identities_only` (ssh_config IdentitiesOnly): an agent key is offered only when it is the
  // key of one of those files (ssh then signs with the agent, e.g. for an encrypted file).
  std::vector<const Identity*> identities_for(const std::vector<std::string>& files,
                                              bool identities_only = false) const;

  const std::vector<std::string>& warnings() const { return warnings_; }
  const std::string& agent_socket() const { return agent_socket_; }

private:
  struct FileEntry {
    std::string path;
    std::unique_ptr<Identity> identity; // null when the file was unusable
    bool for_every_target = false;      // from the options, not from one target's config
  };
  void add_file(const std::string& path, bool explicitly_given, bool for_every_target);
  std::unique_ptr<Identity> load_file(const std::string& path, bool explicitly_given);

  KeyRingOptions options_;
  std::string agent_socket_;
  std::vector<std::unique_ptr<Identity>> agent_identities_;
  std::vector<FileEntry> files_;
  std::vector<std::string> warnings_;
};

// Signs `data` with the identity: the blob returned to libssh2's sign callback.
util::Result<std::string> sign_with(const Identity& identity, std::string_view data,
                                    AgentConnection& agent);

// The signature algorithm named in the data libssh2 asks us to sign (the USERAUTH_REQUEST
// after the session id: RFC 4252 section 7), or "" when it does not parse.
std::string signature_algorithm(std::string_view signed_data);

// Why authentication failed once every identity was refused. When the last one tried was an
// RSA key offered as ssh-rsa and the server is OpenSSH >= 8.8, says that the server refuses
// SHA-1 signatures (the likely cause, though a key not in authorized_keys looks the same).
std::string refused_reason(const std::string& user, const std::vector<std::string>& tried,
                           const Identity* last_tried, std::string_view server_banner);

// (major, minor) from "SSH-2.0-OpenSSH_9.2p1 ...", nothing for other servers.
std::optional<std::pair<int, int>> openssh_version(std::string_view server_banner);

// Before authentication: with libssh2 >= 1.11, prefer rsa-sha2-512, rsa-sha2-256 over ssh-rsa.
// Nothing with 1.10 (it has no choice). `session` is a LIBSSH2_SESSION*.
void prefer_rsa_sha2(struct _LIBSSH2_SESSION* session);

} // namespace digger::ssh
