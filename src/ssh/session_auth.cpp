// Public-key authentication shared by target and bastion sessions, and the known_hosts lookup
// key of a host.
#include "digger/ssh/session.hpp"

#include "digger/ssh/auth.hpp"

#include <fmt/format.h>
#include <libssh2.h>

#include <cstdlib>
#include <cstring>
#include <pwd.h>
#include <unistd.h>

namespace digger::ssh {
namespace {

// sshd disconnects after MaxAuthTries (6) failures; stop before to keep a clean reason.
constexpr std::size_t max_identities_per_host = 5;

struct SignRequestView {
  const Identity* identity;
  AgentConnection* agent;
  std::string* error;
};

// libssh2 frees the signature with its allocator: the session uses the default (free()).
int sign_callback(LIBSSH2_SESSION*, unsigned char** signature, size_t* length,
                  const unsigned char* data, size_t data_length, void** abstract) {
  auto* request = static_cast<SignRequestView*>(*abstract);
  auto signed_data = sign_with(*request->identity,
                               std::string_view(reinterpret_cast<const char*>(data), data_length),
                               *request->agent);
  if (!signed_data) {
    *request->error = signed_data.error();
    return -1;
  }
  *signature = static_cast<unsigned char*>(std::malloc(signed_data->size()));
  if (*signature == nullptr) {
    return -1;
  }
  std::memcpy(*signature, signed_data->data(), signed_data->size());
  *length = signed_data->size();
  return 0;
}

bool is_refusal(int rc) {
  return rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED || rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED ||
         rc == LIBSSH2_ERROR_FILE; // libssh2 could not decrypt an encrypted key file
}

std::string local_user_name() {
  if (const passwd* entry = getpwuid(geteuid()); entry != nullptr && entry->pw_name != nullptr) {
    return entry->pw_name;
  }
  const char* user = std::getenv("USER");
  return user != nullptr ? user : "root";
}

std::string session_error(LIBSSH2_SESSION* session) {
  char* message = nullptr;
  int length = 0;
  int code = libssh2_session_last_error(session, &message, &length, 0);
  return fmt::format("{} ({})", message != nullptr ? std::string(message, length) : "", code);
}

} // namespace

const std::string& default_user(const std::string& user) {
  static const std::string local_user = local_user_name();
  return user.empty() ? local_user : user;
}

std::pair<std::vector<std::string>, int> known_hosts_keys(const std::string& name,
                                                          const std::string& address, int port,
                                                          const std::string& known_hosts_host,
                                                          int known_hosts_port) {
  if (!known_hosts_host.empty()) {
    return {{known_hosts_host}, known_hosts_port};
  }
  std::vector<std::string> names{name};
  if (address != name) {
    names.push_back(address);
  }
  return {names, port};
}

void KeyAuth::reset(std::vector<const Identity*> identities, AgentConnection* agent) {
  identities_ = std::move(identities);
  next_ = 0;
  refused_.clear();
  agent_ = agent;
  reason_.clear();
}

KeyAuth::Result KeyAuth::step(LIBSSH2_SESSION* session, const std::string& user) {
  while (next_ < identities_.size() && next_ < max_identities_per_host) {
    const Identity& identity = *identities_[next_];
    int rc = 0;
    sign_error_.clear();
    if (identity.kind == Identity::Kind::libssh2_file) {
      rc = libssh2_userauth_publickey_frommemory(
          session, user.data(), user.size(), nullptr, 0, identity.pem->get().data(),
          identity.pem->get().size(), identity.passphrase->get().c_str());
    } else {
      SignRequestView view{&identity, agent_, &sign_error_};
      void* abstract = &view;
      rc = libssh2_userauth_publickey(
          session, user.c_str(),
          reinterpret_cast<const unsigned char*>(identity.public_blob.data()),
          identity.public_blob.size(), sign_callback, &abstract);
    }
    if (rc == LIBSSH2_ERROR_EAGAIN) {
      return Result::again;
    }
    if (rc == 0) {
      return Result::done;
    }
    if (!is_refusal(rc)) {
      reason_ = fmt::format("authentication as {} failed: {}", user, session_error(session));
      return Result::failed;
    }
    refused_.push_back(sign_error_.empty() ? fmt::format("{} {}", identity.type, identity.origin)
                                           : fmt::format("{} {} ({})", identity.type,
                                                         identity.origin, sign_error_));
    ++next_;
  }
  if (refused_.empty()) {
    reason_ = "no usable identity: no agent key and no key file";
    return Result::refused;
  }
  const char* banner = libssh2_session_banner_get(session);
  reason_ = refused_reason(user, refused_, identities_[next_ - 1], banner != nullptr ? banner : "");
  return Result::refused;
}

} // namespace digger::ssh
