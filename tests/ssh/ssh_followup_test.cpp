// The follow-up inside the same command (Options::followup: marker, stdin, rest of the output)
// against real sshd processes.
#include "digger/ssh/host_keys.hpp"

#include <catch2/catch.hpp>

#include <chrono>

#include "ssh_fleet.hpp"

using namespace digger::ssh;
using namespace digger::ssh::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* marker = "@@mark-0123abcd@@";

Options
followup_options(std::function<std::optional<std::string>(std::size_t, const Outcome&)> in) {
  Options options;
  options.concurrency = 4;
  options.workers = 1;
  options.host_deadline = 10s;
  options.host_key_mode = HostKeyMode::off;
  options.followup.marker = marker;
  options.followup.stdin_for = std::move(in);
  return options;
}

HostKeyStore empty_store() {
  HostKeyStoreOptions options;
  options.user_files = std::vector<std::string>{};
  return HostKeyStore(options);
}

} // namespace

TEST_CASE("follow-up gets its stdin and keeps its own output", "[ssh][followup]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = empty_store();
  std::string payload;
  for (int i = 0; i < 300 * 1024; ++i) { // larger than one window update: writes hit EAGAIN
    payload.push_back(static_cast<char>((i * 31) & 0xff));
  }
  std::size_t seen_index = 99;
  std::string seen_first;
  auto options = followup_options([&](std::size_t index, const Outcome& first) {
    seen_index = index;
    seen_first = first.stdout_data;
    return std::optional<std::string>(payload);
  });
  auto result = run({target_for(fleet.address["a"])},
                    "printf 'first\\n@@mark-0123abcd@@\\n'; cat; printf done >&2; exit 4", options,
                    keys, store);
  const Outcome& outcome = result.outcomes[0];
  INFO(outcome.reason << " / " << outcome.followup_error);
  REQUIRE(outcome.status == Status::ok);
  CHECK(seen_index == 0);
  CHECK(seen_first == "first\n");
  CHECK(outcome.stdout_data == "first\n");
  CHECK(outcome.exit_status == 4);
  CHECK(outcome.followup_ran);
  CHECK(outcome.followup_error.empty());
  CHECK(outcome.followup_stdout.size() == payload.size());
  CHECK(outcome.followup_stdout == payload);
  CHECK(outcome.followup_stderr == "done");
}

TEST_CASE("only the marker's own line at the end of the output starts the follow-up",
          "[ssh][followup]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = empty_store();
  bool asked = false;
  auto options = followup_options([&](std::size_t, const Outcome&) {
    asked = true;
    return std::optional<std::string>("x");
  });
  // One write (dd with fullblock): a marker line followed by more output within the same write
  // must not start the follow-up. Had the shell written line by line, sshd could forward a chunk
  // ending right after the marker line, which is exactly what the real collector does on purpose
  // when it then waits for its stdin.
  auto result = run({target_for(fleet.address["a"])},
                    "printf 'x@@mark-0123abcd@@\\n@@mark-0123abcd@@ y\\n@@mark-0123abcd@@\\nend\\n'"
                    " | dd bs=4096 iflag=fullblock 2>/dev/null",
                    options, keys, store);
  const Outcome& outcome = result.outcomes[0];
  REQUIRE(outcome.status == Status::ok);
  CHECK_FALSE(asked);
  CHECK_FALSE(outcome.followup_ran);
  CHECK(outcome.stdout_data == "x@@mark-0123abcd@@\n@@mark-0123abcd@@ y\n@@mark-0123abcd@@\nend\n");
}

TEST_CASE("follow-up skipped, bounded, or failing leaves the first result", "[ssh][followup]") {
  Fleet& fleet = Fleet::get();
  KeyRing keys = key_ring_with({fleet.key_ed25519});
  auto store = empty_store();
  Target target = target_for(fleet.address["b"]);
  const std::string first = "printf 'one\\n@@mark-0123abcd@@\\n'; ";

  // Nothing to send: EOF alone, and the command goes on with an empty stdin.
  auto skipped = run(
      {target}, first + "wc -c; echo two",
      followup_options([](std::size_t, const Outcome&) { return std::optional<std::string>(); }),
      keys, store);
  CHECK(skipped.outcomes[0].status == Status::ok);
  CHECK(skipped.outcomes[0].stdout_data == "one\n");
  CHECK(skipped.outcomes[0].followup_ran);
  CHECK(skipped.outcomes[0].followup_stdout == "0\ntwo\n");

  auto bounded_options =
      followup_options([](std::size_t, const Outcome&) { return std::string("abc"); });
  bounded_options.followup.max_stdout_bytes = 1000;
  auto bounded = run({target}, first + "cat >/dev/null; head -c 100000 /dev/zero", bounded_options,
                     keys, store);
  CHECK(bounded.outcomes[0].status == Status::ok);
  CHECK(bounded.outcomes[0].stdout_data == "one\n");
  CHECK(bounded.outcomes[0].followup_stdout.size() == 1000);
  CHECK(bounded.outcomes[0].followup_stdout_truncated);

  auto slow_options =
      followup_options([](std::size_t, const Outcome&) { return std::string("x"); });
  slow_options.followup.deadline = 500ms;
  auto started = std::chrono::steady_clock::now();
  auto slow = run({target}, first + "sleep 5", slow_options, keys, store);
  auto elapsed = std::chrono::steady_clock::now() - started;
  const Outcome& outcome = slow.outcomes[0];
  CHECK(outcome.status == Status::ok);
  CHECK(outcome.stdout_data == "one\n");
  CHECK_FALSE(outcome.followup_ran);
  CHECK(outcome.followup_error.find("no follow-up result within 500 ms") == 0);
  CHECK(elapsed < 4s);

  auto throwing =
      run({target}, first + "cat >/dev/null; echo two",
          followup_options([](std::size_t, const Outcome&) -> std::optional<std::string> {
            throw std::runtime_error("no plan");
          }),
          keys, store);
  CHECK(throwing.outcomes[0].status == Status::ok);
  CHECK(throwing.outcomes[0].stdout_data == "one\n");
  CHECK(throwing.outcomes[0].followup_error == "follow-up not started: no plan");
}
