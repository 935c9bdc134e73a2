#pragma once

// A small fleet of two scans one week apart, written through catalog::Catalog, shared by the
// report unit tests and the golden-file suite (tests/report). Schedules, descriptions and
// fingerprints are computed by the real cron code, like a scan would.
//
// Scan 1 (2026-11-11)                     Scan 2 (2026-11-18)
//   web-01 ok: root sync (py), alice backup   alice backup moves to 04:00 (schedule-changed)
//   web-02 ok: root sync (py), www-data php   php job's command changes (command-changed)
//   db-01  ok: postgres vacuum, hostile text  plus a new report job (added)
//   old-01 ok: ops cleanup                     gone; the cleanup job moves to new-01
//   web-03 ok: a shell job                     unreachable (unknown, not "removed")
//   cache-01 unreachable                       ok with one job (unknown: not scanned before)
//   web-02 www-data etl job                    disabled, marked migrated (diff: migrated)
// Scan 2 also finds a Supervisor queue worker on web-01 (8 processes; diff: a worker added).
// Both scans also hold jobs of other sources: a package's cron.d file and an Ansible one on
// web-01, /etc/anacrontab on web-02, a systemd timer running a Go binary on db-01; scan 2 adds
// a run-parts script on cache-01. Scan 1 is as an older digger-scan wrote it (no verdicts);
// scan 2 has verdicts: the crontab jobs and the timer are hidden, the rest managed (3 by
// packages, 1 by Ansible); the targets of web-01, web-02 and db-01 were inspected.

#include "digger/catalog/catalog.hpp"
#include "digger/crontab/schedule.hpp"
#include "digger/judge/fingerprint.hpp"
#include "digger/timing/describe.hpp"

#include <span>
#include <string>
#include <vector>

#include "catalog_access.hpp"

