#pragma once

// Internal to the catalog: the prepared statements that write one HostRecord. Prepared once per
// connection and reused, which is most of what makes 10,000 hosts a matter of seconds.

#include "digger/catalog/records.hpp"

#include <cstdint>
#include <map>
#include <optional>

#include "sqlite.hpp"

namespace digger::catalog {

class HostInserter {
public:
  explicit HostInserter(Database& db);

  // Must run inside a transaction; the scan must exist and be running.
  void insert(std::int64_t scan_id, const HostRecord& host);

private:
  std::int64_t upsert_host(const HostRecord& host);
  void remove_earlier_result(std::int64_t scan_id, std::int64_t host_id);
  std::int64_t insert_result(std::int64_t scan_id, std::int64_t host_id, const HostRecord& host,
                             std::int64_t jobs);
  void insert_source(std::int64_t result_id, const SourceRow& source);
  void insert_entry(std::int64_t source_id, const EntryRow& entry);
  void insert_worker(std::int64_t entry_id, const WorkerRow& worker);
  void insert_program(std::int64_t result_id, const ProgramRow& program);
  void insert_entry_run(std::int64_t entry_id, const RunEvidenceRow& run);
  void replace_evidence(std::int64_t host_id, const EvidenceState& state);
  void add_to_counts(std::int64_t scan_id, std::int64_t hosts, std::int64_t ok, std::int64_t failed,
                     std::int64_t jobs);

  Database& db_;
  Statement upsert_host_;
  Statement find_result_;
  Statement delete_result_;
  Statement insert_result_;
  Statement insert_unreadable_;
  Statement insert_source_;
  Statement insert_entry_;
  Statement insert_worker_;
  Statement insert_program_;
  Statement insert_entry_run_;
  Statement update_counts_;
  // Values built here rather than taken from the record, kept alive for borrowed binding.
  std::string labels_, notes_, reasons_, flags_, names_, environment_, unresolved_;
};

// Every host's run evidence state (log cursors and running totals), as the last scan left it.
std::map<HostIdentity, EvidenceState> read_evidence_states(Database& db);

// Reads one host result back into the record it was written from.
std::optional<HostRecord> read_host_record(Database& db, std::int64_t scan_id,
                                           const HostIdentity& identity);

// Throws std::invalid_argument for a record the schema would reject, naming the bad value,
// before anything is written.
void validate(const HostRecord& host, const SourceKindNames& kinds);

} // namespace digger::catalog
