// The byte pump between a jump session's direct-tcpip channels and the socketpair ends the
// target sessions use, driven by the worker's event loop (no thread per hop).
#include <fmt/format.h>
#include <libssh2.h>

#include <cerrno>
#include <sys/socket.h>

#include "jump.hpp"

namespace digger::ssh {
namespace {

constexpr std::size_t chunk = 32 * 1024; // libssh2's packet size for these channels
// Per tunnel and direction per run, so one busy target cannot starve the others.
constexpr int max_chunks_per_run = 8;
constexpr std::chrono::seconds close_budget{5};

// Errors that mean the jump session itself is gone, not just one channel.
bool session_lost(long rc) {
  switch (rc) {
  case LIBSSH2_ERROR_SOCKET_SEND:
  case LIBSSH2_ERROR_SOCKET_RECV:
  case LIBSSH2_ERROR_SOCKET_DISCONNECT:
  case LIBSSH2_ERROR_SOCKET_TIMEOUT:
  case LIBSSH2_ERROR_TIMEOUT:
  case LIBSSH2_ERROR_DECRYPT:
  case LIBSSH2_ERROR_PROTO:
  case LIBSSH2_ERROR_KEX_FAILURE:
  case LIBSSH2_ERROR_ALLOC:
    return true;
  default:
    return false;
  }
}

} // namespace

void JumpSession::pump_tunnels(Clock::time_point now) {
  more_ = false;
  for (std::size_t i = 0; i < tunnels_.size();) {
    Tunnel& tunnel = *tunnels_[i];
    bool keep = pump(tunnel, now);
    if (state_ != State::ready) {
      return; // the session died: tunnels_ is already empty
    }
    if (keep) {
      ++i;
    } else {
      tunnels_.erase(tunnels_.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
}

// Returns true when the session lives on (the channel alone failed).
bool JumpSession::channel_error(Tunnel& tunnel, long rc) {
  if (session_lost(rc)) {
    die(Status::bastion_unreachable,
        fmt::format("bastion {}: session lost: {}", hop().name, libssh2_error()));
    return false;
  }
  // The channel ended (the target closed, or the bastion closed it): the requester sees EOF.
  tunnel.remote_eof = true;
  tunnel.to_local.clear();
  tunnel.to_local_sent = 0;
  if (tunnel.local) {
    ::shutdown(tunnel.local.get(), SHUT_WR);
  }
  return true;
}

bool JumpSession::pump(Tunnel& tunnel, Clock::time_point now) {
  if (tunnel.closing) {
    int rc = libssh2_channel_close(tunnel.channel.get());
    return rc == LIBSSH2_ERROR_EAGAIN && now < tunnel.close_deadline;
  }
  char buffer[chunk];
  LIBSSH2_CHANNEL* channel = tunnel.channel.get();
  // Channel to the requester.
  bool blocked = false;
  for (int round = 0; round < max_chunks_per_run && !tunnel.local_eof; ++round) {
    if (tunnel.to_local_sent < tunnel.to_local.size()) {
      ssize_t sent = ::send(tunnel.local.get(), tunnel.to_local.data() + tunnel.to_local_sent,
                            tunnel.to_local.size() - tunnel.to_local_sent, MSG_NOSIGNAL);
      if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        blocked = true;
        break;
      }
      if (sent < 0) {
        tunnel.local_eof = true; // the requester is gone
        break;
      }
      tunnel.to_local_sent += static_cast<std::size_t>(sent);
      if (tunnel.to_local_sent < tunnel.to_local.size()) {
        blocked = true;
        break;
      }
      tunnel.to_local.clear();
      tunnel.to_local_sent = 0;
    }
    if (tunnel.remote_eof) {
      break;
    }
    ssize_t got = libssh2_channel_read(channel, buffer, sizeof buffer);
    if (got == LIBSSH2_ERROR_EAGAIN) {
      break;
    }
    if (got < 0) {
      if (!channel_error(tunnel, got)) {
        return false;
      }
      break;
    }
    if (got == 0) {
      if (libssh2_channel_eof(channel) != 0) {
        tunnel.remote_eof = true;
        ::shutdown(tunnel.local.get(), SHUT_WR);
      }
      break;
    }
    tunnel.to_local.assign(buffer, static_cast<std::size_t>(got));
  }
  if (!blocked && !tunnel.local_eof && !tunnel.to_local.empty()) {
    more_ = true; // stopped at the bound with bytes in hand
  }
  // The requester to the channel.
  for (int round = 0; round < max_chunks_per_run; ++round) {
    if (tunnel.to_remote_sent < tunnel.to_remote.size()) {
      ssize_t sent = libssh2_channel_write(channel, tunnel.to_remote.data() + tunnel.to_remote_sent,
                                           tunnel.to_remote.size() - tunnel.to_remote_sent);
      if (sent == LIBSSH2_ERROR_EAGAIN) {
        break; // window or socket full: the session's fd wakes us
      }
      if (sent < 0) {
        if (!channel_error(tunnel, sent)) {
          return false;
        }
        tunnel.to_remote.clear();
        tunnel.to_remote_sent = 0;
        break;
      }
      tunnel.to_remote_sent += static_cast<std::size_t>(sent);
      if (tunnel.to_remote_sent < tunnel.to_remote.size()) {
        continue;
      }
      tunnel.to_remote.clear();
      tunnel.to_remote_sent = 0;
    }
    if (tunnel.local_eof) {
      break;
    }
    ssize_t got = ::recv(tunnel.local.get(), buffer, sizeof buffer, 0);
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    }
    if (got <= 0) {
      tunnel.local_eof = true; // the requester closed its end (its session is over)
      tunnel.close_deadline = now + close_budget;
      break;
    }
    if (tunnel.remote_eof) {
      continue; // nowhere to send it; keep reading to see the requester close
    }
    tunnel.to_remote.assign(buffer, static_cast<std::size_t>(got));
    if (round + 1 == max_chunks_per_run) {
      more_ = true;
    }
  }
  bool flushed = tunnel.to_remote_sent >= tunnel.to_remote.size() || tunnel.remote_eof;
  if (tunnel.local_eof && (flushed || now >= tunnel.close_deadline)) {
    tunnel.closing = true;
    tunnel.close_deadline = now + close_budget;
    tunnel.local.reset();
    return pump(tunnel, now);
  }
  return true;
}

} // namespace digger::ssh
