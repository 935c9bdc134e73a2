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

#include "digger/catalog/catalog.hpp"
#include "digger/cron/describe.hpp"
#include "digger/cron/fingerprint.hpp"
#include "digger/cron/schedule.hpp"

#include <string>
#include <vector>

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
  auto schedule = cron::parse_schedule(job.schedule);
  entry.normalized_schedule = schedule->normalized();
  entry.description = cron::describe(*schedule);
  if (job.schedule.starts_with("@")) {
    entry.macro = job.schedule.substr(1);
  }
  entry.command = job.command;
  entry.language = job.language;
  entry.evidence = job.language == "unknown" ? "" : "interpreter " + job.language;
  entry.target = job.target;
  entry.fingerprint = cron::job_fingerprint(owner, *schedule, job.command);
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

inline const FixtureJob sync_job{"*/5 * * * *", "/usr/bin/python3 /opt/sync/run.py --all", "python",
                                 "/opt/sync/run.py"};
inline const FixtureJob cleanup_job{"30 1 * * *", "/opt/ops/cleanup.sh", "shell",
                                    "/opt/ops/cleanup.sh"};

inline std::vector<catalog::HostRecord> fixture_scan_one() {
  using L = std::map<std::string, std::string>;
  auto web1 = fixture_host("web-01", L{{"env", "prod"}, {"role", "web"}}, "root", {sync_job});
  add_source(web1, "alice", {{"0 3 * * 1-5", "/home/alice/backup.sh", "shell"}});
  auto web2 = fixture_host("web-02", L{{"env", "prod"}, {"role", "web"}}, "root", {sync_job});
  add_source(web2, "www-data", {{"@hourly", "php /var/www/artisan schedule:run", "php"}});
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
  return {web1, web2, db1, old1, web3, cache1};
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
       {"0 6 * * 1", "/usr/bin/python3 /opt/reports/weekly.py", "python"}});
  auto new1 = fixture_host("new-01", L{{"env", "staging"}}, "ops", {cleanup_job}, "UTC");
  auto web3 = failed_host("web-03", L{{"env", "staging"}, {"role", "web"}}, "timeout",
                          "no answer within 5 s");
  auto cache1 = fixture_host("cache-01", L{{"env", "prod"}, {"role", "cache"}}, "redis",
                             {{"*/10 * * * *", "redis-cli bgsave", "unknown"}});
  return {web1, web2, db1, new1, web3, cache1};
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
  auto update = catalog.database().prepare(
      "UPDATE scans SET started_at = ?1, finished_at = ?2 WHERE id = ?3");
  update.bind(1, started).bind(2, finished).bind(3, id);
  update.run();
  return id;
}

// Both scans into a new catalog at `path`.
inline void write_fixture_catalog(const std::string& path) {
  auto catalog = catalog::Catalog::open(path);
  write_fixture_scan(catalog, fixture_scan_one(), "2026-11-11T02:00:00Z", "2026-11-11T02:03:10Z");
  write_fixture_scan(catalog, fixture_scan_two(), "2026-11-18T02:00:00Z", "2026-11-18T02:02:45Z");
}

} // namespace digger::report::test
