#include "digger/command/wrappers.hpp"

#include "digger/command/option_scan.hpp"
#include "digger/command/shell_words.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "wrapper_peelers.hpp"

namespace digger::command {
namespace detail {
namespace {

// A generous bound: real lines peel 1 to 5 wrappers; garbage like `nice nice nice ...`
// must not turn into long work.
constexpr int max_wrappers = 32;

bool peel_plain(Invocation&, Args& args, std::size_t& pos) {
  take_options(args, pos, {});
  return rest_is_command(args, pos);
}

bool peel_nohup(Invocation&, Args& args, std::size_t& pos) {
  return rest_is_command(args, pos);
}

bool peel_env(Invocation& inv, Args& args, std::size_t& pos) {
  auto seen = take_options(args, pos, {"uCS", "", {"unset", "chdir", "split-string"}});
  for (const ScannedOption& o : seen) {
    if (o.name == "C" || o.name == "chdir") {
      inv.working_dir = o.value;
    } else if (o.name == "S" || o.name == "split-string") {
      // `env -S "python3 -u" x.py`: the string is split into words that come first.
      Args words;
      for (ShellToken& t : split_shell_words(o.value).tokens) {
        words.push_back(std::move(t.text));
      }
      words.insert(words.end(), args.begin() + static_cast<std::ptrdiff_t>(pos), args.end());
      args = std::move(words);
      pos = 0;
    }
  }
  if (pos < args.size() && args[pos] == "-") {
    ++pos; // the old spelling of -i
  }
  while (pos < args.size() && is_env_assignment(args[pos])) {
    ++pos;
  }
  return rest_is_command(args, pos);
}

bool peel_nice(Invocation&, Args& args, std::size_t& pos) {
  take_options(args, pos, {"n", "", {"adjustment"}});
  return rest_is_command(args, pos);
}

bool peel_ionice(Invocation&, Args& args, std::size_t& pos) {
  auto seen = take_options(args, pos, {"cnpPu", "", {"class", "classdata", "pid", "pgid", "uid"}});
  if (has_option(seen, "p", "pid") || has_option(seen, "P", "pgid") ||
      has_option(seen, "u", "uid")) {
    return false; // changes a running process
  }
  return rest_is_command(args, pos);
}

bool peel_timeout(Invocation&, Args& args, std::size_t& pos) {
  take_options(args, pos, {"sk", "", {"signal", "kill-after"}});
  ++pos; // the duration
  return rest_is_command(args, pos);
}

bool peel_exec(Invocation&, Args& args, std::size_t& pos) {
  take_options(args, pos, {"a", "", {}});
  return rest_is_command(args, pos);
}

bool peel_stdbuf(Invocation&, Args& args, std::size_t& pos) {
  take_options(args, pos, {"ioe", "", {"input", "output", "error"}});
  return rest_is_command(args, pos);
}

bool peel_time(Invocation&, Args& args, std::size_t& pos) {
  take_options(args, pos, {"fo", "", {"format", "output"}});
  return rest_is_command(args, pos);
}

bool peel_command(Invocation&, Args& args, std::size_t& pos) {
  auto seen = take_options(args, pos, {});
  return !has_option(seen, "v") && !has_option(seen, "V") && rest_is_command(args, pos);
}

bool peel_xargs(Invocation&, Args& args, std::size_t& pos) {
  take_options(
      args, pos,
      {"aEdILnPs",
       "eil",
       {"arg-file", "delimiter", "max-args", "max-procs", "max-chars", "process-slot-var"}});
  return rest_is_command(args, pos);
}

bool peel_chrt(Invocation&, Args& args, std::size_t& pos) {
  auto seen =
      take_options(args, pos, {"TPD", "", {"sched-runtime", "sched-period", "sched-deadline"}});
  if (has_option(seen, "p", "pid")) {
    return false;
  }
  ++pos; // the priority
  return rest_is_command(args, pos);
}

bool peel_taskset(Invocation&, Args& args, std::size_t& pos) {
  auto seen = take_options(args, pos, {});
  if (has_option(seen, "p", "pid")) {
    return false;
  }
  ++pos; // the CPU mask or list
  return rest_is_command(args, pos);
}

bool peel_word_then_command(Invocation&, Args& args, std::size_t& pos, std::string_view word) {
  if (pos >= args.size() || args[pos] != word) {
    return false;
  }
  ++pos;
  return rest_is_command(args, pos);
}

bool peel_bundle(Invocation& inv, Args& args, std::size_t& pos) {
  return peel_word_then_command(inv, args, pos, "exec");
}

bool peel_run_subcommand(Invocation&, Args& args, std::size_t& pos) {
  if (pos >= args.size() || args[pos] != "run") {
    return false;
  }
  ++pos;
  take_options(
      args, pos,
      {"p",
       "",
       {"with", "python", "project", "directory", "env-file", "extra", "group", "package"}});
  return rest_is_command(args, pos);
}

// `uv run job.py` runs the file with uv's Python, as `python job.py` would.
bool peel_uv(Invocation& inv, Args& args, std::size_t& pos) {
  if (!peel_run_subcommand(inv, args, pos)) {
    return false;
  }
  const std::string& next = args[pos];
  if (next.size() > 3 && next.compare(next.size() - 3, 3, ".py") == 0) {
    args.insert(args.begin() + static_cast<std::ptrdiff_t>(pos), "python");
  }
  return true;
}

bool peel_cronitor(Invocation& inv, Args& args, std::size_t& pos) {
  if (pos + 1 >= args.size() || args[pos] != "exec") {
    return false;
  }
  pos += 2; // "exec" and the monitor key; cronitor runs the rest through a shell
  inv.shell_script = join_words(args, pos);
  return true;
}

bool peel_eval(Invocation& inv, Args& args, std::size_t& pos) {
  if (!rest_is_command(args, pos)) {
    return false;
  }
  inv.shell_script = join_words(args, pos);
  return true;
}

bool peel_shell(Invocation& inv, Args& args, std::size_t& pos) {
  ShellOptions options = scan_shell_options(args, pos);
  if (!options.command_mode) {
    return false; // `bash script.sh`: the shell is the interpreter, not a wrapper
  }
  inv.shell_script = options.next < args.size() ? args[options.next] : std::string{};
  pos = options.next;
  return true;
}

struct Wrapper {
  std::string_view name;
  std::string_view label; // what `wrappers` records; empty: the name
  Peeler peel;
};

constexpr std::array<Wrapper, 42> wrappers = {{
    {"env", "", peel_env},
    {"nice", "", peel_nice},
    {"ionice", "", peel_ionice},
    {"timeout", "", peel_timeout},
    {"flock", "", peel_flock},
    {"lckdo", "", peel_lckdo},
    {"setlock", "", peel_setlock},
    {"with-lock-ex", "", peel_with_lock_ex},
    {"run-one", "", peel_run_one},
    {"chronic", "", peel_plain},
    {"cronic", "", peel_plain},
    {"nohup", "", peel_nohup},
    {"setsid", "", peel_plain},
    {"unbuffer", "", peel_plain},
    {"eatmydata", "", peel_plain},
    {"nocache", "", peel_plain},
    {"exec", "", peel_exec},
    {"stdbuf", "", peel_stdbuf},
    {"time", "", peel_time},
    {"command", "", peel_command},
    {"builtin", "", peel_nohup},
    {"xargs", "", peel_xargs},
    {"chrt", "", peel_chrt},
    {"taskset", "", peel_taskset},
    {"busybox", "", peel_nohup},
    {"sudo", "", peel_sudo},
    {"doas", "", peel_doas},
    {"su", "", peel_su},
    {"runuser", "", peel_runuser},
    {"docker", "", peel_docker},
    {"docker-compose", "", peel_docker_compose},
    {"kubectl", "", peel_kubectl},
    {"dokku", "", peel_dokku},
    {"tmux", "", peel_tmux},
    {"screen", "", peel_screen},
    {"bundle", "bundle exec", peel_bundle},
    {"bundler", "bundle exec", peel_bundle},
    {"pipenv", "pipenv run", peel_run_subcommand},
    {"poetry", "poetry run", peel_run_subcommand},
    {"uv", "uv run", peel_uv},
    {"cronitor", "cronitor exec", peel_cronitor},
    {"eval", "", peel_eval},
}};

const Wrapper* find_wrapper(std::string_view name) {
  for (const Wrapper& w : wrappers) {
    if (w.name == name) {
      return &w;
    }
  }
  return nullptr;
}

} // namespace

bool has_option(const std::vector<ScannedOption>& seen, std::string_view short_name,
                std::string_view long_name) {
  return std::any_of(seen.begin(), seen.end(), [&](const ScannedOption& o) {
    return o.is_long ? (!long_name.empty() && o.name == long_name) : o.name == short_name;
  });
}

std::vector<ScannedOption> take_options(const Args& args, std::size_t& pos, OptionSpec spec) {
  std::vector<ScannedOption> seen;
  OptionScanner scanner(args, pos, std::move(spec));
  while (auto option = scanner.next()) {
    seen.push_back(std::move(*option));
  }
  pos = scanner.position();
  return seen;
}

std::string join_words(const Args& args, std::size_t from) {
  std::string joined;
  for (std::size_t i = from; i < args.size(); ++i) {
    if (i > from) {
      joined.push_back(' ');
    }
    joined += args[i];
  }
  return joined;
}

bool is_env_assignment(const std::string& word) {
  const std::size_t eq = word.find('=');
  return eq != std::string::npos && eq > 0 && word.find('/') > eq;
}

} // namespace detail

bool is_shell_name(std::string_view name) {
  static constexpr std::array<std::string_view, 13> shells = {
      "sh",  "bash", "dash", "zsh", "ksh",  "ksh93", "mksh",
      "ash", "yash", "posh", "csh", "tcsh", "fish"};
  return std::find(shells.begin(), shells.end(), name) != shells.end();
}

ShellOptions scan_shell_options(const std::vector<std::string>& args, std::size_t start) {
  ShellOptions options;
  std::size_t pos = start;
  while (pos < args.size()) {
    const std::string& word = args[pos];
    if (word == "--" || word == "-") {
      ++pos;
      break;
    }
    if (word.size() < 2 || (word[0] != '-' && word[0] != '+')) {
      break;
    }
    ++pos;
    if (word == "--rcfile" || word == "--init-file") {
      ++pos;
    } else if (word[1] != '-') {
      options.command_mode = options.command_mode || word.find('c') != std::string::npos;
      // -o/-O take the next word (`-o pipefail`), once per letter in the cluster.
      pos += static_cast<std::size_t>(std::count(word.begin(), word.end(), 'o') +
                                      std::count(word.begin(), word.end(), 'O'));
    }
  }
  options.next = std::min(pos, args.size());
  return options;
}

Invocation unwrap(std::vector<std::string> argv) {
  Invocation inv;
  std::size_t pos = 0;
  for (int round = 0; round < detail::max_wrappers && pos < argv.size(); ++round) {
    const std::string name(base_name(argv[pos])); // a copy: env -S may replace argv
    const bool shell = is_shell_name(name);
    const detail::Wrapper* wrapper = shell ? nullptr : detail::find_wrapper(name);
    if (!shell && wrapper == nullptr) {
      break;
    }
    std::size_t next = pos + 1;
    const bool peeled =
        shell ? detail::peel_shell(inv, argv, next) : wrapper->peel(inv, argv, next);
    if (!peeled) {
      break;
    }
    inv.wrappers.push_back(shell                    ? name + " -c"
                           : wrapper->label.empty() ? name
                                                    : std::string(wrapper->label));
    pos = next;
    if (inv.shell_script || inv.lock_only) {
      return inv;
    }
  }
  pos = std::min(pos, argv.size());
  inv.argv.assign(argv.begin() + static_cast<std::ptrdiff_t>(pos), argv.end());
  return inv;
}

} // namespace digger::command
