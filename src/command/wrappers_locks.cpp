// Lock wrappers: they matter to a migration because a non-blocking lock means "skip this
// run if the last one is still going" (Kubernetes concurrencyPolicy: Forbid).
#include "wrapper_peelers.hpp"

namespace digger::command::detail {

bool peel_flock(Invocation& inv, Args& args, std::size_t& pos) {
  auto seen = take_options(args, pos, {"wE", "", {"timeout", "wait", "conflict-exit-code"}});
  if (pos >= args.size()) {
    return false;
  }
  inv.nonblocking_lock =
      inv.nonblocking_lock || has_option(seen, "n", "nonblock") || has_option(seen, "", "nb");
  const std::string& lock = args[pos++];
  inv.lock_file = lock;
  if (pos < args.size() && (args[pos] == "-c" || args[pos] == "--command")) {
    inv.shell_script = pos + 1 < args.size() ? args[pos + 1] : std::string{};
    return true;
  }
  // `flock -n 9` locks an already open descriptor and runs nothing itself.
  inv.lock_only = !rest_is_command(args, pos);
  return true;
}

bool peel_lckdo(Invocation& inv, Args& args, std::size_t& pos) {
  auto seen = take_options(args, pos, {});
  inv.nonblocking_lock = inv.nonblocking_lock || !has_option(seen, "w");
  if (pos >= args.size()) {
    return false;
  }
  inv.lock_file = args[pos++];
  return rest_is_command(args, pos);
}

bool peel_setlock(Invocation& inv, Args& args, std::size_t& pos) {
  auto seen = take_options(args, pos, {});
  inv.nonblocking_lock = inv.nonblocking_lock || has_option(seen, "n");
  if (pos >= args.size()) {
    return false;
  }
  inv.lock_file = args[pos++];
  return rest_is_command(args, pos);
}

bool peel_with_lock_ex(Invocation& inv, Args& args, std::size_t& pos) {
  auto seen = take_options(args, pos, {});
  inv.nonblocking_lock = inv.nonblocking_lock || has_option(seen, "f");
  if (pos >= args.size()) {
    return false;
  }
  inv.lock_file = args[pos++];
  return rest_is_command(args, pos);
}

bool peel_run_one(Invocation& inv, Args& args, std::size_t& pos) {
  inv.nonblocking_lock = true; // run-one exits at once when another copy holds its lock
  return rest_is_command(args, pos);
}

} // namespace digger::command::detail
