#pragma once

#include "digger/command/option_scan.hpp"
#include "digger/command/wrappers.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

// Internal to the wrapper unwrapping (src/cron/wrappers*.cpp); not a public interface.
namespace digger::command::detail {

using Args = std::vector<std::string>;

// Each peeler looks at the arguments of its wrapper, which start at `pos`. It returns false
// when this use of the program does not run another program (then it is the program that
// does the work); otherwise it records what it learned and moves `pos` to the inner program.
using Peeler = bool (*)(Invocation& inv, Args& args, std::size_t& pos);

bool peel_flock(Invocation& inv, Args& args, std::size_t& pos);
bool peel_lckdo(Invocation& inv, Args& args, std::size_t& pos);
bool peel_setlock(Invocation& inv, Args& args, std::size_t& pos);
bool peel_with_lock_ex(Invocation& inv, Args& args, std::size_t& pos);
bool peel_run_one(Invocation& inv, Args& args, std::size_t& pos);
bool peel_sudo(Invocation& inv, Args& args, std::size_t& pos);
bool peel_doas(Invocation& inv, Args& args, std::size_t& pos);
bool peel_su(Invocation& inv, Args& args, std::size_t& pos);
bool peel_runuser(Invocation& inv, Args& args, std::size_t& pos);
bool peel_docker(Invocation& inv, Args& args, std::size_t& pos);
bool peel_docker_compose(Invocation& inv, Args& args, std::size_t& pos);
bool peel_kubectl(Invocation& inv, Args& args, std::size_t& pos);
bool peel_dokku(Invocation& inv, Args& args, std::size_t& pos);
bool peel_tmux(Invocation& inv, Args& args, std::size_t& pos);
bool peel_screen(Invocation& inv, Args& args, std::size_t& pos);

// Steps over the options of `args` from `pos`, returns them and moves `pos` past them.
std::vector<ScannedOption> take_options(const Args& args, std::size_t& pos, OptionSpec spec);
bool has_option(const std::vector<ScannedOption>& seen, std::string_view short_name,
                std::string_view long_name = {});
inline bool rest_is_command(const Args& args, std::size_t pos) {
  return pos < args.size();
}

std::string join_words(const Args& args, std::size_t from);
bool is_env_assignment(const std::string& word); // NAME=value as env(1) and sudo read it

} // namespace digger::command::detail
