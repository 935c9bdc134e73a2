// How a jump session tells the worker's poll() what it waits for, and whether it must run.
#include <libssh2.h>

#include "jump.hpp"

namespace digger::ssh {

short JumpSession::libssh2_events() const {
  int directions = session_ ? libssh2_session_block_directions(session_.get()) : 0;
  short events = POLLIN; // a ready session always listens: data for any of its channels
  if ((directions & LIBSSH2_SESSION_BLOCK_OUTBOUND) != 0) {
    events |= POLLOUT;
  }
  return events;
}

void JumpSession::collect(std::vector<pollfd>& fds, Clock::time_point& earliest) const {
  auto lower = [&earliest](Clock::time_point t) { earliest = std::min(earliest, t); };
  switch (state_) {
  case State::resolving: // the resolver's answer wakes the worker through its eventfd
    lower(setup_deadline_);
    return;
  case State::tunnel:
    lower(carrier_->state == TunnelTicket::State::waiting ? setup_deadline_
                                                          : Clock::time_point::min());
    return;
  case State::connecting:
    fds.push_back({fd_.get(), POLLOUT, 0});
    lower(connect_deadline_);
    return;
  case State::handshake:
  case State::auth:
    fds.push_back({fd_.get(), libssh2_events(), 0});
    lower(setup_deadline_);
    return;
  case State::ready:
    break;
  case State::dead:
    return;
  }
  short events = libssh2_events();
  if (tunnels_.empty() && !opening_) {
    // Nothing would read what arrives (a keepalive reply, sshd's hostkeys notice): listening
    // would spin. The next open reads it; a dead connection shows there too.
    events = static_cast<short>(events & ~POLLIN);
  }
  fds.push_back({fd_.get(), events, 0});
  lower(next_keepalive_);
  if (opening_ && !stuck_) {
    lower(open_deadline_);
  }
  if (more_) {
    lower(Clock::time_point::min());
  }
  for (const auto& tunnel : tunnels_) {
    if (tunnel->closing) {
      lower(tunnel->close_deadline);
    }
    if (!tunnel->local) {
      continue;
    }
    short wanted = 0;
    if (!tunnel->local_eof && tunnel->to_remote.empty()) {
      wanted |= POLLIN;
    }
    if (tunnel->to_local_sent < tunnel->to_local.size()) {
      wanted |= POLLOUT;
    }
    fds.push_back({tunnel->local.get(), wanted, 0});
  }
}

bool JumpSession::due(const pollfd* fds, std::size_t count, Clock::time_point now) {
  if (state_ == State::dead) {
    return false;
  }
  // The transport's fd comes first in what collect() added.
  hangup_ = state_ == State::ready && count > 0 && (fds[0].revents & (POLLHUP | POLLERR)) != 0;
  if (state_ == State::resolving || state_ == State::tunnel || more_) {
    return true;
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (fds[i].revents != 0) {
      return true;
    }
  }
  if (now >= setup_deadline_ && in_setup()) {
    return true;
  }
  if (state_ == State::connecting && now >= connect_deadline_) {
    return true;
  }
  if (state_ != State::ready) {
    return false;
  }
  if (now >= next_keepalive_ || (opening_ && !stuck_ && now >= open_deadline_)) {
    return true;
  }
  for (const auto& tunnel : tunnels_) {
    if (tunnel->closing && now >= tunnel->close_deadline) {
      return true;
    }
  }
  return false;
}

} // namespace digger::ssh
