#pragma once

// RAII owners for the C handles of libssh2 and OpenSSL. The libssh2 types are only forward
// declared so that users of this header do not need libssh2's include path.

#include <memory>

struct _LIBSSH2_SESSION;
struct _LIBSSH2_CHANNEL;
struct _LIBSSH2_AGENT;
struct evp_pkey_st;

namespace digger::ssh {

// libssh2_init() is global and not thread safe: every entry point calls this first, from the
// thread that starts the scan, before any worker exists.
void ensure_libssh2_initialized();

// A session's free can return EAGAIN on a non-blocking socket; the deleter retries a bounded
// number of times and then gives up (a leak is better than a hang). Callers make it fail fast
// by shutting the socket down first when the peer is not cooperative.
struct SessionDeleter {
  void operator()(_LIBSSH2_SESSION* session) const noexcept;
};
struct ChannelDeleter {
  void operator()(_LIBSSH2_CHANNEL* channel) const noexcept;
};
struct AgentDeleter {
  void operator()(_LIBSSH2_AGENT* agent) const noexcept;
};
struct EvpPkeyDeleter {
  void operator()(evp_pkey_st* key) const noexcept;
};

using SessionPtr = std::unique_ptr<_LIBSSH2_SESSION, SessionDeleter>;
using ChannelPtr = std::unique_ptr<_LIBSSH2_CHANNEL, ChannelDeleter>;
using AgentPtr = std::unique_ptr<_LIBSSH2_AGENT, AgentDeleter>;
using EvpPkeyPtr = std::shared_ptr<evp_pkey_st>; // shared: one parsed key, signed from W threads

EvpPkeyPtr adopt_evp_pkey(evp_pkey_st* key);

// A session with libssh2's default allocators (the sign callback relies on malloc/free).
SessionPtr make_session();

} // namespace digger::ssh
