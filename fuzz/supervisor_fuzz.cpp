// Any bytes as a supervisord configuration: the main file, and the same bytes split in two as
// an included file; the same bytes as supervisord's log and as a supervisord command line. No
// crash, no leak, no hang, and the invariants the reader relies on hold.

#include "digger/units/supervisor_command_line.hpp"
#include "digger/units/supervisor_config.hpp"
#include "digger/units/supervisor_log.hpp"
#include "digger/units/supervisor_values.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_config(std::string_view main_text, std::string_view included) {
  using namespace digger::units;
  const SupervisorFile main{"/etc/supervisor/supervisord.conf", main_text};
  const std::vector<SupervisorFile> files{main, {"/etc/supervisor/conf.d/a.conf", included}};
  const auto config = read_supervisor_config(main, files, "");
  check(!config.files_read.empty() && config.files_read.front() == main.path);
  for (const auto& program : config.programs) {
    check(program.process_names.size() <= max_process_names);
    check(!program.error.empty() ? !config.rejected.empty() : true);
    check(program.autorestart == "true" || program.autorestart == "false" ||
          program.autorestart == "unexpected");
  }
}

// The log's counts are bounded by its lines, its names by the bounds, and a program's sum by
// the log's own totals.
void check_log(std::string_view text, bool partial) {
  using namespace digger::units;
  const auto log = read_supervisor_log(text, partial);
  check(log.processes.size() <= max_log_processes);
  std::int64_t exits = 0;
  std::vector<std::string> names;
  for (const auto& process : log.processes) {
    check(!process.name.empty() && process.name.size() <= max_log_name_bytes);
    check(process.unexpected_exits + process.gave_up <= static_cast<std::int64_t>(log.lines));
    check(process.last_exit.size() == (process.unexpected_exits > 0 ? 19u : 0u));
    exits += process.unexpected_exits;
    names.push_back(process.name);
  }
  check(supervisor_crashes(log, names).unexpected_exits <= exits);
}

// Arguments split at newlines, as the collector sends /proc/PID/cmdline.
void check_command_line(std::string_view text) {
  std::vector<std::string> argv{"/usr/bin/supervisord"};
  for (std::size_t at = 0; at <= text.size() && argv.size() < 256;) {
    const auto end = std::min(text.find('\n', at), text.size());
    argv.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  const auto line = digger::units::parse_supervisord_command_line(argv);
  check(line.is_supervisord);
  check(line.error.empty() || line.config.empty());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_config(text, "");
  const auto half = text.size() / 2;
  check_config(std::string("[supervisord]\n[include]\nfiles=conf.d/*.conf\n") +
                   std::string(text.substr(0, half)),
               text.substr(half));
  (void)digger::units::expand_percent(text, {{"program_name", std::string("p")},
                                             {"process_num", std::int64_t{0}},
                                             {"host_node_name", std::monostate{}}});
  (void)digger::units::supervisor_key_values(text);
  check_log(text, false);
  check_log(text, true);
  check_command_line(text);
  return 0;
}
