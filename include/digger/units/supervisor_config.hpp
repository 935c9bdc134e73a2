#pragma once

// A supervisord configuration as supervisord reads it at start (supervisor/options.py
// ServerOptions.read_config and process_groups_from_parser): the main file, its [include]
// globs, and every process section with its options expanded. Pure: the caller hands over the
// main file and every file it could include (a scan: the files the collector listed).

#include "digger/units/supervisor_ini.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace digger::units {

struct SupervisorFile {
  std::string_view path; // absolute, as listed on the host
  std::string_view text;
};

struct SupervisorProgram {
  std::string kind;  // "program", "fcgi-program" or "eventlistener"
  std::string name;  // after the ':' of the section name
  std::string group; // the [group:x] naming it, else its own name
  std::string file;  // where the section first appears
  int line = 0;
  std::string command;  // expanded for the first process; "" when missing
  int command_line = 0; // the line of command=, in `command_file`
  std::string command_file;
  std::int64_t numprocs = 1, numprocs_start = 0;
  std::vector<std::string> process_names; // expanded, at most max_process_names
  std::string user;                       // "" = supervisord's own user
  std::string directory;
  bool autostart = true;
  std::string autorestart = "unexpected"; // "true", "false" or "unexpected"
  // environment=, expanded and split: VALUES MAY BE SECRETS, redact before storing anything.
  std::vector<std::pair<std::string, std::string>> environment;
  std::vector<std::string> unresolved; // "ENV_HOME": cannot be known without the running daemon
  std::string error; // why supervisord refuses this section (and so starts nothing)
};

struct SupervisorConfig {
  std::vector<std::string> files_read; // the main file, then the includes in reading order
  std::vector<SupervisorProgram> programs;
  std::string daemon_user; // [supervisord] user=, "" = whoever starts it (root under systemd)
  // [supervisord] logfile=, expanded and normalised when absolute; "" when unset or relative
  // (supervisord.log in the directory it was started from: not known to a scan) or "syslog".
  std::string logfile;
  // Why supervisord would refuse to start with this configuration (nothing of it runs then):
  // the first error it meets, e.g. "Format string for 'program:x.command' is badly formatted:
  // unsupported format character 't' (0x74) at index 12 (file: '/etc/...')".
  std::string rejected;
  std::vector<std::string> warnings; // includes matching nothing
};

inline constexpr std::size_t max_process_names = 64;

// `main` is the file supervisord is started with; `candidates` every file an [include] glob may
// reach (main among them or not). `host_node_name` is %(host_node_name)s ("" = unknown). Include
// globs follow Python's glob.glob: relative to the main file's directory, `*`/`?`/`[...]` within
// one path component, no match for names starting with '.', matches read in sorted order,
// included files' own [include] ignored. Never throws.
SupervisorConfig read_supervisor_config(const SupervisorFile& main,
                                        std::span<const SupervisorFile> candidates,
                                        std::string_view host_node_name);

// Whether `path` matches one include glob (already absolute and normalised), as glob.glob would.
bool supervisor_glob_match(std::string_view path, std::string_view pattern);

} // namespace digger::units
