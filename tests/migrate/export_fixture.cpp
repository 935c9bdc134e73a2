// Writes the export suite's catalog to argv[1]: crontab files parsed by the real collector
// code (collect::add_snapshot) and stored through catalog::Writer, as a scan stores them.
//
//   web-01 (Europe/Paris)  user crontab of alice: MAILTO, a secret env value, a weekday job,
//                          a %-stdin job, a day-of-month OR day-of-week job
//                          /etc/anacrontab: a daily run-parts line, a weekly job, a 3-day job;
//                          /etc/cron.daily/rotate-app (run-parts, from anacron); a systemd
//                          timer with an exact calendar and one with seconds
//   db-01  (UTC)           /etc/cron.d/pg: SHELL=/bin/bash, a job under flock -n, an @reboot
//                          job, a line written with tabs, a job with a password on its command
//                          line; /etc/cron.d/off, which cron does not load (skipped by default)
//   ../../escape (UTC)     a host name and command that try to leave the output directory

#include "digger/catalog/catalog.hpp"
#include "digger/catalog/writer.hpp"
#include "digger/collect/host_record.hpp"

#include <cstdio>
#include <exception>

#include "catalog_access.hpp"

namespace {

using namespace digger;

collect::CronSource source(std::string path, collect::SourceKind kind, std::string owner,
                           std::string content) {
  collect::CronSource out;
  out.path = std::move(path);
  out.kind = kind;
  out.owner = std::move(owner);
  out.mode = 0600;
  out.size = static_cast<std::int64_t>(content.size());
  out.content = std::move(content);
  return out;
}

collect::CronSource executable(collect::CronSource source) {
  source.mode = 0755; // run-parts runs only executable files
  return source;
}

catalog::HostRecord host(const std::string& name, const std::string& zone,
                         std::vector<collect::CronSource> sources) {
  catalog::HostRecord record;
  record.name = name;
  record.address = "127.0.0.1";
  record.login_user = "digger";
  collect::HostSnapshot snapshot;
  snapshot.facts = {name, "debian", "12", zone, "cron"};
  snapshot.sources = std::move(sources);
  collect::add_snapshot(record, snapshot);
  return record;
}

std::vector<catalog::HostRecord> fleet() {
  using collect::SourceKind;
  auto web = host("web-01", "Europe/Paris",
                  {source("/var/spool/cron/crontabs/alice", SourceKind::user_crontab, "alice",
                          "# alice's jobs\n"
                          "MAILTO=alice@example.com\n"
                          "DB_PASSWORD=hunter2\n"
                          "0 3 * * 1-5 /home/alice/backup.sh --full\n"
                          "30 2 * * * mail -s report bob%first line%second line\n"
                          "0 12 15 * 1 /usr/bin/python3 /home/alice/report.py\n"),
                   source("/etc/anacrontab", SourceKind::anacrontab, "root",
                          "# /etc/anacrontab: configuration file for anacron\n\n"
                          "SHELL=/bin/sh\nPATH=/usr/bin:/bin\n"
                          "1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n"
                          "7 10 app.weekly /opt/app/weekly.sh\n"
                          "3 15 app.every3 /opt/app/every3.sh\n"),
                   executable(source("/etc/cron.daily/rotate-app", SourceKind::run_parts, "root",
                                     "#!/bin/sh\n/opt/app/rotate\n")),
                   source("/etc/systemd/system/app-sync.timer", SourceKind::systemd_unit, "root",
                          "[Timer]\nOnCalendar=Mon..Fri *-*-* 06:15:00\n"
                          "OnCalendar=*-*-* *:00:30\n"),
                   source("/etc/systemd/system/app-sync.service", SourceKind::systemd_unit, "root",
                          "[Service]\nExecStart=/opt/app/sync --all\n")});

  auto db = host("db-01", "UTC",
                 {source("/etc/cron.d/pg", SourceKind::cron_d, "root",
                         "SHELL=/bin/bash\n"
                         "*/10 * * * * postgres /usr/bin/flock -n /tmp/vacuum.lock vacuumdb -a\n"
                         "@reboot root /opt/warm/cache.sh\n"
                         "5\t4 * * *\troot\t/opt/tabbed.sh\n"
                         "0 1 * * * root mysqldump -psecret123 shop > /var/backups/shop.sql\n"),
                  source("/etc/cron.d/off", SourceKind::cron_d, "root",
                         "15 1 * * * root /opt/never/runs.sh\n")});
  for (auto& s : db.sources) {
    if (s.path == "/etc/cron.d/off") {
      s.loaded_by_daemon = false; // as for a file cron refuses (e.g. group-writable)
      s.not_loaded_reason = "group-writable";
    }
  }
  auto escape =
      host("../../escape", "UTC",
           {source("/var/spool/cron/crontabs/root", SourceKind::user_crontab, "root",
                   "5 4 * * * /opt/../../x/`id`$(touch pwned)/../..; echo '</script>'\n")});
  return {web, db, escape};
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CATALOG.db\n", argv[0]);
    return 2;
  }
  try {
    auto catalog = catalog::Catalog::open(argv[1]);
    catalog::ScanInfo info;
    info.inventory_path = "fleet.txt";
    info.hosts_planned = 3;
    info.digger_version = "test";
    const auto id = catalog.begin_scan(info);
    {
      catalog::Writer writer(catalog, id);
      for (auto& record : fleet()) {
        writer.submit(std::move(record));
      }
      writer.stop();
    }
    catalog.finish_scan(id, catalog::ScanStatus::complete);
    // Fixed times: the DST items and the report do not depend on the day the test runs.
    auto update = catalog::internal::database(catalog).prepare(
        "UPDATE scans SET started_at = '2026-11-18T02:00:00Z', finished_at = "
        "'2026-11-18T02:01:00Z' WHERE id = ?1");
    update.bind(1, id);
    update.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
