#pragma once

#include "digger/catalog/error.hpp"
#include "digger/catalog/records.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace digger::catalog {

inline constexpr const char* default_catalog_path = "./digger.db";

// The SQLite library this process runs with, as `--version` prints it.
std::string_view sqlite_library_version();

enum class Mode { read_write, read_only };

namespace internal {
class CatalogAccess; // the connection, for the catalog's own queries and its tests only
} // namespace internal

// Digger's SQLite catalog: what every scan writes and every report reads (docs/catalog.md).
// Pure storage: callers hand it plain rows. Every method may throw CatalogError, whose one-line
// message the CLI prints before exiting 3. Methods are serialized by an internal mutex, so a
// Writer thread and the scan's main thread may share one Catalog.
class Catalog {
public:
  // read_write creates the file if needed, checks it before any write (a corrupt or foreign
  // file is left byte-for-byte untouched), switches it to WAL and migrates it to the latest
  // schema. read_only never writes and refuses a catalog that would need migrating.
  static Catalog open(const std::string& path = default_catalog_path, Mode mode = Mode::read_write);

  Catalog(Catalog&&) noexcept;
  Catalog& operator=(Catalog&&) noexcept;
  ~Catalog();

  // Takes the scan lock (see scan_lock.hpp) and returns the new scan's id. Scans left
  // "running" by a process that died are marked interrupted first.
  std::int64_t begin_scan(const ScanInfo& info);
  // For --resume: takes the scan lock and sets an interrupted scan running again.
  void resume_scan(std::int64_t scan_id);
  // One transaction. Recording a host twice in a scan replaces its earlier result.
  void record_host(std::int64_t scan_id, const HostRecord& host);
  // One transaction for the whole batch (what the Writer uses).
  void record_hosts(std::int64_t scan_id, std::span<const HostRecord> hosts);
  // Sets the final status and finished_at, and releases the scan lock.
  void finish_scan(std::int64_t scan_id, ScanStatus status);

  std::optional<ScanSummary> latest_interrupted_scan();
  std::vector<HostIdentity> hosts_recorded(std::int64_t scan_id);
  // One host's result in a scan, read back as recorded (labels are the host's latest).
  std::optional<HostRecord> host_record(std::int64_t scan_id, const HostIdentity& host);
  std::vector<ScanSummary> scans(); // newest first
  // Every host's run evidence state (log cursors and job totals, docs/evidence.md), for the
  // next scan to read the logs on from where the last one stopped.
  std::map<HostIdentity, EvidenceState> evidence_states();
  std::optional<ScanSummary> scan(std::int64_t scan_id);

  // The source kinds the catalog knows (its source_kinds table): a record whose source has
  // another kind is rejected. register_source_kinds adds or updates rows; call it before a
  // Writer starts (the Writer validates against the kinds known when it was made).
  std::vector<SourceKindRow> source_kinds();
  void register_source_kinds(std::span<const SourceKindRow> kinds);
  std::shared_ptr<const SourceKindNames> source_kind_names() const;

  int schema_version();
  const std::string& path() const;
  Mode mode() const;
  // Reports and exports read through the typed queries in digger/catalog/queries/: the SQL
  // stays in this stage (docs/catalog.md, "Who owns the SQL").

private:
  friend class internal::CatalogAccess;
  struct State;
  explicit Catalog(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

} // namespace digger::catalog
