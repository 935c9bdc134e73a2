#include "digger/collect/host_record.hpp"

#include "digger/collect/host_context.hpp"
#include "digger/collect/host_status.hpp"
#include "digger/collect/run_evidence.hpp"
#include "digger/collect/source_table.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>

namespace digger::collect {
namespace {

catalog::ProgramRow program_row(const command::ProgramFacts& p) {
  catalog::ProgramRow row;
  row.path = p.path;
  row.exists = p.exists;
  row.type = p.type;
  row.resolved_path = p.resolved_path;
  row.size = p.size;
  row.mode = p.mode;
  row.uid = p.uid;
  row.gid = p.gid;
  row.mtime = p.mtime;
  row.owner = p.owner;
  row.sha256 = p.sha256;
  row.head = p.head;
  row.elf = p.elf;
  row.go_version = p.go_version;
  row.go_module = p.go_module;
  row.dir_mode = p.dir_mode;
  row.dir_uid = p.dir_uid;
  row.dir_gid = p.dir_gid;
  row.error = p.error;
  return row;
}

// A path seen and not read (a link, a special file, an unreadable Supervisor file) as a row.
catalog::SourceRow unread_row(const PathNote& note) {
  catalog::SourceRow row;
  row.path = note.path;
  row.kind = std::string(catalog_kind(note.kind, note.path));
  row.loaded_by_daemon = false;
  row.read_error = note.reason;
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

void add_snapshot(catalog::HostRecord& record, const HostSnapshot& snapshot,
                  const judge::Registry* registry) {
  auto host = host_context(snapshot, record.name, registry);
  add_host_jobs(record, snapshot, read_host(snapshot, host), registry);
}

void add_host_jobs(catalog::HostRecord& record, const HostSnapshot& snapshot, HostJobs&& jobs,
                   const judge::Registry* registry) {
  record.facts.hostname = one_line(snapshot.facts.hostname, 255);
  record.facts.os_id = one_line(snapshot.facts.os_id, 64);
  record.facts.os_version = one_line(snapshot.facts.os_version, 64);
  record.facts.timezone = one_line(snapshot.facts.timezone, 64);
  record.facts.cron_daemon = snapshot.facts.cron_daemon;
  for (const auto& note : snapshot.unreadable) {
    record.unreadable_paths.push_back(note.path);
  }
  auto host = host_context(snapshot, record.name, registry);
  expand_inspected(jobs, snapshot, host);
  apply_derived_evidence(jobs, snapshot);
  record.sources = judged_rows(std::move(jobs), host);
  for (const auto& note : snapshot.unreadable) {
    // A Supervisor file not read says why as a row: a running supervisord's -c file its own
    // user cannot read (docs/workers.md) is a finding, not only a path.
    if (note.kind == SourceKind::supervisor) {
      record.sources.push_back(unread_row(note));
    }
  }
  for (const auto& note : snapshot.skipped) {
    record.sources.push_back(unread_row(note));
  }
  record.programs.reserve(snapshot.programs.size());
  for (const auto& program : snapshot.programs) {
    record.programs.push_back(program_row(program));
  }
  record.inspection_note = one_line(snapshot.inspection_note, 300);
}

} // namespace digger::collect
