// The scan engine: W worker threads, each an event loop over up to concurrency/W host state
// machines (session.hpp), fed from one shared cursor over the targets (a sliding window).
#include "digger/ssh/fanout.hpp"

#include "digger/ssh/auth.hpp"
#include "digger/ssh/pacer.hpp"
#include "digger/ssh/resolver.hpp"
#include "digger/ssh/session.hpp"
#include "digger/util/enum_names.hpp"

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <optional>
#include <poll.h>
#include <sys/eventfd.h>
#include <thread>
#include <unistd.h>

#include "jump.hpp"

namespace digger::ssh {
namespace {

using util::Result;

constexpr std::size_t resolver_threads = 8;

void pace(SharedPacer* pacer, const Outcome& outcome);

struct Shared {
  const std::vector<Target>& targets;
  const std::string& command;
  const Options& options;
  const KeyRing& keys;
  HostKeyStore& host_keys;
  const std::function<void(std::size_t, Outcome&&)>& on_done;
  const std::atomic<bool>& stop;
  Resolver* resolver = nullptr;
  SharedPacer* pacer = nullptr; // null: always every slot
  std::size_t workers = 1;
  std::atomic<std::size_t> next{0};
};

class Worker {
public:
  Worker(Shared& shared, std::size_t slots, unsigned seed)
      : shared_(shared), slots_(slots), agent_(shared.keys.agent_socket()),
        random_(seed), context_{shared.command,   shared.options, shared.keys,
                                shared.host_keys, agent_,         random_},
        wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
        jumps_(context_, [this](const std::string& host, int port, auto done) {
          resolve_for_jump(host, port, std::move(done));
        }) {
    context_.jumps = &jumps_;
  }

  void run();

  // Called from resolver threads.
  void deliver(std::size_t index, Result<std::vector<SocketAddress>> addresses) {
    {
      std::lock_guard lock(inbox_mutex_);
      inbox_.emplace_back(index, std::move(addresses));
    }
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_.get(), &one, sizeof one);
  }

private:
  // A bastion's name: resolved by the resolver threads, delivered back through the wake fd.
  void resolve_for_jump(const std::string& host, int port,
                        std::function<void(Result<std::vector<SocketAddress>>)> done) {
    int wake = wake_.get();
    shared_.resolver->submit(host, port,
                             [wake, done = std::move(done)](Result<std::vector<SocketAddress>> r) {
                               done(std::move(r));
                               std::uint64_t one = 1;
                               [[maybe_unused]] auto written = ::write(wake, &one, sizeof one);
                             });
  }
  void refill(Clock::time_point now);
  std::size_t paced_slots(Clock::time_point now) const;
  void reap();
  void wait_for_events(Clock::time_point now);
  void take_inbox(Clock::time_point now);

