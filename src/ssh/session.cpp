// Connection half of the host state machine: resolve, connect, handshake, host key check,
// deadlines, retries and teardown. The channel half is in session_channel.cpp.
#include "digger/ssh/session.hpp"

#include "digger/ssh/wire.hpp"
#include "digger/util/enum_names.hpp"

#include <fmt/format.h>
#include <libssh2.h>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <utility>

#include "jump.hpp"

namespace digger::ssh {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// TCP_QUICKACK after every read: sshd's Nagle plus our delayed ACK otherwise stall the
// exchange after auth by ~40 ms per host (measured, see docs/ssh.md).
ssize_t quick_ack_recv(libssh2_socket_t fd, void* buffer, size_t length, int flags, void**) {
  ssize_t got = ::recv(fd, buffer, length, flags);
  if (got < 0) {
    return -errno;
  }
  if (got > 0 && length > 1) { // libssh2 reads the banner byte by byte: no need there
    request_quick_ack(fd);
  }
  return got;
}

// Failures that happen before the server's banner: typically sshd's MaxStartups dropping a
// connection it accepted. Worth a retry; nothing was authenticated.
bool dropped_before_banner(LIBSSH2_SESSION* session, int rc) {
  if (libssh2_session_banner_get(session) != nullptr) {
    return false;
  }
  return rc == LIBSSH2_ERROR_BANNER_RECV || rc == LIBSSH2_ERROR_SOCKET_DISCONNECT ||
         rc == LIBSSH2_ERROR_SOCKET_RECV || rc == LIBSSH2_ERROR_SOCKET_SEND ||
         rc == LIBSSH2_ERROR_KEX_FAILURE;
}

std::pair<std::vector<std::string>, int> target_known_hosts_keys(const Target& target) {
  return known_hosts_keys(target.name, target.address, target.port, target.known_hosts_host,
                          target.known_hosts_port);
}

constexpr util::EnumNames<Phase, Phase::done> phase_names{
    {"name resolution", "channel through the bastion", "retry backoff", "connect", "handshake",
     "authentication", "channel open", "exec", "follow-up input", "command output", "close",
     "done"}};

} // namespace

std::string_view phase_name(Phase phase) {
  return phase_names.name_of(phase, "done");
}

HostSession::HostSession(std::size_t index, const Target& target, WorkerContext& context,
                         Clock::time_point now)
    : index_(index), target_(target), context_(context), started_(now), phase_started_(now),
      deadline_(now + context.options.host_deadline) {
  wait_.until = deadline_;
  if (!target.jumps.empty()) {
    // The last bastion resolves and connects to the target: no local resolution.
    phase_ = Phase::tunnel;
    outcome_.attempts = 1;
    ticket_ =
        context.jumps->open(target.jumps, target.jumps.size(), target.address, target.port, now);
    return;
  }
  if (!target.proxy_command.empty()) {
    start_attempt(now); // the command reaches the target: no local resolution
    return;
  }
  if (is_numeric_host(target.address)) {
    // Numeric addresses never touch DNS, so the loop may resolve them itself.
    on_resolved(resolve_host(target.address, target.port), now);
  }
}

HostSession::~HostSession() {
  tear_down();
}

void HostSession::on_resolved(util::Result<std::vector<SocketAddress>> addresses,
                              Clock::time_point now) {
  if (phase_ != Phase::resolving) {
    return;
  }
  if (!addresses) {
    fail(Status::unreachable, addresses.error());
    return;
  }
  addresses_ = std::move(addresses).value();
  start_attempt(now);
}

void HostSession::advance(Clock::time_point now) {
  if (phase_ == Phase::done) {
    return;
  }
  if (now >= deadline_) {
    on_deadline(now);
    return;
  }
  while (run_phase(now) == Step::next) {
  }
}

HostSession::Step HostSession::run_phase(Clock::time_point now) {
  switch (phase_) {
  case Phase::resolving:
    return Step::wait;
  case Phase::tunnel:
    return await_tunnel(now);
  case Phase::backoff:
    return now >= wait_.until ? start_attempt(now) : Step::wait;
  case Phase::connecting:
    return poll_connect(now);
  case Phase::handshake:
    return handshake(now);
  case Phase::auth:
    return authenticate(now);
  case Phase::channel_open:
    return open_channel(now);
  case Phase::exec:
    return exec(now);
  case Phase::writing:
    return write_input(now);
  case Phase::reading:
    return read_output(now);
  case Phase::closing:
    return close_channel(now);
  case Phase::done:
    break;
  }
  return Step::finished;
}

