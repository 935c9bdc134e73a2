// The pools of jump sessions of one worker: a queue of channel requests per chain, handed one
// at a time to free sessions; the pool grows when opens time out or the queue waits too long,
// and requests in flight on a session that died are re-queued once.
#include <algorithm>

#include "jump.hpp"

namespace digger::ssh {

JumpPools::~JumpPools() {
  close();
}

TicketPtr JumpPools::open(const std::vector<Hop>& chain, std::size_t hops, const std::string& host,
                          int port, Clock::time_point now) {
  auto ticket = std::make_shared<TunnelTicket>();
  ticket->host = host;
  ticket->port = port;
  ticket->queued_at = now;
  std::string key = chain_key(chain, hops);
  auto found = std::find_if(groups_.begin(), groups_.end(),
                            [&key](const auto& group) { return group->key == key; });
  Group* group = nullptr;
  if (found != groups_.end()) {
    group = found->get();
  } else {
    auto created = std::make_unique<Group>();
    created->chain.assign(chain.begin(), chain.begin() + static_cast<std::ptrdiff_t>(hops));
    created->key = std::move(key);
    group = created.get();
    groups_.push_back(std::move(created));
  }
  if (group->failure) {
    ticket->state = TunnelTicket::State::failed;
    ticket->status = group->failure->first;
    ticket->reason = group->failure->second;
    return ticket;
  }
  group->queue.push_back(ticket);
  return ticket;
}

void JumpPools::collect(std::vector<pollfd>& fds, Clock::time_point& earliest) {
  polled_.clear();
  for (const auto& group : groups_) {
    for (const auto& session : group->sessions) {
      std::size_t first = fds.size();
      session->collect(fds, earliest);
      polled_.push_back({session.get(), first, fds.size() - first});
    }
  }
}

void JumpPools::run(const std::vector<pollfd>& fds, Clock::time_point now) {
  for (const Polled& polled : polled_) {
    bool in_range = polled.first + polled.count <= fds.size();
    const pollfd* begin = in_range ? fds.data() + polled.first : nullptr;
    if (polled.session->due(begin, in_range ? polled.count : 0, now)) {
      polled.session->run(now);
    }
  }
  polled_.clear(); // sessions may go away below
  // Groups made while dispatching (a second bastion asks the first one) are served too.
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    reap(*groups_[i], now);
    dispatch(*groups_[i], now);
  }
}

void JumpPools::reap(Group& group, Clock::time_point) {
  auto& sessions = group.sessions;
  for (auto it = sessions.begin(); it != sessions.end();) {
    JumpSession& session = **it;
    if (session.live()) {
      ++it;
      continue;
    }
    for (auto& ticket : session.take_orphans()) {
      if (ticket->cancelled) {
        continue;
      }
      if (ticket->requeues == 0) {
        ++ticket->requeues;
        group.queue.push_front(std::move(ticket));
      } else {
        ticket->state = TunnelTicket::State::failed;
        ticket->status = session.failure_status();
        ticket->reason = session.failure_reason();
      }
    }
    bool others = std::any_of(sessions.begin(), sessions.end(), [&session](const auto& other) {
      return other.get() != &session && other->live();
    });
    if (session.died_in_setup() && !others) {
      // Log in again for every target would hammer a bastion that refuses us (MaxStartups,
      // PerSourcePenalties): its targets all get this hop's status.
      group.failure = std::make_pair(session.failure_status(), session.failure_reason());
    }
    it = sessions.erase(it);
  }
  if (group.failure) {
    for (auto& ticket : group.queue) {
      ticket->state = TunnelTicket::State::failed;
      ticket->status = group.failure->first;
      ticket->reason = group.failure->second;
    }
    group.queue.clear();
  }
}

void JumpPools::dispatch(Group& group, Clock::time_point now) {
  auto& queue = group.queue;
  for (auto& session : group.sessions) {
    while (!queue.empty() && session->can_open()) {
      TicketPtr ticket = std::move(queue.front());
      queue.pop_front();
      if (!ticket->cancelled && ticket->state == TunnelTicket::State::waiting) {
        session->start_open(std::move(ticket), now);
      }
    }
  }
  while (!queue.empty() &&
         (queue.front()->cancelled || queue.front()->state != TunnelTicket::State::waiting)) {
    queue.pop_front();
  }
  grow(group, now);
}

void JumpPools::grow(Group& group, Clock::time_point now) {
  if (group.queue.empty() || group.failure) {
    return;
  }
  auto& sessions = group.sessions;
  std::size_t live = 0, setting_up = 0, usable = 0;
  for (const auto& session : sessions) {
    live += session->live() ? 1 : 0;
    setting_up += session->in_setup() ? 1 : 0;
    usable += session->live() && !session->stuck() ? 1 : 0;
  }
  const Options& options = context_.options;
  bool waited = now - group.queue.front()->queued_at >= options.jump_grow_after;
  if (usable > 0 && !(waited && setting_up == 0)) {
    return;
  }
  std::size_t limit = std::max<std::size_t>(options.jump_pool_max, 1);
  if (live >= limit) {
    if (usable > 0) {
      return;
    }
    // Every session is stuck on an open the bastion never answers: log in again in place of
    // one that carries nothing else.
    auto idle = std::find_if(sessions.begin(), sessions.end(),
                             [](const auto& session) { return session->tunnel_count() == 0; });
    if (idle == sessions.end()) {
      return;
    }
    (*idle)->die(Status::bastion_unreachable, "replaced: stuck on an unanswered open");
    sessions.erase(idle);
  }
  sessions.push_back(std::make_unique<JumpSession>(*this, group.chain, context_, now));
}

} // namespace digger::ssh