  Shared& shared_;
  std::size_t slots_;
  AgentConnection agent_;
  std::mt19937 random_;
  WorkerContext context_;
  UniqueFd wake_;
  std::vector<std::unique_ptr<HostSession>> sessions_;
  std::vector<pollfd> pollfds_;
  std::vector<int> poll_slot_; // per session: its index in pollfds_, or -1
  bool exhausted_ = false;
  std::mutex inbox_mutex_;
  std::vector<std::pair<std::size_t, Result<std::vector<SocketAddress>>>> inbox_;
  JumpPools jumps_; // after everything its sessions use; destroyed first
};

void Worker::run() {
  for (;;) {
    refill(Clock::now());
    reap();
    if (!jumps_.empty()) {
      jumps_.run({}, Clock::now()); // new hosts' channel requests reach the jump sessions
    }
    if (sessions_.empty()) {
      if (exhausted_) {
        jumps_.close(); // on this thread: it drove those sessions
        return;
      }
      continue;
    }
    wait_for_events(Clock::now());
    Clock::time_point now = Clock::now();
    take_inbox(now);
    if (!jumps_.empty()) {
      jumps_.run(pollfds_, now);
    }
    for (std::size_t i = 0; i < sessions_.size(); ++i) {
      HostSession& session = *sessions_[i];
      bool ready = poll_slot_[i] >= 0 && pollfds_[static_cast<std::size_t>(poll_slot_[i])].revents;
      if (ready || now >= session.wait().until || session.tunnel_settled()) {
        session.advance(now);
      }
    }
    if (!jumps_.empty()) {
      jumps_.run({}, now); // hands the channels just asked for to free jump sessions
    }
  }
}

// How many sessions this worker may hold now: its slots, or fewer when the pacer says so.
// Sessions past the pacer's stall age (tarpits, blackholes) hold a slot but not the pace.
std::size_t Worker::paced_slots(Clock::time_point now) const {
  if (shared_.pacer == nullptr) {
    return slots_;
  }
  auto stalled = static_cast<std::size_t>(
      std::count_if(sessions_.begin(), sessions_.end(), [&](const auto& session) {
        return now - session->started() > shared_.pacer->stall_after();
      }));
  return std::min(slots_, shared_.pacer->share(shared_.workers) + stalled);
}

void Worker::refill(Clock::time_point now) {
  const std::size_t allowed = paced_slots(now);
  while (!exhausted_ && sessions_.size() < allowed) {
    if (shared_.stop.load()) {
      exhausted_ = true;
      return;
    }
    std::size_t index = shared_.next.fetch_add(1);
    if (index >= shared_.targets.size()) {
      exhausted_ = true;
      return;
    }
    const Target& target = shared_.targets[index];
    auto session = std::make_unique<HostSession>(index, target, context_, now);
    if (session->wants_resolution()) {
      shared_.resolver->submit(target.address, target.port,
                               [this, index](Result<std::vector<SocketAddress>> addresses) {
                                 deliver(index, std::move(addresses));
                               });
    }
    sessions_.push_back(std::move(session));
  }
}

void Worker::reap() {
  auto finished = std::stable_partition(sessions_.begin(), sessions_.end(),
                                        [](const auto& session) { return !session->done(); });
  for (auto it = finished; it != sessions_.end(); ++it) {
    std::size_t index = (*it)->index();
    Outcome outcome = (*it)->take_outcome();
    it->reset(); // release the socket before reporting: nothing of the host is kept
    pace(shared_.pacer, outcome);
    shared_.on_done(index, std::move(outcome)); // no lock here: see run_fanout's contract
  }
  sessions_.erase(finished, sessions_.end());
}

void Worker::wait_for_events(Clock::time_point now) {
  pollfds_.clear();
  poll_slot_.assign(sessions_.size(), -1);
  pollfds_.push_back({wake_.get(), POLLIN, 0});
  Clock::time_point earliest = Clock::time_point::max();
  for (std::size_t i = 0; i < sessions_.size(); ++i) {
    const Wait& wait = sessions_[i]->wait();
    earliest = std::min(earliest, wait.until);
    if (wait.fd >= 0) {
      poll_slot_[i] = static_cast<int>(pollfds_.size());
      pollfds_.push_back({wait.fd, wait.events, 0});
    }
  }
  if (!jumps_.empty()) {
    jumps_.collect(pollfds_, earliest);
  }
  int timeout_ms = 0;
  if (earliest > now) {
    // Round up so a wake-up never comes before the deadline it is for.
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(earliest - now).count() + 1;
    timeout_ms = static_cast<int>(std::min<long long>(ms, 60'000));
  }
  if (::poll(pollfds_.data(), pollfds_.size(), timeout_ms) < 0 && errno != EINTR) {
    pollfds_.resize(1); // should not happen; fall back to deadline handling
    poll_slot_.assign(sessions_.size(), -1);
  }
}

void Worker::take_inbox(Clock::time_point now) {
  std::uint64_t count = 0;
  [[maybe_unused]] auto got = ::read(wake_.get(), &count, sizeof count);
  std::vector<std::pair<std::size_t, Result<std::vector<SocketAddress>>>> arrived;
  {
    std::lock_guard lock(inbox_mutex_);
    arrived.swap(inbox_);
  }
  for (auto& [index, addresses] : arrived) {
    for (auto& session : sessions_) {
      if (session->index() == index) {
        session->on_resolved(std::move(addresses), now);
        session->advance(now);
        break;
      }
    }
  }
}

// What a finished host tells the pacer: its handshake latency, or a sign of overload (a host
// that showed its key and then timed out is alive; drops before the banner are retried).
void pace(SharedPacer* pacer, const Outcome& outcome) {
  if (pacer == nullptr) {
    return;
  }
  const Timings& t = outcome.timings;
  Clock::time_point started = Clock::now() - t.total;
  if ((outcome.status == Status::timeout && !outcome.host_key_fingerprint.empty()) ||
      outcome.attempts > 1) {
    pacer->on_overload(started);
  } else if (outcome.status == Status::ok) {
    pacer->on_latency(started, t.connect + t.handshake + t.auth);
  }
}

std::size_t default_worker_count(const Options& options) {
  std::size_t workers = options.workers;
  if (workers == 0) {
    workers = std::max(1u, std::thread::hardware_concurrency());
  }
  return workers;
}

// Sockets per host: one. Keep room for the catalog, resolver, agent and eventfds.
std::size_t concurrency_cap(std::size_t open_files, std::size_t workers) {
  std::size_t reserve = 64 + 4 * workers;
  return open_files > 2 * reserve ? open_files - reserve : std::max<std::size_t>(1, open_files / 2);
}

constexpr util::EnumNames<Status, Status::target_open_timeout> status_names{
    {"ok", "unreachable", "timeout", "hostkey-mismatch", "hostkey-unknown", "auth-failed",
     "protocol-error", "bastion-unreachable", "bastion-hostkey", "bastion-auth",
     "forwarding-refused", "target-open-timeout"}};

} // namespace

std::string_view status_name(Status status) {
  return status_names.name_of(status, "protocol-error");
}

namespace {

// One pass over `targets` with the options' window (paced or fixed).
FanoutReport run_pass(const std::vector<Target>& targets, const std::string& command,
                      const Options& options, KeyRing& keys, HostKeyStore& host_keys,
                      const std::function<void(std::size_t index, Outcome&&)>& on_done,
                      const std::atomic<bool>& stop) {
  std::size_t workers = default_worker_count(options);
  // A host behind a bastion holds two descriptors (both ends of its socketpair), one with a
  // ProxyCommand too (its socketpair end and the command's stderr file).
  bool jumped = std::any_of(targets.begin(), targets.end(), [](const Target& target) {
    return !target.jumps.empty() || !target.proxy_command.empty();
  });
  std::size_t cap = concurrency_cap(raise_open_file_limit(), workers) / (jumped ? 2 : 1);
  std::size_t concurrency = std::min({std::max<std::size_t>(options.concurrency, 1),
                                      std::max<std::size_t>(cap, 1), targets.size()});
  workers = std::min(workers, concurrency);

  Shared shared{targets, command, options, keys, host_keys, on_done, stop, nullptr};
  std::optional<SharedPacer> pacer;
  if (options.adaptive) {
    pacer.emplace(pacer_options(concurrency, options.host_deadline));
    shared.pacer = &*pacer;
  }
  shared.workers = workers;
  std::random_device seed;
  std::vector<std::unique_ptr<Worker>> loops;
  for (std::size_t i = 0; i < workers; ++i) {
    std::size_t slots = concurrency / workers + (i < concurrency % workers ? 1 : 0);
    loops.push_back(std::make_unique<Worker>(shared, slots, seed()));
  }
  Resolver resolver(resolver_threads); // destroyed before the workers its callbacks reach
  shared.resolver = &resolver;
  std::vector<std::thread> threads;
  for (auto& loop : loops) {
    threads.emplace_back([&loop] { loop->run(); });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  FanoutReport report;
  report.final_window = pacer ? pacer->window() : concurrency;
  return report;
}

// The hosts that timed out, run again a few at a time once the others are done; each reported
// once, with its second outcome (or its first, when `stop` prevents the retry).
void retry_timed_out(std::vector<std::pair<std::size_t, Outcome>> timed_out,
                     const std::vector<Target>& targets, const std::string& command,
                     const Options& options, KeyRing& keys, HostKeyStore& host_keys,
                     const std::function<void(std::size_t index, Outcome&&)>& on_done,
                     const std::atomic<bool>& stop, FanoutReport& report) {
  std::sort(timed_out.begin(), timed_out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Target> again;
  for (const auto& [index, first] : timed_out) {
    again.push_back(targets[index]);
  }
  Options calm = options;
  calm.concurrency = std::max<std::size_t>(1, options.retry_concurrency);
  calm.adaptive = false;
  calm.retry_timeouts = false;
  std::vector<char> reported(again.size(), 0); // not vector<bool>: workers set it at once
  std::mutex report_mutex;                     // on_done runs on several workers at once
  if (!stop.load()) {
    run_pass(
        again, command, calm, keys, host_keys,
        [&](std::size_t j, Outcome&& second) {
          second.retried = true;
          second.attempts += timed_out[j].second.attempts;
          {
            std::lock_guard lock(report_mutex);
            ++report.retried;
            report.retried_ok += second.status == Status::ok ? 1 : 0;
          }
          reported[j] = 1;
          on_done(timed_out[j].first, std::move(second));
        },
        stop);
  }
  for (std::size_t j = 0; j < again.size(); ++j) {
    if (!reported[j]) {
      on_done(timed_out[j].first, std::move(timed_out[j].second));
    }
  }
}

} // namespace

FanoutReport run_fanout(const std::vector<Target>& targets, const std::string& command,
                        const Options& options, KeyRing& keys, HostKeyStore& host_keys,
                        const std::function<void(std::size_t index, Outcome&&)>& on_done,
                        const std::atomic<bool>& stop) {
  if (targets.empty()) {
    return {};
  }
  ensure_libssh2_initialized();
  for (const auto& target : targets) {
    for (const auto& path : target.identity_files) {
      keys.add_identity_file(path);
    }
    for (const auto& hop : target.jumps) {
      for (const auto& path : hop.identity_files) {
        keys.add_identity_file(path);
      }
    }
  }
  if (!options.retry_timeouts) {
    return run_pass(targets, command, options, keys, host_keys, on_done, stop);
  }
  std::mutex timed_out_mutex;
  std::vector<std::pair<std::size_t, Outcome>> timed_out;
  FanoutReport report = run_pass(
      targets, command, options, keys, host_keys,
      [&](std::size_t index, Outcome&& outcome) {
        if (outcome.status == Status::timeout) {
          std::lock_guard lock(timed_out_mutex);
          timed_out.emplace_back(index, std::move(outcome));
          return;
        }
        on_done(index, std::move(outcome));
      },
      stop);
  if (!timed_out.empty()) {
    retry_timed_out(std::move(timed_out), targets, command, options, keys, host_keys, on_done, stop,
                    report);
  }
  return report;
}

} // namespace digger::ssh
