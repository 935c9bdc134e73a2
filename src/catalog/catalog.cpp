#include "digger/catalog/catalog.hpp"

#include "digger/catalog/scan_lock.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <unistd.h>

#include "catalog_access.hpp"
#include "host_inserter.hpp"
#include "probe.hpp"
#include "rows.hpp"
#include "schema.hpp"

namespace digger::catalog {

namespace {

constexpr int busy_timeout_ms = 5000;
constexpr const char* now_sql = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

constexpr const char* summary_columns =
    "id, started_at, COALESCE(finished_at, ''), inventory_path, options_json, status, pid, "
    "digger_version, hosts_planned, hosts_recorded, hosts_ok, hosts_failed, jobs";

ScanSummary read_summary(const Statement& row) {
  ScanSummary summary;
  std::string status;
  ColumnReader(row).read(summary.id, summary.started_at, summary.finished_at,
                         summary.inventory_path, summary.options_json, status, summary.pid,
                         summary.digger_version, summary.hosts_planned, summary.hosts_recorded,
                         summary.hosts_ok, summary.hosts_failed, summary.jobs);
  summary.status = scan_status_from_name(status).value_or(ScanStatus::failed);
  return summary;
}

// A new catalog starts as an empty file of ours, mode 0600 (it holds every crontab of the
// fleet): SQLite gives the -wal, -shm and -journal files it creates the main file's mode, so
// they are 0600 too. An existing catalog keeps the mode its owner gave it, and the directory
// is never touched.
void create_private_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  if (errno != EEXIST) {
    throw CatalogError(fmt::format("{}: cannot open the catalog: {}", path, std::strerror(errno)));
  }
}

Database open_read_write(const std::string& path) {
  create_private_file(path);
  Database db(path, Database::Access::read_write_create);
  db.set_busy_timeout(busy_timeout_ms);
  std::string journal;
  {
    Statement wal = db.prepare("PRAGMA journal_mode = WAL");
    journal = wal.step() ? wal.column_text(0) : "";
  }
  if (journal != "wal") {
    throw CatalogError(
        fmt::format("{}: cannot switch the catalog to WAL mode ({})", path, journal));
  }
  // FULL: every commit (one per batch of hosts) is on disk before the writer moves on.
  // A 32 MiB page cache keeps the index pages of a big scan in memory while it is written.
  db.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -32768");
  migrate(db);
  return db;
}

Database open_read_only(const std::string& path, const FileProbe& probe) {
  if (probe.is_new) {
    throw CatalogError(fmt::format("{}: no catalog here yet (run a scan first)", path));
  }
  if (probe.schema_version < latest_schema_version()) {
    throw CatalogError(fmt::format("{}: catalog schema version {} must be upgraded to {} by a "
                                   "scan (read-only access cannot upgrade it)",
                                   path, probe.schema_version, latest_schema_version()));
  }
  Database db(path, Database::Access::read_only);
  db.set_busy_timeout(busy_timeout_ms);
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}

// Symlinks to one catalog must share one scan lock.
std::string lock_key(const std::string& path) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::canonical(path, error);
  return error ? path : canonical.string();
}

} // namespace

struct Catalog::State {
  State(std::string file, Mode access, Database connection)
      : path(std::move(file)), mode(access), db(std::move(connection)) {}

  std::string path;
  Mode mode;
  Database db;
  std::mutex mutex;
  std::optional<HostInserter> inserter; // prepared on the first record
  std::optional<ScanLock> lock;
  std::int64_t locked_scan = 0;
  std::shared_ptr<const SourceKindNames> kind_names; // what validate() accepts

  void load_kind_names() {
    auto names = std::make_shared<SourceKindNames>();
    for_each_row(db, "SELECT name FROM source_kinds",
                 [&](const Statement& row) { names->insert(row.column_text(0)); });
    kind_names = std::move(names);
  }

