// Channel half of the host state machine: authenticate, open a session channel, exec the
// command, drain stdout and stderr within bounds, then close politely within the deadline.
#include "digger/ssh/session.hpp"

#include <fmt/format.h>
#include <libssh2.h>

#include <exception>
#include <optional>

namespace digger::ssh {
namespace {

constexpr std::size_t read_chunk = 32 * 1024;

} // namespace

HostSession::Step HostSession::authenticate(Clock::time_point now) {
  switch (auth_.step(session_.get(), default_user(target_.user))) {
  case KeyAuth::Result::again:
    return wait_for_libssh2(deadline_);
  case KeyAuth::Result::done:
    enter(Phase::channel_open, now);
    return Step::next;
  case KeyAuth::Result::refused:
    return fail(Status::auth_failed, auth_.reason());
  case KeyAuth::Result::failed:
    break;
  }
  return fail(auth_.any_refused() ? Status::auth_failed : Status::protocol_error, auth_.reason());
}

HostSession::Step HostSession::open_channel(Clock::time_point now) {
  LIBSSH2_CHANNEL* channel = libssh2_channel_open_session(session_.get());
  if (channel == nullptr) {
    if (libssh2_session_last_errno(session_.get()) == LIBSSH2_ERROR_EAGAIN) {
      return wait_for_libssh2(deadline_);
    }
    return fail(Status::protocol_error,
                fmt::format("cannot open a session channel: {}", last_libssh2_error()));
  }
  channel_.reset(channel);
  enter(Phase::exec, now);
  return Step::next;
}

HostSession::Step HostSession::exec(Clock::time_point now) {
  const std::string& command = target_.command.empty() ? context_.command : target_.command;
  int rc = libssh2_channel_exec(channel_.get(), command.c_str());
  if (rc == LIBSSH2_ERROR_EAGAIN) {
    return wait_for_libssh2(deadline_);
  }
  if (rc != 0) {
    return fail(Status::protocol_error,
                fmt::format("the server refused to run the command: {}", last_libssh2_error()));
  }
  enter(Phase::reading, now);
  return Step::next;
}

// The follow-up's stdin. The command reads all of stdin before printing (xargs), so the
// window cannot fill with unread output while we write.
HostSession::Step HostSession::write_input(Clock::time_point now) {
  while (followup_written_ < followup_input_.size()) {
    ssize_t sent = libssh2_channel_write(channel_.get(), followup_input_.data() + followup_written_,
                                         followup_input_.size() - followup_written_);
    if (sent == LIBSSH2_ERROR_EAGAIN) {
      return wait_for_libssh2(deadline_);
    }
    if (sent < 0) {
      return fail(Status::protocol_error,
                  fmt::format("sending the follow-up input failed: {}", last_libssh2_error()));
    }
    followup_written_ += static_cast<std::size_t>(sent);
  }
  if (!followup_eof_sent_) {
    int rc = libssh2_channel_send_eof(channel_.get());
    if (rc == LIBSSH2_ERROR_EAGAIN) {
      return wait_for_libssh2(deadline_);
    }
    if (rc != 0) {
      return fail(Status::protocol_error,
                  fmt::format("closing the follow-up input failed: {}", last_libssh2_error()));
    }
    followup_eof_sent_ = true;
  }
  followup_input_ = std::string(); // sent: release it
  enter(Phase::reading, now);
  return Step::next;
}

// Returns >0 when bytes were read, 0 at EOF, EAGAIN, or another negative libssh2 error.
int HostSession::read_stream(int stream, std::string& sink, std::size_t bound, bool& truncated,
                             std::size_t& discarded) {
  char buffer[read_chunk];
  ssize_t got = libssh2_channel_read_ex(channel_.get(), stream, buffer, sizeof buffer);
  if (got <= 0) {
    return static_cast<int>(got);
  }
  auto size = static_cast<std::size_t>(got);
  std::size_t room = bound > sink.size() ? bound - sink.size() : 0;
  sink.append(buffer, std::min(room, size));
  if (size > room) {
    truncated = true;
    discarded += size - room;
  }
  return 1;
}

HostSession::Step HostSession::read_output(Clock::time_point now) {
  const Options& options = context_.options;
  const FollowUp& followup = options.followup;
  std::string& out_sink = second_ ? outcome_.followup_stdout : outcome_.stdout_data;
  std::string& err_sink = second_ ? outcome_.followup_stderr : outcome_.stderr_data;
  bool& out_truncated = second_ ? outcome_.followup_stdout_truncated : outcome_.stdout_truncated;
  bool& err_truncated = second_ ? outcome_.followup_stderr_truncated : outcome_.stderr_truncated;
  std::size_t out_bound = second_ ? followup.max_stdout_bytes : options.max_output_bytes;
  std::size_t err_bound = second_ ? followup.max_stderr_bytes : options.max_stderr_bytes;
  std::size_t stdout_discarded = 0;
  // libssh2 may have EOF already buffered while one stream still says EAGAIN: go round a few
  // times before waiting on the socket, never forever.
  for (int idle_rounds = 0;; ++idle_rounds) {
    int out = read_stream(0, out_sink, out_bound, out_truncated, stdout_discarded);
    int err = read_stream(SSH_EXTENDED_DATA_STDERR, err_sink, err_bound, err_truncated,
                          stderr_discarded_);
    if (out_truncated || stderr_discarded_ > out_bound) {
      // Stop reading: the rest would only cost time. The channel is dropped, not drained.
      outcome_.status = Status::ok;
      outcome_.followup_ran = second_;
      tear_down();
      enter(Phase::done, now);
      return Step::finished;
    }
    for (int rc : {out, err}) {
      if (rc < 0 && rc != LIBSSH2_ERROR_EAGAIN) {
        return fail(Status::protocol_error,
                    fmt::format("reading the command output failed: {}", last_libssh2_error()));
      }
    }
    if (Step step{}; answer_prompt(step)) {
      return step;
    }
    if (out == 0 && err == 0) {
      outcome_.status = Status::ok;
      enter(Phase::closing, now);
      return Step::next;
    }
    if (out > 0 && marker_arrived()) {
      return hand_over(now);
    }
    if (out > 0 || err > 0) {
      idle_rounds = 0;
    } else if ((out == LIBSSH2_ERROR_EAGAIN && err == LIBSSH2_ERROR_EAGAIN) || idle_rounds >= 3) {
      return wait_for_libssh2(deadline_);
    }
  }
}

HostSession::Step HostSession::close_channel(Clock::time_point now) {
  if (channel_) {
    int rc = libssh2_channel_close(channel_.get());
    if (rc == 0) {
      rc = libssh2_channel_wait_closed(channel_.get());
    }
    if (rc == LIBSSH2_ERROR_EAGAIN) {
      return wait_for_libssh2(deadline_);
    }
    outcome_.followup_ran = second_;
    outcome_.exit_status = libssh2_channel_get_exit_status(channel_.get());
    char* signal = nullptr;
    std::size_t signal_length = 0;
    if (libssh2_channel_get_exit_signal(channel_.get(), &signal, &signal_length, nullptr, nullptr,
                                        nullptr, nullptr) == 0 &&
        signal != nullptr) {
      outcome_.exit_signal.assign(signal, signal_length);
      libssh2_free(session_.get(), signal);
    }
    channel_.reset();
  }
  return finish(now);
}

// Options::prompt_answer. Returns true with `step` set when the session must wait (a write or
// the EOF would block) or failed; false to go on reading.
bool HostSession::answer_prompt(Step& step) {
  const PromptAnswer& prompt = context_.options.prompt_answer;
  if (prompt.prompt.empty() || prompt.answer == nullptr || second_) {
    return false;
  }
  const std::string& err = outcome_.stderr_data;
  if (!answering_ && !refusing_ && err.size() > prompt_seen_at_ && err.ends_with(prompt.prompt) &&
      outcome_.stdout_data.find(prompt.success_marker) == std::string::npos) {
    prompt_seen_at_ = err.size();
    answering_ = ++prompts_seen_ == 1;
    refusing_ = !answering_;
  }
  const std::string& answer = prompt.answer->get();
  while (answering_) {
    bool newline = answer_written_ >= answer.size();
    const char* from = newline ? "\n" : answer.data() + answer_written_;
    std::size_t size = newline ? 1 : answer.size() - answer_written_;
    ssize_t sent = libssh2_channel_write(channel_.get(), from, size);
    if (sent == LIBSSH2_ERROR_EAGAIN) {
      step = wait_for_libssh2(deadline_);
      return true;
    }
    if (sent < 0) {
      step = fail(Status::protocol_error, "sending the sudo password failed");
      return true;
    }
    answer_written_ += static_cast<std::size_t>(sent);
    answering_ = answer_written_ < answer.size() + 1;
  }
  if (refusing_) {
    int rc = libssh2_channel_send_eof(channel_.get());
    if (rc == LIBSSH2_ERROR_EAGAIN) {
      step = wait_for_libssh2(deadline_);
      return true;
    }
    refusing_ = false; // sent (or the channel is gone: the read loop will tell)
  }
  return false;
}

bool HostSession::marker_arrived() const {
  const std::string& marker = context_.options.followup.marker;
  const std::string& out = outcome_.stdout_data;
  if (second_ || marker.empty() || out.size() < marker.size() + 1 || out.back() != '\n') {
    return false;
  }
  std::string_view tail(out.data() + out.size() - marker.size() - 1, marker.size());
  bool line_start = out.size() == marker.size() + 1 || out[out.size() - marker.size() - 2] == '\n';
  return line_start && tail == marker;
}

// The first output is complete: ask for the follow-up's input and send it on the same channel.
HostSession::Step HostSession::hand_over(Clock::time_point now) {
  const FollowUp& followup = context_.options.followup;
  outcome_.stdout_data.resize(outcome_.stdout_data.size() - followup.marker.size() - 1);
  std::optional<std::string> input;
  try {
    if (followup.stdin_for) {
      input = followup.stdin_for(index_, outcome_);
    }
  } catch (const std::exception& error) {
    outcome_.followup_error = fmt::format("follow-up not started: {}", error.what());
  }
  second_ = true;
  followup_input_ = input ? std::move(*input) : std::string(); // none: EOF alone ends it
  followup_started_ = now;
  deadline_ = now + followup.deadline;
  stderr_discarded_ = 0;
  enter(Phase::writing, now);
  return Step::next;
}

HostSession::Step HostSession::finish(Clock::time_point now) {
  int rc = libssh2_session_disconnect(session_.get(), "done");
  if (rc == LIBSSH2_ERROR_EAGAIN) {
    return wait_for_libssh2(deadline_);
  }
  tear_down();
  enter(Phase::done, now);
  return Step::finished;
}

} // namespace digger::ssh
