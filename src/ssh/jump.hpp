#pragma once

// Bastions (ProxyJump) without a thread per hop. A worker keeps, per jump chain, a small pool
// of authenticated sessions to the chain's last bastion. Each target gets one direct-tcpip
// channel of such a session; the target's own SSH session (HostSession) runs over one end of a
// socketpair whose other end the worker's event loop pumps to and from the channel. A second
// bastion's session runs over a channel of the first one's pool in the same way.
//
// libssh2 1.10 keeps one channel open pending per session (its open state lives in the
// session), so opens are serialised per jump session, each with a deadline; an open that
// misses it leaves the session "stuck" for new opens until the bastion answers, and the pool
// grows instead (at most Options::jump_pool_max sessions).

#include "digger/ssh/session.hpp"

#include <deque>
#include <memory>
#include <optional>
#include <poll.h>
#include <string>
#include <vector>

namespace digger::ssh {

// A request for a channel to host:port through a chain, shared by the requester and the pool
// (both on the worker's thread: no locking).
struct TunnelTicket {
  enum class State { waiting, open, failed };
  std::string host;
  int port = 0;
  State state = State::waiting;
  Status status = Status::ok; // when failed
  std::string reason;
  UniqueFd fd;               // the requester's end of the socketpair, once open
  bool cancelled = false;    // the requester gave up: a channel that opens is closed at once
  bool carrier_died = false; // the jump session carrying the open channel died
  int requeues = 0;          // in-flight opens re-queued after their jump session died
  Clock::time_point queued_at;
};
using TicketPtr = std::shared_ptr<TunnelTicket>;

class JumpPools;

// One open direct-tcpip channel and the socketpair end it is pumped to.
struct Tunnel {
  ChannelPtr channel;
  UniqueFd local; // the pool's end; the requester holds the other one
  TicketPtr ticket;
  std::string to_local, to_remote; // bytes read from one side, not yet written to the other
  std::size_t to_local_sent = 0, to_remote_sent = 0;
  bool local_eof = false;  // the requester closed its end
  bool remote_eof = false; // the channel reached EOF
  bool eof_sent = false;
  bool closing = false;
  Clock::time_point close_deadline;
};

class JumpSession {
public:
  enum class State { resolving, tunnel, connecting, handshake, auth, ready, dead };

  // `chain` is the full chain up to and including this session's bastion (its last hop).
  JumpSession(JumpPools& pools, std::vector<Hop> chain, WorkerContext& context,
              Clock::time_point now);
  JumpSession(const JumpSession&) = delete;
  JumpSession& operator=(const JumpSession&) = delete;
  ~JumpSession();

  State state() const { return state_; }
  bool live() const { return state_ != State::dead; }
  bool in_setup() const { return state_ != State::ready && state_ != State::dead; }
  bool stuck() const { return stuck_; }
  bool can_open() const { return state_ == State::ready && !opening_ && !stuck_; }
  std::size_t tunnel_count() const { return tunnels_.size(); }
  bool died_in_setup() const { return died_in_setup_; }
  Status failure_status() const { return failure_status_; }
  const std::string& failure_reason() const { return failure_reason_; }

  void start_open(TicketPtr ticket, Clock::time_point now);
  // Poll integration: appends this session's fds and lowers `earliest` to its next timer.
  void collect(std::vector<pollfd>& fds, Clock::time_point& earliest) const;
  bool due(const pollfd* fds, std::size_t count, Clock::time_point now);
  void run(Clock::time_point now);
  void die(Status status, std::string reason);
  std::vector<TicketPtr> take_orphans() { return std::move(orphans_); }

private:
  const Hop& hop() const { return chain_.back(); }
  bool step_setup(Clock::time_point now); // true while it made progress
  bool start_connect(Clock::time_point now);
  bool poll_connect(Clock::time_point now);
  bool handshake(Clock::time_point now);
  bool authenticate(Clock::time_point now);
  void drive_open(Clock::time_point now);
  void pump_tunnels(Clock::time_point now);
  bool pump(Tunnel& tunnel, Clock::time_point now); // false: remove it
  bool channel_error(Tunnel& tunnel, long rc);      // false: the session died
  void keepalive(Clock::time_point now);
  void fail_setup(Status status, std::string reason);
  std::string libssh2_error() const;
  short libssh2_events() const;