  void require_writable() const {
    if (mode != Mode::read_write) {
      throw CatalogError(fmt::format("{}: the catalog was opened read-only", path));
    }
  }
  void require_own_scan(std::int64_t scan_id) const {
    if (!lock || locked_scan != scan_id) {
      throw CatalogError(fmt::format("{}: scan {} is not running in this process", path, scan_id));
    }
  }
  void take_lock() {
    if (lock) {
      throw CatalogError(fmt::format("{}: scan {} is still running here", path, locked_scan));
    }
    lock.emplace(ScanLock::acquire(lock_key(path)));
  }
  // Takes the scan lock and, in one transaction that first marks stale scans interrupted,
  // runs `start`, which returns the scan it starts. A failure gives the lock back.
  template <class Start>
  void start_scan(Start&& start) {
    require_writable();
    take_lock();
    try {
      Transaction transaction(db);
      interrupt_stale_scans();
      std::int64_t scan_id = start();
      transaction.commit();
      locked_scan = scan_id;
    } catch (...) {
      lock.reset();
      throw;
    }
  }
  // Holding the lock proves that scans still marked running belong to dead processes.
  void interrupt_stale_scans() {
    db.exec(fmt::format("UPDATE scans SET status = 'interrupted', finished_at = "
                        "COALESCE(finished_at, {}) WHERE status = 'running'",
                        now_sql));
  }
};

Catalog::Catalog(std::unique_ptr<State> state) : state_(std::move(state)) {}
Catalog::Catalog(Catalog&&) noexcept = default;
Catalog& Catalog::operator=(Catalog&&) noexcept = default;

Catalog::~Catalog() {
  if (state_ && state_->lock) {
    // Dropped without finish_scan (an exception, a signal handler's exit): say so.
    try {
      finish_scan(state_->locked_scan, ScanStatus::interrupted);
    } catch (...) {
      // The next scan marks it interrupted anyway once it holds the lock.
    }
  }
}

Catalog Catalog::open(const std::string& path, Mode mode) {
  if (path.empty()) {
    throw CatalogError("the catalog path is empty");
  }
  FileProbe probe = probe_catalog_file(path);
  Database db = mode == Mode::read_only ? open_read_only(path, probe) : open_read_write(path);
  auto state = std::make_unique<State>(path, mode, std::move(db));
  state->load_kind_names();
  return Catalog(std::move(state));
}

std::map<HostIdentity, EvidenceState> Catalog::evidence_states() {
  std::lock_guard guard(state_->mutex);
  return read_evidence_states(state_->db);
}

std::vector<SourceKindRow> Catalog::source_kinds() {
  std::lock_guard guard(state_->mutex);
  return collect_rows(
      state_->db, "SELECT name, crontab, clock, description FROM source_kinds ORDER BY rowid",
      [](const Statement& row) {
        SourceKindRow kind;
        ColumnReader(row).read(kind.name, kind.crontab, kind.clock, kind.description);
        return kind;
      });
}

void Catalog::register_source_kinds(std::span<const SourceKindRow> kinds) {
  std::lock_guard guard(state_->mutex);
  state_->require_writable();
  Transaction transaction(state_->db);
  Statement upsert = state_->db.prepare(
      "INSERT INTO source_kinds (name, crontab, clock, description) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (name) DO UPDATE SET crontab = excluded.crontab, clock = excluded.clock, "
      "description = excluded.description");
  for (const auto& kind : kinds) {
    upsert.bind_all(kind.name, kind.crontab, kind.clock, kind.description).run();
  }
  transaction.commit();
  state_->load_kind_names();
}

std::shared_ptr<const SourceKindNames> Catalog::source_kind_names() const {
  std::lock_guard guard(state_->mutex);
  return state_->kind_names;
}

std::int64_t Catalog::begin_scan(const ScanInfo& info) {
  if (!nlohmann::json::accept(info.options_json)) {
    throw std::invalid_argument("catalog: ScanInfo::options_json is not JSON");
  }
  std::lock_guard guard(state_->mutex);
  state_->start_scan([&] {
    Statement insert = state_->db.prepare(
        "INSERT INTO scans (inventory_path, options_json, status, pid, hosts_planned, "
        "digger_version) VALUES (?1, ?2, 'running', ?3, ?4, ?5)");
    insert
        .bind_all(info.inventory_path, info.options_json, std::int64_t{::getpid()},
                  info.hosts_planned, info.digger_version)
        .run();
    return state_->db.last_insert_rowid();
  });
  return state_->locked_scan;
}

void Catalog::resume_scan(std::int64_t scan_id) {
  std::lock_guard guard(state_->mutex);
  state_->start_scan([&] {
    Statement resume =
        state_->db.prepare("UPDATE scans SET status = 'running', finished_at = NULL, pid = ?2 "
                           "WHERE id = ?1 AND status = 'interrupted'");
    resume.bind_all(scan_id, std::int64_t{::getpid()}).run();
    if (state_->db.changes() == 0) {
      throw CatalogError(
          fmt::format("{}: scan {} is not an interrupted scan", state_->path, scan_id));
    }
    return scan_id;
  });
}

