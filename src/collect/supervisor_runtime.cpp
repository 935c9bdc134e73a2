// supervisord at run time (docs/workers.md): the tail of its log, parsed into exit counts per
// process name, and the running supervisords' -c configurations. Only counts, times and our
// own sentences are kept: no log line and no argument but the configuration path.
#include "digger/collect/host_context.hpp"
#include "digger/units/supervisor_command_line.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace digger::collect {
namespace {

// A path as a sentence may hold it: printable ASCII only (any other byte shown as '?').
std::string shown(std::string_view text) {
  std::string out(text.substr(0, 256));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c < ' ' || c > '~'; }, '?');
  return out;
}

void note_log(const HostSnapshot& snapshot, HostContext& context) {
  for (const auto& read : snapshot.supervisor_logs) {
    auto& facts = context.supervisor_logs[read.path];
    if (!read.note.empty()) {
      facts = {{}, fmt::format("{}: {}", shown(read.path), read.note)};
      continue;
    }
    facts.log = units::read_supervisor_log(read.bytes, read.from > 0);
    const auto& log = facts.log;
    facts.note = log.lines == 0
                     ? fmt::format("{}: read, no supervisord line in its last {} bytes",
                                   shown(read.path), read.bytes.size())
                     : fmt::format("{}: read its last {} bytes, {} to {}", shown(read.path),
                                   read.bytes.size(), log.first_time, log.last_time);
  }
}

void note_processes(const HostSnapshot& snapshot, HostContext& context) {
  for (const auto& process : snapshot.supervisord_processes) {
    const auto line = units::parse_supervisord_command_line(process.argv);
    if (!line.is_supervisord || line.config.empty() || line.config.front() != '/') {
      continue; // the default search (the standard files) or arguments supervisord refuses
    }
    auto how = fmt::format("started by pid {} (uid {}) with -c {}", process.pid, shown(process.uid),
                           shown(line.config));
    const auto known =
        std::find_if(context.supervisord_configs.begin(), context.supervisord_configs.end(),
                     [&](const auto& config) { return config.first == line.config; });
    if (known == context.supervisord_configs.end()) {
      context.supervisord_configs.emplace_back(line.config, std::move(how));
    }
  }
}

} // namespace

void note_supervisor_runtime(const HostSnapshot& snapshot, HostContext& context) {
  note_log(snapshot, context);
  note_processes(snapshot, context);
}

} // namespace digger::collect
