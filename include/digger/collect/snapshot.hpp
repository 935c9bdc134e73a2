#pragma once

#include "digger/command/program.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace digger::collect {

// What kind of cron file a collected path is; its row of the source table (source_table.hpp)
// says how it is read. run_parts: one file of /etc/cron.{hourly,daily,weekly,monthly} (content
// = its first bytes); systemd_unit: a *.timer file or the *.service it starts. Rows registered
// by tests take values from `first_registered` on.
enum class SourceKind {
  user_crontab,
  system_crontab,
  cron_d,
  anacrontab,
  run_parts,
  systemd_unit,
  at_job,       // a job file of atd's spool
  laravel_task, // the tasks of a Laravel application's scheduler (read after the inspection)
  supervisor,   // issue 18: supervisord's configuration files (workers)
  worker_unit,  // issue 18: services of /etc/systemd/system no timer starts (workers)
  first_registered = 64
};

// One file read from a host by the collector script, before parsing.
struct CronSource {
  std::string path; // exactly as on the host (any bytes)
  SourceKind kind = SourceKind::user_crontab;
  std::string owner;      // user crontab: the file name (cron's rule); system: the file's owner
  std::string file_owner; // the account owning the file on the host
  std::int64_t uid = -1;
  std::uint32_t mode = 0;
  std::int64_t mtime = 0; // seconds since the epoch
  std::int64_t size = 0;  // on the host; content may be shorter when truncated
  std::string content;
  bool truncated = false;
};

// A path the collector saw but did not read: unreadable, a symlink, a FIFO...
struct PathNote {
  SourceKind kind = SourceKind::user_crontab;
  std::string path;
  std::string reason;
};

// "/etc/cron.d/php" belongs to package "php8.2-common" (dpkg's file lists or rpm -qf).
struct PackageOwner {
  std::string path;
  std::string package;
};

// A symlink in a *.wants directory: the unit it names is enabled for that target.
struct EnabledUnit {
  std::string link_path; // /etc/systemd/system/timers.target.wants/backup.timer
  std::string target;    // what the link points to (readlink), may be relative
};

struct HostFacts {
  std::string hostname;
  std::string os_id;
  std::string os_version;
  std::string timezone;
  std::string cron_daemon; // cronie, cron (Vixie/Debian), busybox, unknown
};

// Bytes of a cron daemon log read by the collector (docs/evidence.md): [from, from + bytes).
struct LogRead {
  std::string path;
  bool rotated = false; // PATH.1 read on from the previous cursor after a rotation
  std::int64_t device = 0, inode = 0, size = 0, mtime = 0, from = 0;
  std::string bytes;
};

// A mail spool file's cron-relevant headers (docs/evidence.md, "Mail spool"): the collector's
// awk kept only `From ` lines and the Subject (unfolded on this side) and Date headers of the
// last `size - from` bytes. Parsed and dropped with the host's output: never stored.
struct MailRead {
  std::string path;
  std::int64_t size = 0, mtime = 0, from = 0;
  std::string headers;
};

// The tail of supervisord's own log (docs/workers.md, "Crash loops"): [from, from + bytes), or
// why it was not read. Only its parsed counts are kept (units/supervisor_log.hpp).
struct SupervisorLogRead {
  std::string path;
  std::string note; // "" = read
  std::int64_t from = 0;
  std::string bytes;
};

// A running supervisord (its /proc/PID/cmdline, NULs made newlines, at most 4 KiB): which
// configuration it was started with says which collected file is one more main file.
struct SupervisordProcess {
  std::int64_t pid = 0;
  std::string uid; // its uid when real, effective, saved and filesystem ids agree, else "x"
  std::vector<std::string> argv;
};

// Everything the collector brought back from one host.
struct HostSnapshot {
  HostFacts facts;
  std::vector<CronSource> sources;
  std::vector<std::pair<std::string, std::string>> extra_facts; // uid, utc_offset, epoch, ...
  std::vector<PathNote> unreadable;                             // paths the login could not read
  std::vector<PathNote> skipped; // symlinks and special files, never read
  std::vector<EnabledUnit> enabled_units;
  std::vector<PackageOwner> package_owners; // only for the paths collected above
  std::vector<LogRead> logs;                // run evidence: the cron log bytes read
  std::vector<std::pair<std::string, std::string>> log_notes; // (path, why not read)
  std::optional<std::string> journal; // `journalctl -o json` of the cron units, last 7 days
  std::vector<MailRead> mails;        // the mail spool's files, headers only
  std::vector<std::pair<std::string, std::string>> mail_notes; // (path, why not read)
  // Files the jobs' output is redirected to, stat'ed by the inspection (never read).
  std::vector<command::ProgramFacts> output_files;
  std::vector<SupervisorLogRead> supervisor_logs;
  std::vector<SupervisordProcess> supervisord_processes;
  // Second round trip: the programs the jobs run (empty when not inspected).
  std::vector<command::ProgramFacts> programs;
  // Application files the inspection read for an in-app scheduler (Laravel's Kernel.php and
  // routes/console.php): their parsed tasks, never their bytes.
  std::vector<command::ProgramFacts> app_sources;
  std::string inspection_note; // "bound hit: 256 of 310 targets inspected", or why not run
  std::string remote_stderr;   // bounded
  bool output_truncated = false;
  std::optional<int> script_exit_status; // from the sentinel record; absent = incomplete
};

} // namespace digger::collect