  JumpPools& pools_;
  std::vector<Hop> chain_;
  WorkerContext& context_;
  State state_ = State::resolving;
  Clock::time_point connect_deadline_, setup_deadline_, next_keepalive_;
  std::vector<SocketAddress> addresses_;
  std::size_t next_address_ = 0;
  std::string connect_error_;
  struct Resolution;
  std::shared_ptr<Resolution> resolution_;
  TicketPtr carrier_; // the channel through the previous bastion (hops after the first)
  KeyAuth auth_;
  bool died_in_setup_ = false;
  Status failure_status_ = Status::bastion_unreachable;
  std::string failure_reason_;

  TicketPtr opening_; // the open in flight (libssh2 allows one per session)
  std::string opening_host_;
  int opening_port_ = 0;
  Clock::time_point open_deadline_;
  bool stuck_ = false; // an open missed its deadline and is still pending at the bastion
  std::vector<TicketPtr> orphans_;
  bool more_ = false;   // a tunnel stopped at its per-run bound: run again without waiting
  bool hangup_ = false; // the transport's fd reported POLLHUP or POLLERR

  // Destruction order: tunnels' channels, then the session, then its socket.
  UniqueFd fd_;
  SessionPtr session_;
  std::vector<std::unique_ptr<Tunnel>> tunnels_;
};

// Every jump session of one worker, grouped by chain.
class JumpPools {
public:
  using Submit = std::function<void(const std::string& host, int port,
                                    std::function<void(util::Result<std::vector<SocketAddress>>)>)>;
  JumpPools(WorkerContext& context, Submit resolve)
      : context_(context), resolve_(std::move(resolve)) {}
  JumpPools(const JumpPools&) = delete;
  JumpPools& operator=(const JumpPools&) = delete;
  ~JumpPools();

  // A channel to host:port through the first `hops` hops of `chain`.
  TicketPtr open(const std::vector<Hop>& chain, std::size_t hops, const std::string& host, int port,
                 Clock::time_point now);
  void collect(std::vector<pollfd>& fds, Clock::time_point& earliest);
  // Runs the sessions whose fds (from the last collect) are ready or whose timers are due,
  // then hands queued opens to free sessions and grows the pools.
  void run(const std::vector<pollfd>& fds, Clock::time_point now);
  bool empty() const { return groups_.empty(); }
  void close() { groups_.clear(); } // children first: they run over their parents' channels
  void resolve(const std::string& host, int port,
               std::function<void(util::Result<std::vector<SocketAddress>>)> done) {
    resolve_(host, port, std::move(done));
  }
  JumpStats* stats() const { return context_.options.jump_stats; }

private:
  struct Group {
    std::vector<Hop> chain;
    std::string key;
    std::deque<TicketPtr> queue;
    std::vector<std::unique_ptr<JumpSession>> sessions;
    std::optional<std::pair<Status, std::string>> failure; // setup failed: new opens fail at once
  };
  void dispatch(Group& group, Clock::time_point now);
  void reap(Group& group, Clock::time_point now);
  void grow(Group& group, Clock::time_point now);

  WorkerContext& context_;
  Submit resolve_;
  std::vector<std::unique_ptr<Group>> groups_;
  struct Polled {
    JumpSession* session;
    std::size_t first, count;
  };
  std::vector<Polled> polled_;
};

// "host:port" for messages, "[v6]:port" when needed.
std::string chain_key(const std::vector<Hop>& chain, std::size_t hops);

} // namespace digger::ssh
