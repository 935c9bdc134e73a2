#pragma once

// Which configuration a running supervisord was started with, from its command line
// (/proc/PID/cmdline): `supervisord -c PATH` as supervisor/options.py reads it with Python's
// getopt. Pure: the collector reads the process list and the files (docs/workers.md, "A custom
// configuration"); this only says what the arguments mean.

#include <span>
#include <string>
#include <string_view>

namespace digger::units {

struct SupervisordCommandLine {
  bool is_supervisord = false; // argv[0] is supervisord, or an interpreter running it (argv[1])
  std::string config;          // the -c/--configuration value; "" = none (the default search)
  std::string error;           // why supervisord would refuse these arguments (then: no config)
};

// getopt.getopt(argv, "c:hvnsu:m:d:l:y:z:e:j:i:q:ka:t", long options of ServerOptions): short
// options grouped (`-nc PATH`, `-cPATH`), long ones by any unique prefix (`--conf=PATH`,
// `--configuration PATH`), options end at `--` or the first other argument; a second -c is
// supervisord's "conflicting command line option". Never throws.
SupervisordCommandLine parse_supervisord_command_line(std::span<const std::string> argv);

} // namespace digger::units