void HostSession::enter(Phase phase, Clock::time_point now) {
  auto spent = duration_cast<milliseconds>(now - phase_started_);
  Timings& timings = outcome_.timings;
  switch (phase_) {
  case Phase::resolving:
  case Phase::tunnel:
  case Phase::backoff:
  case Phase::connecting:
    timings.connect += spent;
    break;
  case Phase::handshake:
    timings.handshake += spent;
    break;
  case Phase::auth:
    timings.auth += spent;
    break;
  case Phase::channel_open:
  case Phase::exec:
  case Phase::writing:
  case Phase::reading:
  case Phase::closing:
    timings.command += spent;
    break;
  case Phase::done:
    break;
  }
  phase_ = phase;
  phase_started_ = now;
  if (phase == Phase::done) {
    timings.total = duration_cast<milliseconds>(now - started_);
    if (second_) {
      outcome_.followup_time = duration_cast<milliseconds>(now - followup_started_);
    }
  }
}

HostSession::Step HostSession::start_attempt(Clock::time_point now) {
  ++outcome_.attempts;
  if (!target_.jumps.empty()) {
    ticket_.reset(); // a fresh channel through the bastions
    enter(Phase::tunnel, now);
    return Step::next;
  }
  if (!target_.proxy_command.empty()) {
    return start_proxy_command(now);
  }
  next_address_ = 0;
  enter(Phase::connecting, now);
  return connect_next_address(now);
}

// As ssh does with ProxyCommand: the command's stdin and stdout are the connection. The
// socketpair is writable at once, so the next poll lets the handshake start.
HostSession::Step HostSession::start_proxy_command(Clock::time_point now) {
  enter(Phase::connecting, now);
  auto started = ProxyProcess::spawn(target_.proxy_command, fd_);
  if (!started) {
    return fail(Status::unreachable, started.error());
  }
  proxy_.emplace(std::move(started).value());
  enter(Phase::handshake, now);
  return wait_for_fd(POLLOUT, deadline_);
}

bool HostSession::tunnel_settled() const {
  return phase_ == Phase::tunnel && ticket_ && ticket_->state != TunnelTicket::State::waiting;
}

HostSession::Step HostSession::await_tunnel(Clock::time_point now) {
  if (!ticket_) {
    ticket_ = context_.jumps->open(target_.jumps, target_.jumps.size(), target_.address,
                                   target_.port, now);
  }
  switch (ticket_->state) {
  case TunnelTicket::State::waiting:
    wait_ = Wait{-1, 0, deadline_};
    return Step::wait;
  case TunnelTicket::State::open:
    fd_ = std::move(ticket_->fd);
    enter(Phase::handshake, now);
    return Step::next;
  case TunnelTicket::State::failed:
    break;
  }
  Status status = ticket_->status;
  std::string reason = ticket_->reason;
  ticket_.reset();
  return fail(status, std::move(reason));
}

// The jump session that carried this host died under it: start over once on a new one (the
// command is read-only, so running it again is harmless), unless its first result is complete.
bool HostSession::requeue_after_carrier_death(Clock::time_point now) {
  if (!ticket_ || !ticket_->carrier_died || requeued_ || second_ || now >= deadline_) {
    return false;
  }
  requeued_ = true;
  if (JumpStats* stats = context_.options.jump_stats; stats != nullptr) {
    ++stats->requeued;
  }
  tear_down();
  ticket_.reset();
  ++outcome_.attempts;
  outcome_.stdout_data.clear();
  outcome_.stderr_data.clear();
  outcome_.stdout_truncated = outcome_.stderr_truncated = false;
  stderr_discarded_ = 0;
  enter(Phase::tunnel, now);
  return true;
}

