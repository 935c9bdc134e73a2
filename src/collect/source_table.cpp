// The built-in rows of the source table, and the lookups every stage makes through it.
#include "digger/collect/source_table.hpp"

#include "digger/collect/readers.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace digger::collect {
namespace {

using Words = std::array<std::string_view, 1>;

constexpr Words user_kinds{"user"};
constexpr Words system_kinds{"system"};
constexpr Words cron_d_kinds{"cron.d"};
constexpr Words anacron_kinds{"anacrontab"};
constexpr Words run_parts_kinds{"run-parts"};
constexpr std::array<std::string_view, 2> unit_kinds{"timer", "service"};
constexpr Words at_kinds{"at"};
constexpr Words laravel_kinds{"laravel-task"};
constexpr Words supervisor_kinds{"supervisor"};
constexpr Words worker_unit_kinds{"worker-unit"};

// The directories and files the collector lists (docs/collector.md, "What is read").
constexpr std::array<std::string_view, 3> spool_paths{"/var/spool/cron", "/var/spool/cron/crontabs",
                                                      "/var/spool/cron/tabs"};
constexpr std::array<std::string_view, 1> crontab_paths{"/etc/crontab"};
constexpr std::array<std::string_view, 1> cron_d_paths{"/etc/cron.d"};
constexpr std::array<std::string_view, 1> anacron_paths{"/etc/anacrontab"};
constexpr std::array<std::string_view, 4> run_parts_paths{"/etc/cron.hourly", "/etc/cron.daily",
                                                          "/etc/cron.weekly", "/etc/cron.monthly"};
// Per-user units are found under each home's .config/systemd/user as well.
constexpr std::array<std::string_view, 4> unit_paths{
    "/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system", "/etc/systemd/user"};
// atd's spool: Debian's and RHEL's `at` packages (root-only directories).
constexpr std::array<std::string_view, 2> at_paths{"/var/spool/cron/atjobs", "/var/spool/at"};

// Supervisor (issue 18): the Debian and EPEL main files and the include directories of Debian,
// EPEL and Arch. The collector reads each file, and every file of each directory; the reader
// follows [include] among them.
constexpr std::array<std::string_view, 5> supervisor_paths{
    "/etc/supervisor/supervisord.conf", "/etc/supervisor/conf.d", "/etc/supervisord.conf",
    "/etc/supervisord.d", "/etc/supervisor.d"};

// Services an administrator installed: packaged ones (/usr/lib/systemd/system) are managed.
// The collector skips a service whose timer sits beside it (the timer's row reads it).
constexpr std::array<std::string_view, 1> worker_unit_paths{"/etc/systemd/system"};

// A systemd unit directory holds both: a *.timer is the jobs' source, its *.service is not.
std::string_view unit_kind(std::string_view path) {
  return path.ends_with(".timer") ? unit_kinds[0] : unit_kinds[1];
}

std::vector<SourceSpec> builtin_rows() {
  return {
      {SourceKind::user_crontab, "user", user_kinds, spool_paths, read_crontab, ScheduleClock::cron,
       CrontabFlavour::user, LoadRule::crontab, Expansion::parent, true,
       "a user's crontab in the cron spool", nullptr, "user_dirs"},
      {SourceKind::system_crontab, "system", system_kinds, crontab_paths, read_crontab,
       ScheduleClock::cron, CrontabFlavour::system, LoadRule::crontab, Expansion::parent, true,
       "/etc/crontab", nullptr, "system_crontab"},
      {SourceKind::cron_d, "cron.d", cron_d_kinds, cron_d_paths, read_crontab, ScheduleClock::cron,
       CrontabFlavour::system, LoadRule::crontab, Expansion::parent, true, "a file of /etc/cron.d",
       nullptr, "crond_dir"},
      {SourceKind::anacrontab, "anacrontab", anacron_kinds, anacron_paths, read_anacrontab,
       ScheduleClock::anacron, CrontabFlavour::none, LoadRule::none, Expansion::parent, true,
       "/etc/anacrontab", nullptr, "anacrontab"},
      {SourceKind::run_parts, "run-parts", run_parts_kinds, run_parts_paths, read_run_parts,
       ScheduleClock::inherited, CrontabFlavour::none, LoadRule::run_parts, Expansion::child, false,
       "a file of a run-parts directory (/etc/cron.daily, ...)", nullptr, "runparts_dirs"},
      {SourceKind::systemd_unit, "unit", unit_kinds, unit_paths, read_unit, ScheduleClock::systemd,
       CrontabFlavour::none, LoadRule::none, Expansion::none, false,
       "a systemd timer, or the service it starts", unit_kind, "unit_dirs"},
      {SourceKind::at_job, "at", at_kinds, at_paths, read_at, ScheduleClock::once,
       CrontabFlavour::none, LoadRule::none, Expansion::none, false,
       "a one-off at(1) job in atd's spool", nullptr, "at_dirs"},
      // Not collected: the inspection reads the application files that a parent job's
      // `artisan schedule:run` names (docs/architecture.md, "Application schedulers").
      {SourceKind::laravel_task,
       "laravel-task",
       laravel_kinds,
       {},
       read_laravel_tasks,
       ScheduleClock::cron,
       CrontabFlavour::none,
       LoadRule::none,
       Expansion::inspected,
       false,
       "a Laravel application's scheduled task, read from its source",
       nullptr,
       ""},
      {SourceKind::supervisor, "supervisor", supervisor_kinds, supervisor_paths, read_supervisor,
       ScheduleClock::none, CrontabFlavour::none, LoadRule::none, Expansion::none, false,
       "a supervisord configuration file (its programs are workers)", nullptr, "supervisor_paths"},
      {SourceKind::worker_unit, "worker-unit", worker_unit_kinds, worker_unit_paths,
       read_worker_unit, ScheduleClock::none, CrontabFlavour::none, LoadRule::none, Expansion::none,
       false, "a systemd service no timer starts (a worker when it runs one)", nullptr,
       "worker_unit_dirs"},
  };
}

std::vector<SourceSpec>& table() {
  static std::vector<SourceSpec> rows = builtin_rows();
  return rows;
}

} // namespace