void Catalog::record_host(std::int64_t scan_id, const HostRecord& host) {
  record_hosts(scan_id, std::span<const HostRecord>(&host, 1));
}

void Catalog::record_hosts(std::int64_t scan_id, std::span<const HostRecord> hosts) {
  const auto kinds = source_kind_names();
  for (const HostRecord& host : hosts) {
    validate(host, *kinds);
  }
  std::lock_guard guard(state_->mutex);
  state_->require_writable();
  state_->require_own_scan(scan_id);
  if (!state_->inserter) {
    state_->inserter.emplace(state_->db);
  }
  Transaction transaction(state_->db);
  for (const HostRecord& host : hosts) {
    state_->inserter->insert(scan_id, host);
  }
  transaction.commit();
}

void Catalog::finish_scan(std::int64_t scan_id, ScanStatus status) {
  if (status == ScanStatus::running) {
    throw std::invalid_argument("catalog: finish_scan needs a final status");
  }
  std::lock_guard guard(state_->mutex);
  state_->require_writable();
  state_->require_own_scan(scan_id);
  Statement finish = state_->db.prepare(
      fmt::format("UPDATE scans SET status = ?2, finished_at = {} WHERE id = ?1", now_sql));
  finish.bind(1, scan_id).bind(2, scan_status_name(status)).run();
  state_->lock.reset();
  state_->locked_scan = 0;
}

std::optional<ScanSummary> Catalog::latest_interrupted_scan() {
  std::lock_guard guard(state_->mutex);
  // A scan still marked running whose lock nobody holds was killed: it is interrupted too.
  bool running_is_live = ScanLock::is_held(lock_key(state_->path));
  Statement latest = state_->db.prepare(
      fmt::format("SELECT {} FROM scans WHERE status IN ('complete', 'interrupted', 'running') "
                  "ORDER BY id DESC LIMIT 1",
                  summary_columns));
  if (!latest.step()) {
    return std::nullopt;
  }
  ScanSummary summary = read_summary(latest);
  if (summary.status == ScanStatus::running && !running_is_live) {
    summary.status = ScanStatus::interrupted;
  }
  if (summary.status != ScanStatus::interrupted) {
    return std::nullopt;
  }
  return summary;
}

std::vector<HostIdentity> Catalog::hosts_recorded(std::int64_t scan_id) {
  std::lock_guard guard(state_->mutex);
  return collect_rows(
      state_->db,
      "SELECT h.name, h.port FROM host_results r JOIN hosts h ON h.id = r.host_id "
      "WHERE r.scan_id = ?1 ORDER BY h.name, h.port",
      [](const Statement& row) {
        HostIdentity host;
        ColumnReader(row).read(host.name, host.port);
        return host;
      },
      scan_id);
}

std::optional<HostRecord> Catalog::host_record(std::int64_t scan_id, const HostIdentity& host) {
  std::lock_guard guard(state_->mutex);
  return read_host_record(state_->db, scan_id, host);
}

std::vector<ScanSummary> Catalog::scans() {
  std::lock_guard guard(state_->mutex);
  return collect_rows(state_->db,
                      fmt::format("SELECT {} FROM scans ORDER BY id DESC", summary_columns),
                      read_summary);
}

std::optional<ScanSummary> Catalog::scan(std::int64_t scan_id) {
  std::lock_guard guard(state_->mutex);
  std::optional<ScanSummary> summary;
  for_each_row(
      state_->db, fmt::format("SELECT {} FROM scans WHERE id = ?1", summary_columns),
      [&](const Statement& row) { summary = read_summary(row); }, scan_id);
  return summary;
}

int Catalog::schema_version() {
  std::lock_guard guard(state_->mutex);
  return static_cast<int>(state_->db.query_int("PRAGMA user_version"));
}

const std::string& Catalog::path() const {
  return state_->path;
}
Mode Catalog::mode() const {
  return state_->mode;
}
Database& internal::CatalogAccess::database(Catalog& catalog) {
  return catalog.state_->db;
}
std::mutex& internal::CatalogAccess::mutex(Catalog& catalog) {
  return catalog.state_->mutex;
}

} // namespace digger::catalog
