#include "digger/ssh/host_keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace digger::ssh {
namespace {

// What libssh2 1.10 can verify, in OpenSSH's order of preference.
constexpr const char* supported_hostkey_types[] = {
    "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"};

constexpr std::size_t max_known_hosts_bytes = 64u << 20;

bool read_file(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return text.size() <= max_known_hosts_bytes;
}

int severity(HostKeyVerdict verdict) {
  switch (verdict) {
  case HostKeyVerdict::revoked:
    return 5;
  case HostKeyVerdict::changed:
    return 4;
  case HostKeyVerdict::known_other_type:
    return 3;
  case HostKeyVerdict::known:
    return 2;
  case HostKeyVerdict::cert_authority_only:
    return 1;
  case HostKeyVerdict::unknown:
    break;
  }
  return 0;
}

std::string describe(const HostKey& key) {
  return fmt::format("{} {}", key.type, fingerprint_sha256(key));
}

} // namespace

std::string hostkey_method_preference(const std::vector<std::string>& known_types) {
  std::vector<std::string> order;
  for (const auto& type : known_types) {
    bool supported =
        std::any_of(std::begin(supported_hostkey_types), std::end(supported_hostkey_types),
                    [&](const char* candidate) { return type == candidate; });
    if (supported && std::find(order.begin(), order.end(), type) == order.end()) {
      order.push_back(type);
    }
  }
  if (order.empty()) {
    order.assign(std::begin(supported_hostkey_types), std::end(supported_hostkey_types));
  }
  std::string joined;
  for (const auto& type : order) {
    joined += joined.empty() ? type : "," + type;
  }
  return joined;
}

HostKeyStore::HostKeyStore(const HostKeyStoreOptions& options) : digger_file_(options.digger_file) {
  std::vector<std::string> user_files;
  if (options.user_files) {
    user_files = *options.user_files;
  } else {
    if (const char* home = std::getenv("HOME"); home != nullptr) {
      user_files.push_back(fmt::format("{}/.ssh/known_hosts", home));
    }
    user_files.push_back("/etc/ssh/ssh_known_hosts");
  }
  std::string text;
  for (const auto& path : user_files) {
    if (read_file(path, text)) {
      known_.add_text(text, path);
    }
  }
  for (const auto& path : options.extra_files) {
    if (read_file(path, text)) {
      known_.add_text(text, path);
    } else {
      warnings_.push_back(fmt::format("cannot read known hosts file {}", path));
    }
  }
  if (!digger_file_.empty() && read_file(digger_file_, text)) {
    known_.add_text(text, digger_file_);
  }
  for (const auto& warning : known_.warnings()) {
    warnings_.push_back(warning);
  }
}

std::vector<std::string> HostKeyStore::known_types(const std::vector<std::string>& names,
                                                   int port) const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> types;
  for (const auto& name : names) {
    for (auto& type : known_.key_types_for(name, port)) {
      if (std::find(types.begin(), types.end(), type) == types.end()) {
        types.push_back(std::move(type));
      }
    }
  }
  return types;
}

HostKeyCheck HostKeyStore::check_all(const std::vector<std::string>& names, int port,
                                     const HostKey& key) const {
  HostKeyCheck worst;
  for (const auto& name : names) {
    HostKeyCheck check = known_.check(name, port, key);
    if (severity(check.verdict) > severity(worst.verdict)) {
      worst = std::move(check);
    }
  }
  return worst;
}

std::string HostKeyStore::record(const std::string& name, int port, const HostKey& key) {
  std::string entry = KnownHosts::format_entry(name, port, key);
  known_.add_text(entry, digger_file_.empty() ? "(this run)" : digger_file_);
  if (digger_file_.empty()) {
    return {};
  }
  int fd =
      ::open(digger_file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return fmt::format(" (not recorded: {}: {})", digger_file_, std::strerror(errno));
  }
  ssize_t written = ::write(fd, entry.data(), entry.size());
  int error = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(entry.size())) {
    return fmt::format(" (not recorded: {}: {})", digger_file_, std::strerror(error));
  }
  return {};
}

namespace {

// A host whose keys are signed by a @cert-authority: libssh2 1.10 offers no host certificate
// in the key exchange, so the signature cannot be checked. Trusting the plain key on first
// sight would defeat the CA: refused with the way out, except with checking off.
HostKeyDecision certified_host(const HostKeyCheck& check, HostKeyMode mode) {
  HostKeyDecision decision;
  if (mode == HostKeyMode::off) {
    decision.kind = HostKeyDecision::Kind::accepted;
    return decision;
  }
  decision.kind = HostKeyDecision::Kind::rejected_unknown;
  decision.reason = fmt::format(
      "host certificate not verifiable: {}, and libssh2 1.10 cannot check host certificates; "
      "record the host's own key in a known_hosts file (ssh-keyscan) to scan it",
      check.detail);
  return decision;
}

} // namespace

HostKeyDecision HostKeyStore::decide(const std::vector<std::string>& names, int port,
                                     const HostKey& key, HostKeyMode mode) {
  // accept-new checks and records under one exclusive lock, so a host listed twice is
  // recorded once and the second sighting is verified against the first.
  std::unique_lock exclusive(mutex_, std::defer_lock);
  std::shared_lock shared(mutex_, std::defer_lock);
  if (mode == HostKeyMode::accept_new) {
    exclusive.lock();
  } else {
    shared.lock();
  }
  HostKeyCheck check = check_all(names, port, key);
  HostKeyDecision decision;
  switch (check.verdict) {
  case HostKeyVerdict::known:
    decision.kind = HostKeyDecision::Kind::accepted;
    return decision;
  case HostKeyVerdict::unknown:
    if (mode == HostKeyMode::strict) {
      decision.reason =
          fmt::format("host key not known (strict checking): server offers {}", describe(key));
      return decision;
    }
    decision.kind = HostKeyDecision::Kind::accepted;
    if (mode == HostKeyMode::accept_new && !names.empty()) {
      decision.newly_recorded = true;
      decision.reason = "new host key " + describe(key) + " accepted" + record(names[0], port, key);
    }
    return decision;
  case HostKeyVerdict::cert_authority_only:
    return certified_host(check, mode);
  case HostKeyVerdict::revoked:
    // OpenSSH refuses a revoked key whatever StrictHostKeyChecking says: so does Digger.
    decision.kind = HostKeyDecision::Kind::rejected_changed;
    decision.reason =
        fmt::format("HOST KEY REVOKED: server offers {}: {}{}", describe(key), check.detail,
                    mode == HostKeyMode::off ? " (refused even with checking off)" : "");
    return decision;
  case HostKeyVerdict::changed:
  case HostKeyVerdict::known_other_type:
    break;
  }
  const char* what =
      check.verdict == HostKeyVerdict::changed ? "HOST KEY CHANGED" : "HOST KEY TYPE CHANGED";
  decision.reason = fmt::format("{}: server offers {}, expected: {}", what, describe(key),
                                check.detail.empty() ? "another key" : check.detail);
  if (mode == HostKeyMode::off) {
    decision.kind = HostKeyDecision::Kind::accepted;
    decision.reason += " (ignored: host key checking is off)";
    return decision;
  }
  decision.kind = HostKeyDecision::Kind::rejected_changed;
  return decision;
}

} // namespace digger::ssh
