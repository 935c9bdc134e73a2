#include "digger/collect/job_judgement.hpp"

#include "digger/collect/host_record.hpp"
#include "digger/command/language_evidence.hpp"
#include "digger/judge/fingerprint.hpp"
#include "digger/judge/markers.hpp"
#include "digger/judge/verdict.hpp"
#include "digger/secrets/secrets.hpp"

#include <algorithm>

namespace digger::collect {
namespace {

void add_flag(catalog::EntryRow& row, std::string flag) {
  if (std::find(row.flags.begin(), row.flags.end(), flag) == row.flags.end()) {
    row.flags.push_back(std::move(flag));
  }
}

bool redact_field(std::string& text) {
  auto redaction = secrets::redact_secrets(text);
  if (!redaction.changed()) {
    return false;
  }
  text = std::move(redaction.text);
  return true;
}

// An env line's value is redacted as a value (a secret-looking name loses all of it), in
// place inside the raw line so the rest of the line stays byte-exact.
bool redact_env_line(catalog::EntryRow& row, const crontab::EnvSetting& env) {
  auto redaction = secrets::redact_env_value(env.name, env.value);
  if (!redaction.changed()) {
    return false;
  }
  auto at = env.value.empty() ? std::string::npos : row.raw.rfind(env.value);
  if (at == std::string::npos) {
    row.raw = env.name + "=" + redaction.text;
  } else {
    row.raw.replace(at, env.value.size(), redaction.text);
  }
  return true;
}

// `sudo -S cmd %PW%`: the raw crontab line holds the job's stdin after its first unescaped
// '%'; the command reads a secret from it, so all of it goes.
void redact_raw_input(std::string& raw) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\') {
      ++i;
    } else if (raw[i] == '%') {
      raw.replace(i + 1, std::string::npos, "***");
      return;
    }
  }
}

} // namespace

bool redact_row(catalog::EntryRow& row, const crontab::EnvSetting* env) {
  bool changed = env ? redact_env_line(row, *env) : false;
  changed = redact_field(row.raw) || changed;
  if (row.stdin_data && !row.stdin_data->empty() && secrets::reads_secret_from_stdin(row.command)) {
    redact_raw_input(row.raw);
  }
  if (row.stdin_data) { // with the clear command in view: `sudo -S cmd %PW`, `-U user%PW`
    auto input = secrets::redact_job_input(row.command, *row.stdin_data);
    changed = input.changed() || changed;
    row.stdin_data = std::move(input.text);
  }
  changed = redact_field(row.command) || changed;
  changed = redact_field(row.target) || changed;
  if (changed && (row.kind == "job" || row.kind == "disabled-job" || row.kind == "worker")) {
    add_flag(row, "secret-in-command");
  }
  return changed;
}

namespace {

// A commented-out job is not a batch: only a migration marker gives it a verdict.
void judge_disabled_job(catalog::EntryRow& row, const JobSurroundings& around) {
  if (!around.migrated_marker) {
    return;
  }
  row.verdict = "migrated";
  row.managed_by = *around.migrated_marker;
  row.verdict_reasons = {"commented out with a Digger migration marker"};
}

} // namespace

void judge_job(catalog::EntryRow& row, const JobSurroundings& around, const HostContext& host) {
  if (row.kind == "disabled-job") {
    judge_disabled_job(row, around);
    return;
  }
  const command::ProgramFacts* program =
      row.target.empty() || row.target.front() != '/' ? nullptr : host.program(row.target);
  if (!program) {
    program = around.fallback_program;
  }
  auto language = command::refine_language(around.command_language, row.evidence, program);
  row.language = std::string(command::language_name(language.language));
  row.evidence = language.evidence;
  if (program) {
    for (auto& flag : judge::program_flags(*program, row.run_as)) {
      add_flag(row, std::move(flag));
    }
    // The host checked this run-as user's uid and groups against the file and every directory
    // of its path: Digger did not read it for this job, and the job cannot read it either.
    const auto& denied = program->unreadable_by;
    if (std::find(denied.begin(), denied.end(), row.run_as) != denied.end()) {
      add_flag(row, "target-unreadable-by-owner");
    }
  }

  judge::VerdictInput input;
  input.source_kind = around.source_kind;
  input.source_path = around.source_path;
  input.host = host.host;
  input.owner = around.owner;
  input.run_as = row.run_as;
  input.package = host.package_of(around.source_path);
  input.entry_marker = around.entry_marker;
  input.file_marker = around.file_marker;
  input.registry_given = host.registry != nullptr;
  if (host.registry) {
    input.registry_match =
        host.registry->match(row.fingerprint, host.host, row.run_as, row.command);
  }
  if (around.mailto) {
    input.mailto = *around.mailto;
  }
  input.target = row.target;
  input.program = program;
  auto verdict = judge::decide_verdict(input);
  row.verdict = std::move(verdict.verdict);
  row.managed_by = std::move(verdict.managed_by);
  row.verdict_reasons = std::move(verdict.reasons);
}

std::string text_fingerprint(std::string_view run_as, std::string_view normalized_schedule,
                             std::string_view command) {
  std::string material;
  material.reserve(run_as.size() + normalized_schedule.size() + command.size() + 2);
  material.append(run_as).push_back('\0');
  material.append(normalized_schedule).push_back('\0');
  material.append(judge::collapse_command_blanks(command));
  return sha256_hex(material).substr(0, 16);
}

MarkerTracker::Markers MarkerTracker::see(std::string_view raw, bool comment, bool blank,
                                          bool job) {
  if (blank) {
    return {};
  }
  if (job) {
    return std::exchange(pending_, {});
  }
  if (comment) {
    if (auto marker = judge::entry_marker(raw)) {
      pending_.entry = std::move(marker);
      return {};
    }
    if (auto marker = judge::migrated_marker(raw)) {
      pending_.migrated = std::move(marker);
      return {};
    }
  }
  pending_ = {}; // any other line breaks the link between a marker and the next job
  return {};
}

} // namespace digger::collect
