// systemd services that keep a queue worker running (issue 18): a *.service of
// /etc/systemd/system that no timer starts, whose ExecStart= runs a known worker command, is
// one worker entry; any other service is recorded without entries.
#include "digger/collect/readers.hpp"
#include "digger/command/shell_words.hpp"
#include "digger/judge/markers.hpp"
#include "digger/secrets/secrets.hpp"
#include "digger/units/unit_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace digger::collect {
namespace {

// The words that make a command a queue worker (docs/workers.md): Laravel's
// queue:work / queue:listen / horizon, `celery ... worker`, Sidekiq, Resque, RQ and Dramatiq.
constexpr std::array<std::string_view, 5> worker_words{"queue:work", "queue:listen", "horizon",
                                                       "resque:work", "resque:workers"};
constexpr std::array<std::string_view, 3> worker_programs{"sidekiq", "sidekiqswarm", "dramatiq"};

// Types whose main process is the long-running program (not oneshot; forking daemonises).
bool long_running(std::string_view type) {
  return type.empty() || type == "simple" || type == "exec" || type == "notify";
}

std::string_view base_of(std::string_view word) {
  const auto slash = word.rfind('/');
  return slash == std::string_view::npos ? word : word.substr(slash + 1);
}

// Whether a command line runs a known queue worker; the word that says so, or "".
std::string worker_evidence(std::string_view command) {
  const auto words = command::split_shell_words(command);
  bool celery = false;
  for (const auto& token : words.tokens) {
    if (token.kind != command::ShellTokenKind::word) {
      continue;
    }
    const std::string_view word = token.text;
    const auto base = base_of(word);
    if (std::find(worker_words.begin(), worker_words.end(), word) != worker_words.end()) {
      return std::string(word);
    }
    if (std::find(worker_programs.begin(), worker_programs.end(), base) != worker_programs.end()) {
      return std::string(base);
    }
    celery = celery || base == "celery" || base == "rq";
    if (celery && word == "worker") {
      return "worker";
    }
  }
  return {};
}

} // namespace

SourceRead read_worker_unit(const CronSource& file, const ReadContext& context) {
  SourceRead read{base_source_row(file, context.host), {}};
  note_truncation(read.row, file);
  const auto unit = units::parse_unit_file(file.content);
  const auto service = units::read_service(unit);
  if (service.exec_start.empty() || !long_running(service.type)) {
    return read;
  }
  const std::string& command = service.exec_start.front();
  const auto evidence = worker_evidence(command);
  if (evidence.empty()) {
    return read;
  }
  const auto* exec = unit.last("Service", "ExecStart");
  const auto* restart = unit.last("Service", "Restart");
  const auto name = base_name(file.path);
  Job job;
  auto& entry = job.row;
  entry.kind = "worker";
  entry.line_number = exec ? exec->line : 0;
  entry.raw = "ExecStart=" + command;
  entry.command = command;
  entry.run_as = service.user.empty() ? "root" : service.user;
  const std::string policy = restart && !restart->value.empty() ? restart->value : "no";
  entry.description =
      fmt::format("systemd service {}, Restart={} (worker: {})", name, policy, evidence);
  catalog::WorkerRow worker;
  worker.manager = "systemd";
  worker.name = std::string(name);
  worker.restart = policy;
  worker.directory = service.working_directory;
  for (const auto& setting : service.environment) {
    worker.environment.push_back(setting.name + "=" +
                                 secrets::redact_env_value(setting.name, setting.value).text);
  }
  entry.worker = std::move(worker);
  job.has_command = true;
  job.owner = file.file_owner;
  job.file_marker = judge::file_marker(file.content);
  read.jobs.push_back(std::move(job));
  return read;
}

} // namespace digger::collect
