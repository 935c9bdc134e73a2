#pragma once

// The paths the remote collector reads, in one place: a table of our own constants that
// becomes the "preamble" of src/collect/remote/collector.sh, shell variable assignments the
// script reads (`user_dirs="/var/spool/cron ..."`). Nothing that came from a host is ever in it.

#include <string>
#include <string_view>
#include <vector>

namespace digger::collect {

// One shell variable and its paths (a space-separated list once in the script).
struct ShellPaths {
  std::string_view variable;
  std::vector<std::string_view> paths;
};

// `variable="path path ..."` lines, in the order given. Throws std::invalid_argument for a
// variable name outside [a-z_][a-z0-9_]* or a path that is empty or holds a byte
// outside [A-Za-z0-9/._-] (so that no shell ever interprets it, and lists split on spaces).
std::string shell_preamble(const std::vector<ShellPaths>& lists);

// What the collector reads (docs/collector.md, "What it reads"). The script relies on:
// system_crontab and anacrontab directly in /etc (one listing level of /etc), every unit
// directory holding "/systemd/", user_unit_dir relative to each home.
const std::vector<ShellPaths>& collector_paths();

} // namespace digger::collect