namespace digger::report::test {

struct FixtureJob {
  std::string schedule;
  std::string command;
  std::string language;
  std::string target = "";
};

inline catalog::EntryRow fixture_entry(int line, const std::string& owner, const FixtureJob& job) {
  catalog::EntryRow entry;
  entry.line_number = line;
  entry.kind = "job";
  entry.schedule_text = job.schedule;
  entry.raw = job.schedule + " " + job.command;
  auto schedule = crontab::parse_schedule(job.schedule);
  entry.normalized_schedule = schedule->normalized();
  entry.description = timing::describe(*schedule);
  if (job.schedule.starts_with("@")) {
    entry.macro = job.schedule.substr(1);
  }
  entry.command = job.command;
  entry.language = job.language;
  entry.evidence = job.language == "unknown" ? "" : "interpreter " + job.language;
  entry.target = job.target;
  entry.fingerprint = judge::job_fingerprint(owner, *schedule, job.command);
  return entry;
}

inline catalog::HostRecord fixture_host(const std::string& name,
                                        std::map<std::string, std::string> labels,
                                        const std::string& owner,
                                        const std::vector<FixtureJob>& jobs,
                                        const std::string& timezone = "Europe/Paris") {
  catalog::HostRecord host;
  host.name = name;
  host.address = "127.0.0.1";
  host.login_user = "digger";
  host.labels = std::move(labels);
  host.facts = {name, "debian", "12", timezone, "cron"};
  catalog::SourceRow source;
  source.path = "/var/spool/cron/crontabs/" + owner;
  source.owner = owner;
  source.mode = 0600;
  int line = 1;
  for (const auto& job : jobs) {
    source.entries.push_back(fixture_entry(line++, owner, job));
  }
  host.sources.push_back(std::move(source));
  return host;
}

inline catalog::HostRecord failed_host(const std::string& name,
                                       std::map<std::string, std::string> labels,
                                       const std::string& status, const std::string& reason) {
  catalog::HostRecord host;
  host.name = name;
  host.labels = std::move(labels);
  host.status = status;
  host.reason = reason;
  return host;
}

// Adds a second file to a host (for several owners on one host).
inline void add_source(catalog::HostRecord& host, const std::string& owner,
                       const std::vector<FixtureJob>& jobs) {
  auto extra = fixture_host(host.name, {}, owner, jobs);
  host.sources.push_back(std::move(extra.sources.front()));
}

inline catalog::EntryRow managed_entry(int line, const std::string& run_as,
                                       const std::string& managed_by, catalog::EntryRow entry) {
  entry.line_number = line;
  entry.run_as = run_as;
  entry.verdict = managed_by.empty() ? "" : "managed";
  entry.managed_by = managed_by;
  return entry;
}

inline catalog::SourceRow fixture_source(const std::string& path, const std::string& kind,
                                         const std::string& package,
                                         std::vector<catalog::EntryRow> entries) {
  catalog::SourceRow source;
  source.path = path;
  source.kind = kind;
  source.owner = "root";
  source.mode = 0644;
  source.package = package;
  source.entries = std::move(entries);
  return source;
}

// An anacrontab-style schedule (not cron fields): written by hand, as the anacron parser would.
inline catalog::EntryRow anacron_entry(const std::string& command, const std::string& target) {
  catalog::EntryRow entry;
  entry.kind = "job";
  entry.schedule_text = "1 5 cron.daily";
  entry.macro = "daily";
  entry.normalized_schedule = "anacron period=1d delay=5m";
  entry.raw = "1\t5\tcron.daily\t" + command;
  entry.command = command;
  entry.language = "shell";
  entry.evidence = "run-parts";
  entry.target = target;
  entry.description = "Daily, 5 minutes after anacron starts";
  entry.fingerprint = "anacron-" + target;
  return entry;
}

inline catalog::EntryRow timer_entry() {
  catalog::EntryRow entry;
  entry.line_number = 5;
  entry.kind = "job";
  entry.raw = "OnCalendar=*-*-* 02:00:00";
  entry.schedule_text = "*-*-* 02:00:00";
  entry.normalized_schedule = "*-*-* 02:00:00";
  entry.command = "/opt/billing/bin/settle --daily";
  entry.run_as = "billing";
  entry.language = "go";
  entry.evidence = "Go build info go1.19.8 example.com/settle";
  entry.target = "/opt/billing/bin/settle";
  entry.description = "Every day at 02:00";
  entry.fingerprint = "timer-settle";
  return entry;
}

// The jobs of sources other than crontabs (see the top of this file).
inline void add_other_sources(catalog::HostRecord& host, bool decided) {
  const auto by = [decided](const std::string& manager) { return decided ? manager : ""; };
  if (host.name == "web-01") {
    host.sources.push_back(fixture_source(
        "/etc/cron.d/sysstat", "cron.d", decided ? "sysstat" : "",
        {managed_entry(
            3, "root", by("package:sysstat"),
            fixture_entry(0, "root",
                          {"5-55/10 * * * *", "command -v debian-sa1 > /dev/null && debian-sa1 1 1",
                           "shell"}))}));
    host.sources.push_back(
        fixture_source("/etc/cron.d/backup", "cron.d", "",
                       {managed_entry(2, "root", by("ansible:nightly backup"),
                                      fixture_entry(0, "root",
                                                    {"0 1 * * *", "/usr/local/bin/backup --nightly",
                                                     "binary", "/usr/local/bin/backup"}))}));
  } else if (host.name == "web-02") {
    host.sources.push_back(fixture_source(
        "/etc/anacrontab", "anacrontab", decided ? "anacron" : "",
        {managed_entry(9, "root", by("package:anacron"),
                       anacron_entry("run-parts --report /etc/cron.daily", "/etc/cron.daily"))}));
  } else if (host.name == "db-01") {
    auto timer = fixture_source("/etc/systemd/system/settle.timer", "timer", "", {timer_entry()});
    if (decided) {
      auto& job = timer.entries[0];
      job.verdict = "hidden";
      job.verdict_reasons = {"systemd timer not owned by any package",
                             "no configuration-management marker"};
      job.flags = {"timer-disabled"};
    }
    host.sources.push_back(std::move(timer));
  } else if (host.name == "cache-01" && decided) {
    auto script = anacron_entry("/etc/cron.daily/logrotate", "/etc/cron.daily/logrotate");
    script.schedule_origin = "/etc/anacrontab:9";
    script.raw = "/etc/cron.daily/logrotate";
    host.sources.push_back(fixture_source("/etc/cron.daily/logrotate", "run-parts", "logrotate",
                                          {managed_entry(0, "root", "package:logrotate", script)}));
  }
}

// A Laravel queue worker kept running by Supervisor (issue 18).
inline catalog::SourceRow worker_source() {
  catalog::EntryRow entry;
  entry.kind = "worker";
  entry.line_number = 3;
  entry.raw = "[program:laravel-worker]";
  entry.command = "php /srv/app/artisan queue:work --sleep=3";
  entry.run_as = "forge";
  entry.language = "php";
  entry.evidence = "interpreter php";
  entry.description = "supervisor program laravel-worker, 8 processes, autorestart=true";
  entry.fingerprint = "worker-laravel";
  entry.verdict = "hidden";
  catalog::WorkerRow worker;
  worker.manager = "supervisor";
  worker.name = "laravel-worker";
  worker.group = "laravel-worker";
  worker.instances = 8;
  worker.restart = "true";
  worker.environment = {"APP_ENV=production", "DB_PASSWORD=***"};
  entry.worker = std::move(worker);
  return fixture_source("/etc/supervisor/conf.d/laravel.conf", "supervisor", "", {entry});
}

// Scan 2's verdicts for crontab jobs: hidden, with the reasons the verdict rules give.
inline void decide_crontab_jobs(catalog::HostRecord& host) {
  for (auto& source : host.sources) {
    if (source.kind != "user") {
      continue;
    }
    for (auto& entry : source.entries) {
      if (entry.kind == "job") {
        entry.verdict = "hidden";
        entry.verdict_reasons = {"per-user crontab of " + source.owner,
                                 "no MAILTO (output is mailed to the owner)",
                                 "not owned by any package"};
      }
    }
  }
}

inline catalog::ProgramRow fixture_program(const std::string& path, bool exists,
                                           const std::string& head) {
  catalog::ProgramRow program;
  program.path = path;
  program.exists = exists;
  if (exists) {
    program.type = "file";
    program.size = 4096;
    program.mode = 0755;
    program.uid = 0;
    program.gid = 0;
    program.owner = "root";
    program.sha256 = std::string(64, 'c');
    program.head = head;
  } else {
    program.error = "No such file or directory";
  }
  return program;
}

inline const FixtureJob sync_job{"*/5 * * * *", "/usr/bin/python3 /opt/sync/run.py --all", "python",
                                 "/opt/sync/run.py"};
inline const FixtureJob cleanup_job{"30 1 * * *", "/opt/ops/cleanup.sh", "shell",
                                    "/opt/ops/cleanup.sh"};

inline std::vector<catalog::HostRecord> fixture_scan_one() {
  using L = std::map<std::string, std::string>;
  auto web1 = fixture_host("web-01", L{{"env", "prod"}, {"role", "web"}}, "root", {sync_job});
  add_source(web1, "alice", {{"0 3 * * 1-5", "/home/alice/backup.sh", "shell"}});
  auto web2 = fixture_host("web-02", L{{"env", "prod"}, {"role", "web"}}, "root", {sync_job});
  add_source(web2, "www-data",
             {{"@hourly", "php /var/www/artisan schedule:run", "php"},
              {"0 1 * * *", "/opt/etl/nightly.sh", "shell", "/opt/etl/nightly.sh"}});
  // Text a hostile host could send: a formula, terminal escapes, invalid UTF-8, CSV quoting,
  // HTML.
  auto db1 = fixture_host(
      "db-01", L{{"env", "prod"}, {"role", "db"}}, "postgres",
      {{"0 2 * * 0", "vacuumdb --all --analyze", "unknown"},
       {"15 4 1 * *", "=HYPERLINK(\"http://evil\",\"x\")", "unknown"},
       {"0 5 * * *", "echo \x1b[31mred\x1b[0m, \"quoted\" \xff <script>alert(1)</script>",
        "shell"}});
  auto old1 = fixture_host("old-01", L{{"env", "staging"}}, "ops", {cleanup_job}, "UTC");
  auto web3 = fixture_host("web-03", L{{"env", "staging"}, {"role", "web"}}, "deploy",
                           {{"0 0 * * *", "/srv/deploy/rotate.sh", "shell"}});
  auto cache1 = failed_host("cache-01", L{{"env", "prod"}, {"role", "cache"}}, "unreachable",
                            "connect: connection refused");
  std::vector<catalog::HostRecord> hosts{web1, web2, db1, old1, web3, cache1};
  for (auto& host : hosts) {
    add_other_sources(host, false);
  }
  return hosts;
}

inline std::vector<catalog::HostRecord> fixture_scan_two() {
  using L = std::map<std::string, std::string>;
  auto web1 = fixture_host("web-01", L{{"env", "prod"}, {"role", "web"}}, "root", {sync_job});
  add_source(web1, "alice", {{"0 4 * * 1-5", "/home/alice/backup.sh", "shell"}});
  auto web2 = fixture_host("web-02", L{{"env", "prod"}, {"role", "web"}}, "root", {sync_job});
  add_source(web2, "www-data", {{"@hourly", "php /var/www/artisan schedule:run --quiet", "php"}});
  auto db1 = fixture_host(
      "db-01", L{{"env", "prod"}, {"role", "db"}}, "postgres",
      {{"0 2 * * 0", "vacuumdb --all --analyze", "unknown"},
       {"15 4 1 * *", "=HYPERLINK(\"http://evil\",\"x\")", "unknown"},
       {"0 5 * * *", "echo \x1b[31mred\x1b[0m, \"quoted\" \xff <script>alert(1)</script>", "shell"},
       {"0 6 * * 1", "/usr/bin/python3 /opt/reports/weekly.py", "python",
        "/opt/reports/weekly.py"}});
  auto new1 = fixture_host("new-01", L{{"env", "staging"}}, "ops", {cleanup_job}, "UTC");
  auto web3 = failed_host("web-03", L{{"env", "staging"}, {"role", "web"}}, "timeout",
                          "no answer within 5 s");
  auto cache1 = fixture_host("cache-01", L{{"env", "prod"}, {"role", "cache"}}, "redis",
                             {{"*/10 * * * *", "redis-cli bgsave", "unknown"}});
  // The etl job went to Kubernetes: its line is disabled and marked (`digger-scan export`).
  auto& www_data = web2.sources.back().entries;
  catalog::EntryRow marker;
  marker.line_number = 2;
  marker.kind = "comment";
  marker.raw = "# digger: migrated to kubernetes etl-nightly";
  www_data.push_back(marker);
  auto etl = fixture_entry(3, "www-data", {"0 1 * * *", "/opt/etl/nightly.sh", "shell"});
  etl.kind = "disabled-job";
  etl.raw = "#" + etl.raw;
  etl.verdict = "migrated";
  etl.managed_by = "digger:kubernetes:etl-nightly";
  www_data.push_back(etl);
  std::vector<catalog::HostRecord> hosts{web1, web2, db1, new1, web3, cache1};
  for (auto& host : hosts) {
    decide_crontab_jobs(host);
    add_other_sources(host, true);
  }
  const std::string python_head = "#!/usr/bin/env python3\nimport sys\n";
  hosts[0].programs.push_back(fixture_program("/opt/sync/run.py", true, python_head));
  hosts[1].programs.push_back(fixture_program("/opt/sync/run.py", true, python_head));
  hosts[2].programs.push_back(fixture_program("/opt/reports/weekly.py", false, ""));
  auto settle = fixture_program("/opt/billing/bin/settle", true,
                                "\x7f"
                                "ELF");
  settle.elf = true;
  settle.go_version = "go1.19.8";
  settle.go_module = "example.com/settle";
  hosts[2].programs.push_back(settle);
  hosts[0].sources.push_back(worker_source());
  auto& weekly = hosts[2].sources[0].entries.back();
  weekly.flags = {"target-missing"};
  weekly.verdict_reasons.push_back("target missing");
  return hosts;
}

// Writes one scan with fixed times so that reports on it are reproducible.
inline std::int64_t write_fixture_scan(catalog::Catalog& catalog,
                                       const std::vector<catalog::HostRecord>& hosts,
                                       const std::string& started, const std::string& finished) {
  catalog::ScanInfo info;
  info.inventory_path = "fleet.txt";
  info.hosts_planned = static_cast<std::int64_t>(hosts.size());
  info.digger_version = "0.1.0";
  const std::int64_t id = catalog.begin_scan(info);
  catalog.record_hosts(id, hosts);
  catalog.finish_scan(id, catalog::ScanStatus::complete);
  auto update = catalog::internal::database(catalog).prepare(
      "UPDATE scans SET started_at = ?1, finished_at = ?2 WHERE id = ?3");
  update.bind(1, started).bind(2, finished).bind(3, id);
  update.run();
  return id;
}

// Both scans into a new catalog at `path`.
inline void write_fixture_catalog(const std::string& path) {
  auto catalog = catalog::Catalog::open(path);
  const catalog::SourceKindRow supervisor{"supervisor", "", "none",
                                          "a supervisord configuration file"};
  catalog.register_source_kinds(std::span(&supervisor, 1));
  write_fixture_scan(catalog, fixture_scan_one(), "2026-11-11T02:00:00Z", "2026-11-11T02:03:10Z");
  write_fixture_scan(catalog, fixture_scan_two(), "2026-11-18T02:00:00Z", "2026-11-18T02:02:45Z");
}

} // namespace digger::report::test
