#pragma once

// Host key policy for a scan: the user's known_hosts files are read-only; keys accepted on
// first contact (accept-new) go to Digger's own file, never to the user's.

#include "digger/ssh/known_hosts.hpp"

#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

namespace digger::ssh {

enum class HostKeyMode {
  strict,     // unknown host: refused
  accept_new, // unknown host: accepted and recorded; changed, other type or revoked: refused
  off,        // everything accepted (the fingerprint is still reported)
};

struct HostKeyStoreOptions {
  // Unset: ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts (missing files are fine).
  std::optional<std::vector<std::string>> user_files;
  std::vector<std::string> extra_files; // --known-hosts FILE (must exist)
  std::string digger_file; // where accept-new records keys ("" = remember for this run only)
};

struct HostKeyDecision {
  enum class Kind { accepted, rejected_unknown, rejected_changed };
  Kind kind = Kind::rejected_unknown;
  bool newly_recorded = false;
  std::string reason; // one line naming the fingerprints involved
};

class HostKeyStore {
public:
  explicit HostKeyStore(const HostKeyStoreOptions& options);
  HostKeyStore(const HostKeyStore&) = delete;
  HostKeyStore& operator=(const HostKeyStore&) = delete;

  // Key types known for any of `names`, to ask the server for those first: libssh2 1.10
  // prefers ECDSA while OpenSSH usually recorded Ed25519.
  std::vector<std::string> known_types(const std::vector<std::string>& names, int port) const;

  // `names` are the host's names as the user wrote them and as connected to; the first one is
  // recorded on accept-new. Thread safe.
  HostKeyDecision decide(const std::vector<std::string>& names, int port, const HostKey& key,
                         HostKeyMode mode);

  const std::vector<std::string>& warnings() const { return warnings_; }

private:
  HostKeyCheck check_all(const std::vector<std::string>& names, int port, const HostKey& key) const;
  std::string record(const std::string& name, int port, const HostKey& key);

  mutable std::shared_mutex mutex_;
  KnownHosts known_;
  std::string digger_file_;
  std::vector<std::string> warnings_;
};

// The host-key method preference for libssh2: known types first (those libssh2 can verify),
// then the rest in OpenSSH's order. Pure; exposed for tests.
std::string hostkey_method_preference(const std::vector<std::string>& known_types);

} // namespace digger::ssh
