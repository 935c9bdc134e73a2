#pragma once

// Plain rows the scan hands to the catalog: strings and integers only, so the catalog depends
// on no other stage. Strings that came from a host may hold any bytes; they are stored so they
// round-trip byte-exact (see docs/catalog.md). An empty optional-ish string is stored as NULL.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace digger::catalog {

enum class ScanStatus { running, complete, interrupted, failed };
std::string_view scan_status_name(ScanStatus status); // "running", "complete", ...
std::optional<ScanStatus> scan_status_from_name(std::string_view name);

// Allowed values of the text columns that are checked by the schema.
bool is_host_status(std::string_view status);  // ok, partial, unreachable, timeout, ...
bool is_entry_kind(std::string_view kind);     // job, worker, env, disabled-job, comment, ...
bool is_verdict(std::string_view verdict);     // "", managed, hidden, migrated
bool is_run_verdict(std::string_view verdict); // "", running, ambiguous, no-evidence, ...

// A kind of source file, as the catalog's source_kinds table holds it (seeded with the
// built-in kinds, more registered by the scan from collect's source table).
struct SourceKindRow {
  std::string name;        // user, system, cron.d, anacrontab, run-parts, timer, service, ...
  std::string crontab;     // the crontab grammar of its files: "user", "system" or ""
  std::string clock;       // cron, anacron, systemd, inherited
  std::string description; // one line
  friend bool operator==(const SourceKindRow&, const SourceKindRow&) = default;
};
using SourceKindNames = std::set<std::string, std::less<>>;

// Run evidence of one job (docs/evidence.md): what the cron daemon's log says, over the window
// read so far on its host. Counts and times only: no log line is ever stored.
struct RunEvidenceRow {
  std::string verdict; // running, ambiguous, no-evidence, log-unreadable; "" = not judged
  std::string reason;  // one line naming the source and the window, or what grants access
  std::int64_t runs = 0, ambiguous_runs = 0, failures = 0;
  std::optional<std::int64_t> last_run, last_failure, last_exit_status; // epoch seconds
  // Schema 8: cron mails of the job in the host's spool (nullopt: no spool read) and the last
  // one's time; when the file its output is redirected to was last written (its mtime).
  std::optional<std::int64_t> mails, last_mail, output_mtime;
  friend bool operator==(const RunEvidenceRow&, const RunEvidenceRow&) = default;
};

// What a process manager says about a long-running program (issue 18): the extra facts of an
// entry of kind "worker" (stored in worker_facts, docs/catalog.md).
struct WorkerRow {
  std::string manager; // "supervisor" or "systemd"
  std::string name;    // the [program:x] name or the unit name
  std::string group;   // the supervisor group ("" for a unit)
  std::int64_t instances = 1;
  std::vector<std::string> process_names; // supervisor's expanded process_name, bounded
  bool autostart = true;                  // starts with the manager / the unit is enabled
  std::string restart;   // autorestart= (true, false, unexpected) or Restart= of a unit
  std::string directory; // where it runs
  std::vector<std::string> environment; // NAME=value, the values redacted
  std::vector<std::string> unresolved;  // names a scan cannot know (%(ENV_HOME)s)
  std::string rejected; // why the manager refuses its configuration, "" when it runs
  // supervisord's log (docs/workers.md, "Crash loops"), over the window its tail covers:
  // nullopt = no log read. Times are the log's own (host local time, "YYYY-MM-DD HH:MM:SS").
  std::optional<std::int64_t> unexpected_exits;
  std::int64_t gave_up = 0;
  std::string last_exit;  // the last unexpected exit
  std::string gave_up_at; // the last "gave up" (FATAL)
  friend bool operator==(const WorkerRow&, const WorkerRow&) = default;
};

// One crontab line, as parsed and classified.
struct EntryRow {
  int line_number = 0; // 1-based
  std::string kind = "job";
  std::string raw;                 // the line without its terminator
  std::string schedule_text;       // time fields or macro as written
  std::string macro;               // "daily", ... without '@'
  std::string normalized_schedule; // equal for schedules that fire identically
  std::string command;
  std::optional<std::string> stdin_data; // after the first unescaped '%'; "" differs from none
  std::string run_as;                    // system crontabs: the user column
  std::string language;                  // python, shell, php, ...
  std::string evidence;                  // why that language
  std::string target;                    // the script or binary the command ends up running
  std::string description;
  std::string fingerprint; // same job on several hosts => same fingerprint
  std::string error;       // invalid lines: the reason cron gives
  std::string cron_tz;     // CRON_TZ in effect; empty = the host's zone
  // Hidden-batch verdict (jobs only; "" for other lines). See docs/hidden-batches.md.
  std::string verdict;                      // "managed", "hidden", "migrated" or ""
  std::string managed_by;                   // "package:cron", "ansible:backup", "registry:team-a"
  std::vector<std::string> verdict_reasons; // readable sentences, most telling first
  // "target-missing", "target-writable", "secret-in-command", "timer-disabled", ...
  std::vector<std::string> flags;
  // Where the schedule came from when it is not on this line: run-parts scripts get the line
  // that runs their directory ("/etc/crontab:17", "/etc/anacrontab:5").
  std::string schedule_origin;
  RunEvidenceRow run;              // jobs only
  std::optional<WorkerRow> worker; // kind "worker" only
  friend bool operator==(const EntryRow&, const EntryRow&) = default;
};

