#include "digger/ssh/handles.hpp"

#include <libssh2.h>
#include <openssl/evp.h>

#include <mutex>

namespace digger::ssh {
namespace {

// Enough for a shut-down socket (every call then fails at once), small enough to never spin.
constexpr int free_attempts = 16;

struct Libssh2Global {
  Libssh2Global() { libssh2_init(0); }
  ~Libssh2Global() { libssh2_exit(); }
};

} // namespace

void ensure_libssh2_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { static Libssh2Global global; });
}

void SessionDeleter::operator()(LIBSSH2_SESSION* session) const noexcept {
  for (int i = 0; i < free_attempts; ++i) {
    if (libssh2_session_free(session) != LIBSSH2_ERROR_EAGAIN) {
      return;
    }
  }
}

void ChannelDeleter::operator()(LIBSSH2_CHANNEL* channel) const noexcept {
  for (int i = 0; i < free_attempts; ++i) {
    if (libssh2_channel_free(channel) != LIBSSH2_ERROR_EAGAIN) {
      return;
    }
  }
}

void AgentDeleter::operator()(LIBSSH2_AGENT* agent) const noexcept {
  libssh2_agent_disconnect(agent);
  libssh2_agent_free(agent);
}

void EvpPkeyDeleter::operator()(EVP_PKEY* key) const noexcept {
  EVP_PKEY_free(key);
}

EvpPkeyPtr adopt_evp_pkey(EVP_PKEY* key) {
  return EvpPkeyPtr(key, EvpPkeyDeleter{});
}

SessionPtr make_session() {
  ensure_libssh2_initialized();
  return SessionPtr(libssh2_session_init_ex(nullptr, nullptr, nullptr, nullptr));
}

} // namespace digger::ssh
