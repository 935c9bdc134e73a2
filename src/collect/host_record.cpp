#include "digger/collect/host_record.hpp"

#include "digger/collect/host_status.hpp"
#include "digger/collect/load_rules.hpp"
#include "digger/cron/command.hpp"
#include "digger/cron/crontab.hpp"
#include "digger/cron/describe.hpp"
#include "digger/cron/fingerprint.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <memory>

namespace digger::collect {
namespace {

std::string_view kind_word(SourceKind kind) {
  switch (kind) {
  case SourceKind::user_crontab:
    return "user";
  case SourceKind::system_crontab:
    return "system";
  case SourceKind::cron_d:
    return "cron.d";
  case SourceKind::anacrontab:
    return "anacrontab";
  case SourceKind::run_parts:
    return "run-parts";
  case SourceKind::systemd_unit:
    return "timer";
  }
  return "user";
}

catalog::EntryRow entry_row(const cron::Line& line, const std::string& owner) {
  catalog::EntryRow row;
  row.line_number = line.number;
  row.kind = std::string(cron::line_kind_name(line.kind));
  row.raw = line.raw;
  row.error = line.error;
  if (!line.job) {
    return row;
  }
  const cron::Job& job = *line.job;
  row.schedule_text = job.schedule_text;
  row.macro = std::string(cron::macro_name(job.schedule.macro));
  if (!row.macro.empty()) {
    row.macro.erase(0, 1); // stored without '@'
  }
  row.normalized_schedule = job.schedule.normalized();
  row.command = job.command;
  row.stdin_data = job.stdin_data;
  row.run_as = job.user.value_or(owner);
  row.cron_tz = job.cron_tz;
  auto analysis = cron::analyze_command(job.command);
  row.language = std::string(analysis.language_name());
  row.evidence = analysis.evidence;
  row.target = analysis.target;
  row.description = cron::describe(job.schedule);
  row.fingerprint = cron::job_fingerprint(row.run_as, job.schedule, job.command);
  return row;
}

} // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

catalog::SourceRow source_row(const CronSource& source, std::string_view daemon) {
  catalog::SourceRow row;
  row.path = source.path;
  row.kind = std::string(kind_word(source.kind));
  row.owner = source.owner;
  row.mode = source.mode;
  row.mtime = source.mtime;
  row.size = source.size;
  row.sha256 = sha256_hex(source.content);
  row.truncated = source.truncated;
  auto verdict = daemon_loads(source, daemon);
  row.loaded_by_daemon = verdict.loaded;
  row.not_loaded_reason = verdict.reason;

  cron::ParseOptions options;
  options.flavor = source.kind == SourceKind::user_crontab ? cron::CrontabFlavor::user
                                                           : cron::CrontabFlavor::system;
  options.privileged_owner = source.kind != SourceKind::user_crontab || source.owner == "root";
  auto parsed = cron::parse_crontab(source.content, options);
  row.loads_under_cronie = parsed.loads_under_cronie;
  row.loads_under_vixie = parsed.loads_under_vixie;
  row.load_notes = parsed.load_notes;
  if (source.truncated) {
    row.load_notes.push_back(fmt::format("truncated: {} of {} bytes read; the last line may be cut",
                                         source.content.size(), source.size));
  }
  row.entries.reserve(parsed.lines.size());
  for (const auto& line : parsed.lines) {
    row.entries.push_back(entry_row(line, source.owner));
  }
  return row;
}

void add_snapshot(catalog::HostRecord& record, const HostSnapshot& snapshot) {
  record.facts.hostname = one_line(snapshot.facts.hostname, 255);
  record.facts.os_id = one_line(snapshot.facts.os_id, 64);
  record.facts.os_version = one_line(snapshot.facts.os_version, 64);
  record.facts.timezone = one_line(snapshot.facts.timezone, 64);
  record.facts.cron_daemon = snapshot.facts.cron_daemon;
  for (const auto& note : snapshot.unreadable) {
    record.unreadable_paths.push_back(note.path);
  }
  record.sources.reserve(snapshot.sources.size());
  for (const auto& source : snapshot.sources) {
    record.sources.push_back(source_row(source, snapshot.facts.cron_daemon));
  }
  for (const auto& note : snapshot.skipped) {
    catalog::SourceRow row;
    row.path = note.path;
    row.kind = std::string(kind_word(note.kind));
    row.loaded_by_daemon = false;
    row.read_error = note.reason;
    record.sources.push_back(std::move(row));
  }
}

} // namespace digger::collect
