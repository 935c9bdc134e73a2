// Supervisor's files as catalog rows (issue 18): each program section becomes one worker entry,
// in the file that holds its command=, read as supervisord reads the configuration it starts
// with (units/supervisor_config.hpp). A file no configuration includes is recorded as not loaded.
#include "digger/collect/readers.hpp"
#include "digger/judge/markers.hpp"
#include "digger/secrets/secrets.hpp"
#include "digger/units/supervisor_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace digger::collect {
namespace {

// The files supervisord is started with: Debian's unit passes -c /etc/supervisor/supervisord.conf,
// EPEL's /etc/supervisord.conf. Both are read when both exist (two daemons are possible), and
// so is each configuration a running supervisord was started with (-c PATH).
constexpr std::array<std::string_view, 2> standard_main_files{"/etc/supervisor/supervisord.conf",
                                                              "/etc/supervisord.conf"};
// Each Supervisor file of a host resolves the configuration again (its reader sees one file),
// so the work is files x bytes: bounded here, a host cannot make its own scan slow
// (docs/workers.md).
constexpr std::size_t max_candidates = 64;
constexpr std::size_t max_candidate_bytes = 1024 * 1024;

std::vector<units::SupervisorFile> candidates(const std::vector<CronSource>& sources) {
  std::vector<units::SupervisorFile> out;
  std::size_t bytes = 0;
  for (const auto& source : sources) {
    if (source.kind != SourceKind::supervisor || out.size() == max_candidates ||
        bytes + source.content.size() > max_candidate_bytes) {
      continue;
    }
    bytes += source.content.size();
    out.push_back({source.path, source.content});
  }
  return out;
}

std::vector<std::string> environment_of(const units::SupervisorProgram& program) {
  std::vector<std::string> out;
  for (const auto& [name, value] : program.environment) {
    out.push_back(name + "=" + secrets::redact_env_value(name, value).text);
  }
  return out;
}

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' '); // shlex splits on newlines too
  return text;
}

// What supervisord's log says about the program's processes (docs/workers.md, "Crash loops").
// The log of the configuration (its logfile=), when read: nullptr = unknown.
const units::SupervisorLog* log_of(const units::SupervisorConfig& config, const HostContext& host) {
  const auto found = host.supervisor_logs.find(config.logfile);
  return found == host.supervisor_logs.end() || found->second.log.lines == 0 ? nullptr
                                                                             : &found->second.log;
}

void note_crashes(const units::SupervisorProgram& program, const units::SupervisorConfig& config,
                  const HostContext& host, Job& job, catalog::WorkerRow& worker) {
  const auto* log = log_of(config, host);
  if (log == nullptr) {
    return; // no log read: unknown, not zero
  }
  const auto crashes = units::supervisor_crashes(*log, program.process_names);
  worker.unexpected_exits = crashes.unexpected_exits;
  worker.gave_up = crashes.gave_up;
  worker.last_exit = crashes.last_exit;
  worker.gave_up_at = crashes.last_gave_up;
  if (units::is_crash_loop(crashes)) {
    job.reader_flags.push_back("crash-loop");
  }
}

Job worker_job(const units::SupervisorProgram& program, const units::SupervisorConfig& config,
               const CronSource& file, const HostContext& host) {
  Job job;
  auto& entry = job.row;
  entry.kind = "worker";
  entry.line_number = program.command_line > 0 ? program.command_line : program.line;
  entry.raw = fmt::format("[{}:{}]", program.kind, program.name);
  entry.command = one_line(program.command);
  entry.run_as = !program.user.empty()         ? program.user
                 : !config.daemon_user.empty() ? config.daemon_user
                                               : "root";
  entry.description =
      fmt::format("supervisor {} {}, {} process{}, autorestart={}{}", program.kind, program.name,
                  program.numprocs, program.numprocs == 1 ? "" : "es", program.autorestart,
                  program.autostart ? "" : ", not started with supervisord");
  catalog::WorkerRow worker;
  worker.manager = "supervisor";
  worker.name = program.name;
  worker.group = program.group;
  worker.instances = program.numprocs;
  worker.process_names = program.process_names;
  worker.autostart = program.autostart;
  worker.restart = program.autorestart;
  worker.directory = program.directory;
  worker.environment = environment_of(program);
  worker.unresolved = program.unresolved;
  worker.rejected = config.rejected;
  note_crashes(program, config, host, job, worker);
  if (!config.rejected.empty()) {
    job.reader_flags.push_back("supervisor-rejected");
  }
  if (!program.autostart) {
    job.reader_flags.push_back("worker-not-autostarted");
  }
  entry.worker = std::move(worker);
  job.has_command = !program.command.empty();
  job.owner = file.file_owner;
  job.file_marker = judge::file_marker(file.content);
  return job;
}

bool was_read(const units::SupervisorConfig& config, std::string_view path) {
  return std::find(config.files_read.begin(), config.files_read.end(), path) !=
         config.files_read.end();
}

// The files supervisord starts with: the standard two, then each -c of a running supervisord.
std::vector<std::string> main_files(const HostContext& host) {
  std::vector<std::string> out(standard_main_files.begin(), standard_main_files.end());
  for (const auto& [path, how] : host.supervisord_configs) {
    if (std::find(out.begin(), out.end(), path) == out.end()) {
      out.push_back(path);
    }
  }
  return out;
}

void note_config(catalog::SourceRow& row, const units::SupervisorConfig& config,
                 std::string_view main, const HostContext& host) {
  if (!config.rejected.empty()) {
    row.loaded_by_daemon = false;
    row.not_loaded_reason = "rejected: would not run: " + config.rejected;
  }
  if (row.path == main) {
    for (const auto& path : config.files_read) {
      row.load_notes.push_back("reads " + path);
    }
    row.load_notes.insert(row.load_notes.end(), config.warnings.begin(), config.warnings.end());
    for (const auto& [path, how] : host.supervisord_configs) {
      if (path == main) {
        row.load_notes.push_back(how);
      }
    }
    // Its log (logfile=): what was read of it or why not; nothing when it does not exist.
    if (const auto log = host.supervisor_logs.find(config.logfile);
        log != host.supervisor_logs.end()) {
      row.load_notes.push_back(log->second.note);
    }
  }
}

} // namespace

SourceRead read_supervisor(const CronSource& file, const ReadContext& context) {
  SourceRead read{base_source_row(file, context.host), {}};
  note_truncation(read.row, file);
  const auto files = candidates(context.sources);
  bool included = false;
  for (const auto& main : main_files(context.host)) {
    const auto found = std::find_if(files.begin(), files.end(),
                                    [&](const auto& candidate) { return candidate.path == main; });
    if (found == files.end()) {
      continue;
    }
    const auto config = units::read_supervisor_config(*found, files, "");
    if (!was_read(config, file.path)) {
      continue;
    }
    included = true;
    note_config(read.row, config, main, context.host);
    for (const auto& program : config.programs) {
      if ((program.command_file.empty() ? program.file : program.command_file) == file.path) {
        read.jobs.push_back(worker_job(program, config, file, context.host));
      }
    }
  }
  if (!included) {
    const bool considered = std::any_of(files.begin(), files.end(), [&](const auto& candidate) {
      return candidate.path == file.path;
    });
    read.row.loaded_by_daemon = false;
    read.row.not_loaded_reason =
        considered ? "no supervisord configuration includes this file"
                   : "not resolved: over 64 Supervisor files or 1 MiB of them on this host";
  }
  return read;
}

} // namespace digger::collect