std::span<const SourceSpec> source_table() {
  return table();
}

const SourceSpec& source_spec(SourceKind kind) {
  for (const auto& spec : table()) {
    if (spec.kind == kind) {
      return spec;
    }
  }
  throw std::out_of_range("no source table row for this kind");
}

const SourceSpec* source_spec_for_wire(std::string_view wire) {
  for (const auto& spec : table()) {
    if (spec.wire == wire) {
      return &spec;
    }
  }
  return nullptr;
}

std::string_view catalog_kind(SourceKind kind, std::string_view path) {
  const auto& spec = source_spec(kind);
  return spec.kind_for_path ? spec.kind_for_path(path) : spec.catalog_kinds[0];
}

std::vector<catalog::SourceKindRow> catalog_kind_rows() {
  static constexpr std::array<std::string_view, 3> grammars{"", "user", "system"};
  static constexpr std::array<std::string_view, 6> clocks{"cron", "anacron", "systemd", "inherited",
                                                          "once", "none"};
  std::vector<catalog::SourceKindRow> out;
  for (const auto& spec : table()) {
    for (auto word : spec.catalog_kinds) {
      out.push_back({std::string(word),
                     std::string(grammars.at(static_cast<std::size_t>(spec.flavour))),
                     std::string(clocks.at(static_cast<std::size_t>(spec.clock))),
                     std::string(spec.description)});
    }
  }
  return out;
}

void register_source(const SourceSpec& spec) {
  auto& rows = table();
  const bool taken = std::any_of(rows.begin(), rows.end(), [&](const SourceSpec& row) {
    return row.kind == spec.kind || row.wire == spec.wire;
  });
  if (taken || spec.read == nullptr || spec.catalog_kinds.empty()) {
    throw std::invalid_argument("register_source: kind or wire word taken, or row incomplete");
  }
  rows.push_back(spec);
}

} // namespace digger::collect