// One cron file read from a host.
struct SourceRow {
  std::string path; // exactly as received; any bytes but NUL
  std::string kind = "user";
  std::string owner;
  std::int64_t mode = 0;
  std::int64_t mtime = 0; // seconds since the epoch
  std::int64_t size = 0;  // on the host
  std::string sha256;     // of the content read, hex
  bool truncated = false;
  bool loaded_by_daemon = true;
  std::string not_loaded_reason;
  bool loads_under_cronie = true;
  bool loads_under_vixie = true;
  std::vector<std::string> load_notes; // one line each (stored newline-separated)
  std::string read_error;
  std::string package; // the installed package this file belongs to, "" when none
  std::vector<EntryRow> entries;
  friend bool operator==(const SourceRow&, const SourceRow&) = default;
};

// One target program as inspected on the host (command::ProgramFacts flattened).
struct ProgramRow {
  std::string path;
  bool exists = false;
  std::string type, resolved_path;
  std::int64_t size = -1, mode = 0, uid = -1, gid = -1, mtime = 0;
  std::string owner, sha256;
  std::string head; // first bytes, at most 256 (may be binary)
  bool elf = false;
  std::string go_version, go_module;
  std::int64_t dir_mode = 0, dir_uid = -1, dir_gid = -1;
  std::string error;
  friend bool operator==(const ProgramRow&, const ProgramRow&) = default;
};

struct TimingsMs {
  std::int64_t connect = 0, handshake = 0, auth = 0, command = 0, total = 0;
  friend bool operator==(const TimingsMs&, const TimingsMs&) = default;
};

struct FactsRow {
  std::string hostname, os_id, os_version, timezone, cron_daemon;
  friend bool operator==(const FactsRow&, const FactsRow&) = default;
};

// Where the last read of one log file of a host stopped, and the window read so far.
struct LogCursorRow {
  std::string path;
  std::int64_t device = 0, inode = 0, size = 0, offset = 0;
  std::optional<std::int64_t> window_from, window_to; // first and last dated cron line
  std::string note; // "first read: the last 4 MiB of 50 MiB", "permission denied", ...
  friend bool operator==(const LogCursorRow&, const LogCursorRow&) = default;
};

// The running totals of one job on one host, kept from scan to scan under its key.
struct JobRunTotals {
  std::string key; // evidence::entry_key: run-as user, schedule, logged command
  std::int64_t runs = 0, ambiguous_runs = 0, failures = 0;
  std::optional<std::int64_t> last_run, last_failure, last_exit_status;
  friend bool operator==(const JobRunTotals&, const JobRunTotals&) = default;
};

// A host's run evidence state: its log cursors and its jobs' totals.
struct EvidenceState {
  std::vector<LogCursorRow> cursors;
  std::vector<JobRunTotals> totals;
  friend bool operator==(const EvidenceState&, const EvidenceState&) = default;
};

// Everything one scan learned about one host.
struct HostRecord {
  // Identity across scans: the inventory name and port.
  std::string name;
  int port = 22;
  std::string address; // what was connected to
  std::string login_user;
  std::map<std::string, std::string> labels; // from the inventory; latest scan wins
  std::string status = "ok";                 // see is_host_status
  std::string reason;                        // one line, no secrets
  TimingsMs timings;
  int attempts = 1;
  FactsRow facts;
  std::string host_key_type;        // ssh-ed25519, ...
  std::string host_key_fingerprint; // SHA256:...
  std::vector<std::string> unreadable_paths;
  std::string stderr_excerpt; // bounded by the caller; the catalog keeps at most 64 KiB
  bool output_truncated = false;
  std::vector<SourceRow> sources;
  std::vector<ProgramRow> programs;
  std::string inspection_note; // bound hit, or why the programs were not inspected
  // The host's run evidence after this scan; none: its log was not reached (unreachable host),
  // and the catalog keeps the state it had.
  std::optional<EvidenceState> evidence;
  friend bool operator==(const HostRecord&, const HostRecord&) = default;
};

struct HostIdentity {
  std::string name;
  int port = 22;
  friend bool operator==(const HostIdentity&, const HostIdentity&) = default;
  friend auto operator<=>(const HostIdentity&, const HostIdentity&) = default;
};

// What begin_scan records about the run itself.
struct ScanInfo {
  std::string inventory_path;
  std::string options_json = "{}"; // the caller leaves secrets out
  std::int64_t hosts_planned = 0;
  std::string digger_version;
};

// One row of Catalog::scans().
struct ScanSummary {
  std::int64_t id = 0;
  std::string started_at;  // ISO 8601 UTC
  std::string finished_at; // "" while running
  std::string inventory_path;
  std::string options_json;
  ScanStatus status = ScanStatus::running;
  std::int64_t pid = 0;
  std::string digger_version;
  std::int64_t hosts_planned = 0;
  std::int64_t hosts_recorded = 0;
  std::int64_t hosts_ok = 0;     // status ok or partial
  std::int64_t hosts_failed = 0; // any other status
  std::int64_t jobs = 0;         // entries of kind job
};

} // namespace digger::catalog
