// Terminal multiplexers started detached from cron (`tmux new-session -d 'cmd'`,
// `screen -dmS name cmd`): the program they start in the new window does the work.
#include "digger/command/option_scan.hpp"

#include <string_view>

#include "wrapper_peelers.hpp"

namespace digger::command::detail {
namespace {

// tmux's global options, then the options of new-session / new-window (the union: -c is the
// start directory for both, -n, -s, -t, -e ... take a value).
const OptionSpec tmux_global_spec{"cfLST", "", {}};
const OptionSpec tmux_window_spec{"ceFfnstxy", "", {}};

bool is_tmux_start(std::string_view word) {
  return word == "new-session" || word == "new" || word == "new-window" || word == "neww";
}

// screen's options that take a value ("-S name", "-Sname").
bool screen_value_letter(char c) {
  return std::string_view("ScehpstT").find(c) != std::string_view::npos;
}

// screen options that talk to a running session or list them: nothing new is started.
bool screen_no_start_letter(char c) {
  return std::string_view("XrRxlQ").find(c) != std::string_view::npos;
}

} // namespace

bool peel_tmux(Invocation& inv, Args& args, std::size_t& pos) {
  OptionScanner globals(args, pos, tmux_global_spec);
  while (auto o = globals.next()) {
    if (o->name == "c") { // `tmux -c CMD`: tmux runs CMD with its default shell
      inv.shell_script = o->value;
      return true;
    }
  }
  pos = globals.position();
  if (pos >= args.size() || !is_tmux_start(args[pos])) {
    return false;
  }
  ++pos;
  OptionScanner options(args, pos, tmux_window_spec);
  while (auto o = options.next()) {
    if (o->name == "c") {
      inv.working_dir = o->value;
    }
  }
  pos = options.position();
  if (pos + 1 == args.size()) { // one argument: a shell command, run by the default shell
    inv.shell_script = args[pos];
    return true;
  }
  return rest_is_command(args, pos); // several: tmux runs them as a program and its arguments
}

bool peel_screen(Invocation&, Args& args, std::size_t& pos) {
  while (pos < args.size() && args[pos].size() > 1 && args[pos][0] == '-') {
    const std::string& word = args[pos++];
    if (word == "--") {
      break;
    }
    if (word == "-Logfile" || word == "-ls" || word == "-list" || word == "-wipe") {
      if (word != "-Logfile") {
        return false;
      }
      ++pos; // its file
      continue;
    }
    for (std::size_t i = 1; i < word.size(); ++i) {
      if (screen_no_start_letter(word[i])) {
        return false;
      }
      if (screen_value_letter(word[i])) {
        pos += i + 1 == word.size() ? 1 : 0; // "-S name"; "-Sname" holds its value
        break;
      }
    }
  }
  return rest_is_command(args, pos);
}

} // namespace digger::command::detail
