// One authenticated session to a bastion: connect (TCP, or a channel through the previous
// bastion), handshake, host key check, authentication, then direct-tcpip opens, one at a time.
// The tunnels' byte pumping is in jump_tunnel.cpp, the pools in jump_pool.cpp.
#include "digger/ssh/wire.hpp"

#include <fmt/format.h>
#include <libssh2.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <sys/socket.h>

#include "jump.hpp"

namespace digger::ssh {

using std::chrono::milliseconds;

// Filled by a resolver thread, read by the worker.
struct JumpSession::Resolution {
  std::mutex mutex;
  std::optional<util::Result<std::vector<SocketAddress>>> result;
};

std::string chain_key(const std::vector<Hop>& chain, std::size_t hops) {
  std::string key;
  for (std::size_t i = 0; i < hops && i < chain.size(); ++i) {
    const Hop& hop = chain[i];
    key +=
        fmt::format("{}{}@{}:{}|{}|{}:{}", i ? "," : "", hop.user, hop.address, hop.port,
                    fmt::join(hop.identity_files, ";"), hop.known_hosts_host, hop.known_hosts_port);
  }
  return key;
}

JumpSession::JumpSession(JumpPools& pools, std::vector<Hop> chain, WorkerContext& context,
                         Clock::time_point now)
    : pools_(pools), chain_(std::move(chain)), context_(context),
      setup_deadline_(now + context.options.host_deadline) {
  if (JumpStats* stats = pools_.stats(); stats != nullptr) {
    ++stats->sessions_started;
  }
  if (chain_.size() > 1) {
    // The previous bastion connects to this one (and resolves its name).
    state_ = State::tunnel;
    carrier_ = pools_.open(chain_, chain_.size() - 1, hop().address, hop().port, now);
    return;
  }
  if (is_numeric_host(hop().address)) {
    auto resolved = resolve_host(hop().address, hop().port);
    if (!resolved) {
      fail_setup(Status::bastion_unreachable, resolved.error());
      return;
    }
    addresses_ = std::move(resolved).value();
    start_connect(now);
    return;
  }
  resolution_ = std::make_shared<Resolution>();
  pools_.resolve(hop().address, hop().port,
                 [box = resolution_](util::Result<std::vector<SocketAddress>> result) {
                   std::lock_guard lock(box->mutex);
                   box->result = std::move(result);
                 });
}

JumpSession::~JumpSession() {
  if (fd_) {
    ::shutdown(fd_.get(), SHUT_RDWR); // every libssh2 call below now fails at once
  }
  tunnels_.clear();
  session_.reset();
  if (carrier_ && carrier_->state == TunnelTicket::State::waiting) {
    carrier_->cancelled = true;
  }
  if (opening_ && opening_->state == TunnelTicket::State::waiting) {
    opening_->state = TunnelTicket::State::failed;
    opening_->status = Status::bastion_unreachable;
    opening_->reason = fmt::format("bastion {}: the scan ended", hop().name);
  }
}

void JumpSession::fail_setup(Status status, std::string reason) {
  died_in_setup_ = true;
  die(status, fmt::format("bastion {}: {}", hop().name, reason));
}

void JumpSession::die(Status status, std::string reason) {
  if (state_ == State::dead) {
    return;
  }
  state_ = State::dead;
  failure_status_ = status;
  failure_reason_ = std::move(reason);
  if (fd_) {
    ::shutdown(fd_.get(), SHUT_RDWR);
  }
  for (auto& tunnel : tunnels_) {
    if (tunnel->ticket) {
      tunnel->ticket->carrier_died = true;
    }
  }
  tunnels_.clear(); // closes the pool's ends: the requesters see EOF
  if (opening_ && opening_->state == TunnelTicket::State::waiting) {
    orphans_.push_back(std::move(opening_)); // never reached the target: the pool re-queues it
  }
  opening_.reset();
  session_.reset();
  fd_.reset();
}

bool JumpSession::start_connect(Clock::time_point now) {
  while (next_address_ < addresses_.size()) {
    auto fd = ssh::start_connect(addresses_[next_address_++]);
    if (!fd) {
      connect_error_ = fd.error();
      continue;
    }
    fd_ = std::move(fd).value();
    connect_deadline_ = std::min(now + hop().connect_timeout, setup_deadline_);
    state_ = State::connecting;
    return true;
  }
  fail_setup(Status::bastion_unreachable,
             connect_error_.empty() ? "no address to connect to" : connect_error_);
  return false;
}

bool JumpSession::poll_connect(Clock::time_point now) {
  pollfd ready{fd_.get(), POLLOUT, 0};
  if (::poll(&ready, 1, 0) == 0) {
    if (now < connect_deadline_) {
      return false;
    }
    connect_error_ = fmt::format("connect to {} timed out after {} ms",
                                 addresses_[next_address_ - 1].text, hop().connect_timeout.count());
    fd_.reset();
    return start_connect(now);
  }
  if (int error = connect_result(fd_.get()); error != 0) {
    connect_error_ =
        fmt::format("connect to {}: {}", addresses_[next_address_ - 1].text, std::strerror(error));
    fd_.reset();
    return start_connect(now);
  }
  state_ = State::handshake;
  return true;
}

bool JumpSession::handshake(Clock::time_point) {
  auto [names, port] = known_hosts_keys(hop().name, hop().address, hop().port,
                                        hop().known_hosts_host, hop().known_hosts_port);
  if (!session_) {
    session_ = make_session();
    if (!session_) {
      fail_setup(Status::bastion_unreachable, "cannot allocate a libssh2 session");
      return false;
    }
    libssh2_session_set_blocking(session_.get(), 0);
    std::string preference = hostkey_method_preference(context_.host_keys.known_types(names, port));
    libssh2_session_method_pref(session_.get(), LIBSSH2_METHOD_HOSTKEY, preference.c_str());
  }
  int rc = libssh2_session_handshake(session_.get(), fd_.get());
  if (rc == LIBSSH2_ERROR_EAGAIN) {
    return false;
  }
  if (rc != 0) {
    fail_setup(Status::bastion_unreachable, fmt::format("handshake failed: {}", libssh2_error()));
    return false;
  }
  std::size_t length = 0;
  int type = 0;
  const char* raw = libssh2_session_hostkey(session_.get(), &length, &type);
  if (raw == nullptr || length == 0) {
    fail_setup(Status::bastion_hostkey, "the server sent no host key");
    return false;
  }
  HostKey key;
  key.blob.assign(raw, length);
  key.type = wire::key_type_of_blob(key.blob);
  HostKeyDecision decision =
      context_.host_keys.decide(names, port, key, context_.options.host_key_mode);
  if (decision.kind != HostKeyDecision::Kind::accepted) {
    // Nothing beyond the key exchange was sent: no credentials reached it.
    fail_setup(Status::bastion_hostkey, decision.reason);
    return false;
  }
  auth_.reset(context_.keys.identities_for(hop().identity_files), &context_.agent);
  state_ = State::auth;
  return true;
}

bool JumpSession::authenticate(Clock::time_point now) {
  switch (auth_.step(session_.get(), default_user(hop().user))) {
  case KeyAuth::Result::again:
    return false;
  case KeyAuth::Result::done:
    break;
  case KeyAuth::Result::refused:
  case KeyAuth::Result::failed:
    fail_setup(Status::bastion_auth, auth_.reason());
    return false;
  }
  state_ = State::ready;
  if (JumpStats* stats = pools_.stats(); stats != nullptr) {
    ++stats->sessions_authenticated;
  }
  // Keepalives: a bastion's ChannelTimeout or a NAT would otherwise drop an idle session.
  libssh2_keepalive_config(session_.get(), 1,
                           static_cast<unsigned>(context_.options.jump_keepalive.count()));
  next_keepalive_ = now + context_.options.jump_keepalive;
  return true;
}

// Returns true while the setup moved on and should be stepped again.
bool JumpSession::step_setup(Clock::time_point now) {
  switch (state_) {
  case State::resolving: {
    std::lock_guard lock(resolution_->mutex);
    if (!resolution_->result) {
      return false;
    }
    if (!*resolution_->result) {
      std::string error = resolution_->result->error();
      fail_setup(Status::bastion_unreachable, error);
      return false;
    }
    addresses_ = std::move(*resolution_->result).value();
    return start_connect(now);
  }
  case State::tunnel:
    if (carrier_->state == TunnelTicket::State::waiting) {
      return false;
    }
    if (carrier_->state == TunnelTicket::State::failed) {
      // The previous bastion's own failure stands; one that could not reach this bastion
      // makes this bastion unreachable.
      Status status = carrier_->status;
      if (status == Status::target_open_timeout || status == Status::unreachable) {
        status = Status::bastion_unreachable;
      }
      died_in_setup_ = true;
      die(status, carrier_->reason);
      return false;
    }
    fd_ = std::move(carrier_->fd);
    state_ = State::handshake;
    return true;
  case State::connecting:
    return poll_connect(now);
  case State::handshake:
    return handshake(now);
  case State::auth:
    return authenticate(now);
  case State::ready:
  case State::dead:
    break;
  }
  return false;
}

void JumpSession::run(Clock::time_point now) {
  while (in_setup() && step_setup(now)) {
  }
  if (in_setup() && now >= setup_deadline_) {
    fail_setup(Status::bastion_unreachable, fmt::format("no session within {} ms (during setup)",
                                                        context_.options.host_deadline.count()));
  }
  if (state_ != State::ready) {
    return;
  }
  if (hangup_ && tunnels_.empty() && !opening_) {
    die(Status::bastion_unreachable, fmt::format("bastion {}: connection closed", hop().name));
    return;
  }
  drive_open(now);
  if (state_ == State::ready) {
    pump_tunnels(now);
  }
  if (state_ == State::ready) {
    keepalive(now);
  }
}

void JumpSession::start_open(TicketPtr ticket, Clock::time_point now) {
  opening_ = std::move(ticket);
  opening_host_ = opening_->host;
  opening_port_ = opening_->port;
  open_deadline_ = now + context_.options.jump_open_timeout;
  drive_open(now);
}

void JumpSession::drive_open(Clock::time_point now) {
  if (!opening_ && !stuck_) {
    return;
  }
  // libssh2 continues the pending open and ignores the arguments, but they must stay valid.
  LIBSSH2_CHANNEL* channel = libssh2_channel_direct_tcpip_ex(session_.get(), opening_host_.c_str(),
                                                             opening_port_, "127.0.0.1", 22);
  bool answered = true;
  TicketPtr ticket = std::move(opening_);
  bool wanted = ticket && ticket->state == TunnelTicket::State::waiting && !ticket->cancelled;
  if (channel == nullptr) {
    int error = libssh2_session_last_errno(session_.get());
    if (error == LIBSSH2_ERROR_EAGAIN) {
      answered = false;
    } else if (error != LIBSSH2_ERROR_CHANNEL_FAILURE) {
      opening_ = std::move(ticket); // orphaned by die(): re-queued on another session
      die(Status::bastion_unreachable,
          fmt::format("bastion {}: session lost: {}", hop().name, libssh2_error()));
      return;
    } else if (wanted) {
      std::string message = libssh2_error();
      bool prohibited = message.find("prohibited") != std::string::npos;
      ticket->state = TunnelTicket::State::failed;
      ticket->status = prohibited ? Status::forwarding_refused : Status::unreachable;
      ticket->reason = prohibited ? fmt::format("bastion {} refused forwarding to {}:{} ({})",
                                                hop().name, opening_host_, opening_port_, message)
                                  : fmt::format("bastion {} could not connect to {}:{} ({})",
                                                hop().name, opening_host_, opening_port_, message);
    }
  } else {
    if (JumpStats* stats = pools_.stats(); stats != nullptr) {
      ++stats->channels_opened;
    }
    auto tunnel = std::make_unique<Tunnel>();
    tunnel->channel.reset(channel);
    int pair[2];
    if (wanted && ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) == 0) {
      tunnel->local.reset(pair[1]);
      ticket->fd.reset(pair[0]);
      ticket->state = TunnelTicket::State::open;
      tunnel->ticket = ticket;
    } else {
      if (wanted) {
        ticket->state = TunnelTicket::State::failed;
        ticket->status = Status::protocol_error;
        ticket->reason = fmt::format("socketpair: {}", std::strerror(errno));
      }
      tunnel->local_eof = true; // nobody wants it any more: close it
    }
    tunnels_.push_back(std::move(tunnel));
  }
  if (answered) {
    stuck_ = false;
    return;
  }
  opening_ = std::move(ticket);
  if (!stuck_ && now >= open_deadline_) {
    // libssh2 cannot cancel an open: the session stays unusable for new opens until the
    // bastion answers (its kernel gives up on the target), but its other channels work on.
    stuck_ = true;
    if (JumpStats* stats = pools_.stats(); stats != nullptr) {
      ++stats->open_timeouts;
    }
    if (opening_->state == TunnelTicket::State::waiting) {
      opening_->state = TunnelTicket::State::failed;
      opening_->status = Status::target_open_timeout;
      opening_->reason =
          fmt::format("bastion {} did not open a channel to {}:{} within {} ms", hop().name,
                      opening_host_, opening_port_, context_.options.jump_open_timeout.count());
    }
  }
}

void JumpSession::keepalive(Clock::time_point now) {
  if (now < next_keepalive_) {
    return;
  }
  int seconds = 0;
  int rc = libssh2_keepalive_send(session_.get(), &seconds);
  if (rc != 0 && rc != LIBSSH2_ERROR_EAGAIN) {
    die(Status::bastion_unreachable,
        fmt::format("bastion {}: keepalive failed: {}", hop().name, libssh2_error()));
    return;
  }
  next_keepalive_ = now + std::chrono::seconds(std::max(seconds, 1));
}

std::string JumpSession::libssh2_error() const {
  if (!session_) {
    return "no session";
  }
  char* message = nullptr;
  int length = 0;
  int code = libssh2_session_last_error(session_.get(), &message, &length, 0);
  return fmt::format("{} ({})", message != nullptr ? std::string(message, length) : "", code);
}

} // namespace digger::ssh