HostSession::Step HostSession::connect_next_address(Clock::time_point now) {
  while (next_address_ < addresses_.size()) {
    auto fd = start_connect(addresses_[next_address_++]);
    if (!fd) {
      connect_error_ = fd.error();
      continue;
    }
    fd_ = std::move(fd).value();
    connect_deadline_ = std::min(now + target_.connect_timeout, deadline_);
    return wait_for_fd(POLLOUT, connect_deadline_);
  }
  return fail(connect_timed_out_ ? Status::timeout : Status::unreachable, connect_error_);
}

HostSession::Step HostSession::poll_connect(Clock::time_point now) {
  pollfd ready{fd_.get(), POLLOUT, 0};
  if (::poll(&ready, 1, 0) == 0) {
    if (now < connect_deadline_) {
      return wait_for_fd(POLLOUT, connect_deadline_);
    }
    connect_timed_out_ = true;
    connect_error_ =
        fmt::format("connect to {} timed out after {} ms", addresses_[next_address_ - 1].text,
                    target_.connect_timeout.count());
    fd_.reset();
    return connect_next_address(now);
  }
  if (int error = connect_result(fd_.get()); error != 0) {
    connect_timed_out_ = error == ETIMEDOUT;
    connect_error_ =
        fmt::format("connect to {}: {}", addresses_[next_address_ - 1].text, std::strerror(error));
    fd_.reset();
    return connect_next_address(now);
  }
  enter(Phase::handshake, now);
  return Step::next;
}

HostSession::Step HostSession::handshake(Clock::time_point now) {
  if (!session_) {
    session_ = make_session();
    if (!session_) {
      return fail(Status::protocol_error, "cannot allocate a libssh2 session");
    }
    libssh2_session_set_blocking(session_.get(), 0);
    libssh2_session_callback_set(session_.get(), LIBSSH2_CALLBACK_RECV,
                                 reinterpret_cast<void*>(&quick_ack_recv));
    // Ask for the key types already recorded for this host: libssh2 1.10 would otherwise
    // pick ECDSA where OpenSSH recorded Ed25519, and the known key would look unknown.
    auto [names, port] = target_known_hosts_keys(target_);
    std::string preference = hostkey_method_preference(context_.host_keys.known_types(names, port));
    libssh2_session_method_pref(session_.get(), LIBSSH2_METHOD_HOSTKEY, preference.c_str());
    prefer_rsa_sha2(session_.get());
  }
  int rc = libssh2_session_handshake(session_.get(), fd_.get());
  if (rc == LIBSSH2_ERROR_EAGAIN) {
    return wait_for_libssh2(deadline_);
  }
  if (rc != 0) {
    std::string reason = fmt::format("handshake failed: {}", last_libssh2_error());
    if (proxy_) {
      // The command closing its end is how a failed ProxyCommand shows: say how it ended
      // (it may take a moment to become reapable after closing its stdout).
      if (auto ended = proxy_->exit_description(std::chrono::milliseconds(50)); ended) {
        return fail(Status::unreachable,
                    fmt::format("ProxyCommand {} (before the SSH banner)", *ended));
      }
    }
    if (dropped_before_banner(session_.get(), rc)) {
      return retry_or_fail(now, Status::protocol_error,
                           fmt::format("connection closed before the SSH banner ({}): "
                                       "server busy (MaxStartups?)",
                                       last_libssh2_error()));
    }
    return fail(Status::protocol_error, reason);
  }
  return check_host_key(now);
}

HostSession::Step HostSession::check_host_key(Clock::time_point now) {
  std::size_t length = 0;
  int type = 0;
  const char* raw = libssh2_session_hostkey(session_.get(), &length, &type);
  if (raw == nullptr || length == 0) {
    return fail(Status::protocol_error, "the server sent no host key");
  }
  HostKey key;
  key.blob.assign(raw, length);
  key.type = wire::key_type_of_blob(key.blob);
  outcome_.host_key_fingerprint = fingerprint_sha256(key);
  auto [names, port] = target_known_hosts_keys(target_);
  HostKeyDecision decision =
      context_.host_keys.decide(names, port, key, context_.options.host_key_mode);
  outcome_.host_key = std::move(key);
  // Nothing has been sent beyond the key exchange yet: a refused key costs no credentials.
  switch (decision.kind) {
  case HostKeyDecision::Kind::rejected_changed:
    return fail(Status::hostkey_mismatch, decision.reason);
  case HostKeyDecision::Kind::rejected_unknown:
    return fail(Status::hostkey_unknown, decision.reason);
  case HostKeyDecision::Kind::accepted:
    break;
  }
  outcome_.host_key_newly_accepted = decision.newly_recorded;
  outcome_.reason = decision.reason;
  auth_.reset(context_.keys.identities_for(target_.identity_files, target_.identities_only),
              &context_.agent);
  enter(Phase::auth, now);
  return Step::next;
}

