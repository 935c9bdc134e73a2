#pragma once

#include "digger/util/result.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace digger::ssh {

// A server host key as it travels on the wire: its algorithm name ("ssh-ed25519",
// "ecdsa-sha2-nistp256", "ssh-rsa", ...) and the raw key blob.
struct HostKey {
  std::string type;
  std::string blob;
};

// "SHA256:<base64 without padding>", as `ssh-keygen -l` prints it.
std::string fingerprint_sha256(const HostKey& key);

enum class HostKeyVerdict {
  known,            // a matching entry holds this very key
  unknown,          // no entry names this host: first contact
  changed,          // the host is known with another key of the same type: ALARM
  known_other_type, // the host is known only under other key types: ALARM (OpenSSH refuses too)
  revoked,          // the key is marked @revoked: ALARM, refused in every mode
  // No plain key for the host, but a @cert-authority line names it: its host keys are signed
  // by a CA, which libssh2 1.10 cannot verify (no host certificates in the key exchange).
  cert_authority_only,
};

struct HostKeyCheck {
  HostKeyVerdict verdict = HostKeyVerdict::unknown;
  std::string detail; // e.g. "known_hosts:12 has ssh-ed25519 SHA256:..." for the report
};

// OpenSSH known_hosts files, parsed by us because libssh2 1.10's parser ignores markers,
// wildcards and other key types. Pure logic: the caller reads and writes the files.
class KnownHosts {
public:
  // `origin` names the file in messages ("~/.ssh/known_hosts"). Lines that cannot be parsed
  // are skipped and listed in warnings(), as OpenSSH does.
  void add_text(std::string_view text, std::string_view origin);

  // Key types recorded for the host, to ask the server for one of those first.
  std::vector<std::string> key_types_for(std::string_view host, int port) const;

  // `host` is the name the user gave (or HostKeyAlias); port 22 uses the bare-name form,
  // any other port the "[host]:port" form, exactly like OpenSSH.
  HostKeyCheck check(std::string_view host, int port, const HostKey& key) const;

  const std::vector<std::string>& warnings() const { return warnings_; }

  // One line to append for a newly accepted key (plain, not hashed), with '\n'.
  static std::string format_entry(std::string_view host, int port, const HostKey& key);

private:
  struct Entry; // defined in the .cpp
  std::vector<std::shared_ptr<const Entry>> entries_;
  std::vector<std::string> warnings_;
  bool cert_authority_warned_ = false;
};

} // namespace digger::ssh
