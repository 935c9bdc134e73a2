// supervisord's arguments as supervisor/options.py (Options.realize) reads them: Python's
// getopt.getopt with ServerOptions' options, no positional argument, each option at most once.
#include "digger/units/supervisor_command_line.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace digger::units {
namespace {

// "c:hvnsu:...": the short options; a ':' after a letter = it takes a value.
constexpr std::string_view short_options = "h?c:vnu:m:d:l:y:z:e:j:i:q:a:kts";

// ServerOptions' long options; '=' = takes a value.
constexpr std::array<std::string_view, 20> long_options{
    "help",      "configuration=", "version",     "nodaemon",          "user=",
    "umask=",    "directory=",     "logfile=",    "logfile_maxbytes=", "logfile_backups=",
    "loglevel=", "pidfile=",       "identifier=", "childlogdir=",      "minfds=",
    "minprocs=", "nocleanup",      "strip_ansi",  "profile_options=",  "silent"};

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Where supervisord's own arguments start: after argv[0] = supervisord, or after an
// interpreter's script argument (`/usr/bin/python3 /usr/bin/supervisord -c ...`). 0: not it.
std::size_t arguments_start(std::span<const std::string> argv) {
  if (!argv.empty() && base_name(argv[0]) == "supervisord") {
    return 1;
  }
  if (argv.size() > 1 && base_name(argv[1]) == "supervisord") {
    return 2;
  }
  return 0;
}

struct Option {
  std::string name; // "c" or "configuration"
  bool takes_value = false;
  std::string error;
};

// getopt.long_has_args: an exact name, else the one option the prefix starts.
Option long_option(std::string_view name) {
  std::vector<std::string_view> matches;
  for (auto option : long_options) {
    const bool value = option.ends_with('=');
    const auto bare = value ? option.substr(0, option.size() - 1) : option;
    if (bare == name) {
      return {std::string(bare), value, {}};
    }
    if (bare.starts_with(name)) {
      matches.push_back(option);
    }
  }
  if (matches.size() != 1) {
    return {{},
            false,
            matches.empty() ? "option --" + std::string(name) + " not recognized"
                            : "option --" + std::string(name) + " not a unique prefix"};
  }
  const bool value = matches[0].ends_with('=');
  return {std::string(value ? matches[0].substr(0, matches[0].size() - 1) : matches[0]), value, {}};
}

class Reader {
public:
  explicit Reader(std::span<const std::string> args) : args_(args) {}

  SupervisordCommandLine run() {
    SupervisordCommandLine out;
    out.is_supervisord = true;
    while (at_ < args_.size() && out.error.empty()) {
      const std::string_view arg = args_[at_++];
      if (arg == "--") {
        break;
      }
      if (arg.size() < 2 || arg[0] != '-') {
        --at_; // getopt stops here; supervisord allows no positional argument
        break;
      }
      if (arg[1] == '-') {
        long_arg(arg.substr(2), out);
      } else {
        short_group(arg.substr(1), out);
      }
    }
    if (out.error.empty() && at_ < args_.size()) {
      out.error = "positional arguments are not supported";
    }
    if (!out.error.empty()) {
      out.config.clear();
    }
    return out;
  }

private:
  void set_config(std::string value, std::string_view option, SupervisordCommandLine& out) {
    if (seen_config_) {
      out.error = "conflicting command line option '" + std::string(option) + "'";
      return;
    }
    seen_config_ = true;
    out.config = std::move(value);
  }

  void long_arg(std::string_view arg, SupervisordCommandLine& out) {
    const auto equals = arg.find('=');
    const auto option = long_option(arg.substr(0, equals));
    if (!option.error.empty()) {
      out.error = option.error;
      return;
    }
    std::string value;
    if (option.takes_value) {
      if (equals != std::string_view::npos) {
        value = std::string(arg.substr(equals + 1));
      } else if (at_ < args_.size()) {
        value = args_[at_++];
      } else {
        out.error = "option --" + option.name + " requires argument";
        return;
      }
    } else if (equals != std::string_view::npos) {
      out.error = "option --" + option.name + " must not have an argument";
      return;
    }
    if (option.name == "configuration") {
      set_config(std::move(value), "--configuration", out);
    }
  }

  // "-nc", "-cPATH", "-c PATH": letters until one that takes a value, which takes the rest of
  // the word or, when nothing is left, the next argument.
  void short_group(std::string_view letters, SupervisordCommandLine& out) {
    for (std::size_t i = 0; i < letters.size() && out.error.empty(); ++i) {
      const char letter = letters[i];
      const auto at = short_options.find(letter);
      if (letter == ':' || at == std::string_view::npos) {
        out.error = std::string("option -") + letter + " not recognized";
        return;
      }
      if (at + 1 >= short_options.size() || short_options[at + 1] != ':') {
        continue;
      }
      std::string value;
      if (i + 1 < letters.size()) {
        value = std::string(letters.substr(i + 1));
      } else if (at_ < args_.size()) {
        value = args_[at_++];
      } else {
        out.error = std::string("option -") + letter + " requires argument";
        return;
      }
      if (letter == 'c') {
        set_config(std::move(value), "-c", out);
      }
      return;
    }
  }

  std::span<const std::string> args_;
  std::size_t at_ = 0;
  bool seen_config_ = false;
};

} // namespace

SupervisordCommandLine parse_supervisord_command_line(std::span<const std::string> argv) {
  const auto start = arguments_start(argv);
  if (start == 0) {
    return {};
  }
  return Reader(argv.subspan(start)).run();
}

} // namespace digger::units