HostSession::Step HostSession::retry_or_fail(Clock::time_point now, Status status,
                                             std::string reason) {
  const Options& options = context_.options;
  auto backoff = options.retry_backoff * (1 << std::min(outcome_.attempts - 1, 6));
  std::uniform_int_distribution<long long> jitter(backoff.count() / 2, backoff.count());
  auto wake = now + milliseconds(jitter(context_.random));
  if (outcome_.attempts > options.retries || wake >= deadline_) {
    return fail(status, std::move(reason));
  }
  tear_down();
  enter(Phase::backoff, now);
  wait_ = Wait{-1, 0, wake};
  return Step::wait;
}

HostSession::Step HostSession::wait_for_libssh2(Clock::time_point until) {
  int directions = libssh2_session_block_directions(session_.get());
  short events = 0;
  if ((directions & LIBSSH2_SESSION_BLOCK_INBOUND) != 0) {
    events |= POLLIN;
  }
  if ((directions & LIBSSH2_SESSION_BLOCK_OUTBOUND) != 0) {
    events |= POLLOUT;
  }
  return wait_for_fd(events != 0 ? events : POLLIN, until);
}

HostSession::Step HostSession::wait_for_fd(short events, Clock::time_point until) {
  wait_ = Wait{fd_.get(), events, std::min(until, deadline_)};
  return Step::wait;
}

HostSession::Step HostSession::fail(Status status, std::string reason) {
  if (requeue_after_carrier_death(Clock::now())) {
    return Step::next;
  }
  if (second_) {
    // The first command's result is complete: a failed follow-up only says why it failed.
    outcome_.status = Status::ok;
    outcome_.followup_error = std::move(reason);
  } else {
    outcome_.status = status;
    outcome_.reason = std::move(reason);
  }
  tear_down();
  enter(Phase::done, Clock::now());
  return Step::finished;
}

void HostSession::on_deadline(Clock::time_point now) {
  if (second_ && phase_ != Phase::closing) {
    fail(Status::timeout,
         fmt::format("no follow-up result within {} ms (during {})",
                     context_.options.followup.deadline.count(), phase_name(phase_)));
    return;
  }
  if (phase_ == Phase::closing) {
    // The command's output is complete; only the polite goodbye timed out.
    tear_down();
    enter(Phase::done, now);
    return;
  }
  std::string reason =
      phase_ == Phase::connecting && !connect_error_.empty() && connect_timed_out_
          ? connect_error_
          : fmt::format("no result within the host deadline of {} ms (during {})",
                        context_.options.host_deadline.count(), phase_name(phase_));
  fail(Status::timeout, std::move(reason));
}

void HostSession::tear_down() {
  if (ticket_ && ticket_->state == TunnelTicket::State::waiting) {
    ticket_->cancelled = true; // a channel that opens now is closed by the pool
  }
  if (fd_) {
    // After shutdown every libssh2 call fails at once instead of returning EAGAIN, so the
    // frees below cannot block or spin.
    ::shutdown(fd_.get(), SHUT_RDWR);
  }
  channel_.reset();
  session_.reset();
  fd_.reset();
  proxy_.reset(); // after its end is closed: SIGTERM, reaped (proxy_command.hpp)
  wait_ = Wait{-1, 0, deadline_};
}

std::string HostSession::last_libssh2_error() const {
  char* message = nullptr;
  int length = 0;
  int code = libssh2_session_last_error(session_.get(), &message, &length, 0);
  return fmt::format("{} ({})", message != nullptr ? std::string(message, length) : "", code);
}

} // namespace digger::ssh
