#pragma once

// One host's SSH exchange as a non-blocking state machine. A worker thread owns many of
// these, polls their sockets and calls advance() when one is ready or its deadline passed.

#include "digger/ssh/agent.hpp"
#include "digger/ssh/auth.hpp"
#include "digger/ssh/fanout.hpp"
#include "digger/ssh/handles.hpp"
#include "digger/ssh/proxy_command.hpp"
#include "digger/ssh/socket.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace digger::ssh {

using Clock = std::chrono::steady_clock;

class JumpPools;
struct TunnelTicket;

// What every session of one worker shares.
struct WorkerContext {
  const std::string& command;
  const Options& options;
  const KeyRing& keys;
  HostKeyStore& host_keys;
  AgentConnection& agent; // one per worker thread
  std::mt19937& random;
  JumpPools* jumps = nullptr; // the worker's bastion sessions (targets with Target::jumps)
};

// Public-key authentication with the key ring's identities, one after the other, shared by
// target and bastion sessions. Non-blocking: call step() again after `again`.
class KeyAuth {
public:
  enum class Result { done, again, refused, failed };
  void reset(std::vector<const Identity*> identities, AgentConnection* agent);
  Result step(_LIBSSH2_SESSION* session, const std::string& user);
  // One line for `refused` (the identities tried) and `failed` (libssh2's error).
  const std::string& reason() const { return reason_; }
  bool any_refused() const { return !refused_.empty(); }

private:
  std::vector<const Identity*> identities_;
  std::size_t next_ = 0;
  std::vector<std::string> refused_;
  AgentConnection* agent_ = nullptr;
  std::string sign_error_;
  std::string reason_;
};

// Like ssh: no user given means the local user name.
const std::string& default_user(const std::string& user);

// The names a host's key is filed under: exactly ssh's lookup key when the inventory gave one,
// else the name as written and the address connected to (the worst verdict wins).
std::pair<std::vector<std::string>, int> known_hosts_keys(const std::string& name,
                                                          const std::string& address, int port,
                                                          const std::string& known_hosts_host,
                                                          int known_hosts_port);

enum class Phase {
  resolving, // waiting for a resolver thread (names only; addresses skip it)
  tunnel,    // waiting for a direct-tcpip channel through the bastions (Target::jumps)
  backoff,   // waiting before a retry
  connecting,
  handshake, // banner + key exchange; the host key is checked right after, before auth
  auth,
  channel_open,
  exec,
  writing, // the follow-up's stdin, then EOF (on the same channel)
  reading, // stdout and stderr until both reach EOF or a bound
  closing, // channel close, exit status, disconnect: bounded by the deadline
  done,
};
std::string_view phase_name(Phase phase);

// What the session waits for: readiness of `fd` (when >= 0) or the clock reaching `until`.
struct Wait {
  int fd = -1;
  short events = 0;
  Clock::time_point until;
};

class HostSession {
public:
  HostSession(std::size_t index, const Target& target, WorkerContext& context,
              Clock::time_point now);
  HostSession(const HostSession&) = delete;
  HostSession& operator=(const HostSession&) = delete;
  ~HostSession();

  std::size_t index() const { return index_; }
  const Target& target() const { return target_; }
  Phase phase() const { return phase_; }
  Clock::time_point started() const { return started_; }
  bool done() const { return phase_ == Phase::done; }
  bool wants_resolution() const { return phase_ == Phase::resolving; }
  // The channel it waits for through the bastions opened or failed: advance() it.
  bool tunnel_settled() const;
  const Wait& wait() const { return wait_; }

  void on_resolved(util::Result<std::vector<SocketAddress>> addresses, Clock::time_point now);
  // Runs phases until one must wait; also handles deadlines. Cheap to call spuriously.
  void advance(Clock::time_point now);
  Outcome take_outcome() { return std::move(outcome_); }

private:
  enum class Step { next, wait, finished };

  Step run_phase(Clock::time_point now);
  Step start_attempt(Clock::time_point now);
  Step await_tunnel(Clock::time_point now);
  Step start_proxy_command(Clock::time_point now);
  bool requeue_after_carrier_death(Clock::time_point now);
  Step connect_next_address(Clock::time_point now);
  Step poll_connect(Clock::time_point now);
  Step handshake(Clock::time_point now);
  Step check_host_key(Clock::time_point now);
  Step authenticate(Clock::time_point now);
  Step open_channel(Clock::time_point now);
  Step exec(Clock::time_point now);
  Step write_input(Clock::time_point now);
  Step read_output(Clock::time_point now);
  Step close_channel(Clock::time_point now);
  Step hand_over(Clock::time_point now);
  bool marker_arrived() const;
  bool answer_prompt(Step& step);
  Step finish(Clock::time_point now);

  Step wait_for_libssh2(Clock::time_point until);
  Step wait_for_fd(short events, Clock::time_point until);
  Step fail(Status status, std::string reason);
  Step fail_from_libssh2(Status status, const char* what);
  Step retry_or_fail(Clock::time_point now, Status status, std::string reason);
  void enter(Phase phase, Clock::time_point now);
  void on_deadline(Clock::time_point now);
  void tear_down();
  std::string last_libssh2_error() const;
  int read_stream(int stream, std::string& sink, std::size_t bound, bool& truncated,
                  std::size_t& discarded);

  std::size_t index_;
  const Target& target_;
  WorkerContext& context_;
  Phase phase_ = Phase::resolving;
  Wait wait_;
  Outcome outcome_;

  Clock::time_point started_, phase_started_, deadline_, connect_deadline_;
  std::vector<SocketAddress> addresses_;
  std::size_t next_address_ = 0;
  std::string connect_error_;
  bool connect_timed_out_ = false;

  KeyAuth auth_;
  std::shared_ptr<TunnelTicket> ticket_; // through the bastions (Target::jumps)
  bool requeued_ = false;

  std::size_t stderr_discarded_ = 0;

  // Options::prompt_answer: bytes of answer + "\n" written, EOF to send after a second prompt.
  std::size_t prompts_seen_ = 0;
  std::size_t prompt_seen_at_ = 0; // stderr size when the last prompt was seen
  bool answering_ = false;
  std::size_t answer_written_ = 0;
  bool refusing_ = false;

  // The follow-up (Options::followup): second_ is set once its marker arrived.
  bool second_ = false;
  std::string followup_input_;
  std::size_t followup_written_ = 0;
  bool followup_eof_sent_ = false;
  Clock::time_point followup_started_;

  // Destruction order matters: channel, then session, then the socket they use, then the
  // ProxyCommand at its other end (it sees EOF before it is signalled).
  std::optional<ProxyProcess> proxy_; // Target::proxy_command
  UniqueFd fd_;
  SessionPtr session_;
  ChannelPtr channel_;
};

} // namespace digger::ssh
