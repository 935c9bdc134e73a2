#include "digger/catalog/catalog.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "catalog_access.hpp"
#include "catalog_test_support.hpp"

using namespace digger::catalog;
using namespace digger::catalog::test;

namespace {

// Every row of a query, columns joined with '|', as the sqlite3 shell prints them.
std::vector<std::string> rows(Catalog& catalog, const std::string& sql) {
  Statement query = internal::database(catalog).prepare(sql);
  std::vector<std::string> result;
  while (query.step()) {
    std::string line;
    for (int column = 0; column < query.column_count(); ++column) {
      line += (column > 0 ? "|" : "") + query.column_bytes(column);
    }
    result.push_back(line);
  }
  return result;
}

// web1: alice's two python jobs. web2: bob's shell job plus a cron.d php job run as www-data,
// and the same backup job as web1 (same fingerprint). db1: unreachable. db2: auth failed.
void record_fleet(Catalog& catalog, std::int64_t scan) {
  HostRecord web1 = sample_host("web1", 2, "alice");
  web1.sources[0].entries.push_back(job_entry(9, "/usr/local/bin/backup", "binary", "fp-backup"));
  catalog.record_host(scan, web1);

  HostRecord web2 = sample_host("web2", 0, "bob");
  web2.sources[0].entries.push_back(job_entry(2, "bash /home/bob/sync.sh", "shell"));
  web2.sources[0].entries.push_back(job_entry(3, "/usr/local/bin/backup", "binary", "fp-backup"));
  EntryRow disabled = job_entry(4, "old.sh", "shell");
  disabled.kind = "disabled-job";
  web2.sources[0].entries.push_back(disabled);
  SourceRow cron_d;
  cron_d.path = "/etc/cron.d/app";
  cron_d.kind = "cron.d";
  cron_d.owner = "root";
  cron_d.entries.push_back(job_entry(1, "php /srv/app/artisan schedule:run", "php"));
  cron_d.entries[0].run_as = "www-data";
  web2.sources.push_back(cron_d);
  catalog.record_host(scan, web2);

  HostRecord db1 = sample_host("db1");
  db1.status = "unreachable";
  db1.reason = "connection refused";
  db1.sources.clear();
  catalog.record_host(scan, db1);
  HostRecord db2 = sample_host("db2");
  db2.status = "auth-failed";
  db2.reason = "no key accepted";
  db2.sources.clear();
  catalog.record_host(scan, db2);
}

} // namespace

TEST_CASE("the report views answer the everyday questions", "[catalog][views]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t scan = catalog.begin_scan(scan_info());
  record_fleet(catalog, scan);
  catalog.finish_scan(scan, ScanStatus::complete);

  CHECK(rows(catalog, "SELECT host, owner, schedule, command, language, file, line FROM jobs "
                      "ORDER BY host, line, file") ==
        std::vector<std::string>{
            "web1|alice|*/5 * * * *|/usr/bin/python3 /opt/job0.py|python|"
            "/var/spool/cron/crontabs/alice|2",
            "web1|alice|*/5 * * * *|/usr/bin/python3 /opt/job1.py|python|"
            "/var/spool/cron/crontabs/alice|3",
            "web1|alice|*/5 * * * *|/usr/local/bin/backup|binary|/var/spool/cron/crontabs/alice|9",
            "web2|www-data|*/5 * * * *|php /srv/app/artisan schedule:run|php|/etc/cron.d/app|1",
            "web2|bob|*/5 * * * *|bash /home/bob/sync.sh|shell|/var/spool/cron/crontabs/bob|2",
            "web2|bob|*/5 * * * *|/usr/local/bin/backup|binary|/var/spool/cron/crontabs/bob|3",
        });
  // The last column (v3) counts hidden batches: these jobs carry no verdict.
  CHECK(
      rows(catalog, "SELECT * FROM jobs_by_language") ==
      std::vector<std::string>{"binary|2|2|2|0", "python|2|1|1|0", "php|1|1|1|0", "shell|1|1|1|0"});
  CHECK(rows(catalog, "SELECT owner, jobs, hosts FROM jobs_by_owner") ==
        std::vector<std::string>{"alice|3|1", "bob|2|1", "www-data|1|1"});
  CHECK(rows(catalog, "SELECT host, status, reason FROM failed_hosts") ==
        std::vector<std::string>{"db2|auth-failed|no key accepted",
                                 "db1|unreachable|connection refused"});
  CHECK(rows(catalog, "SELECT fingerprint, hosts, jobs, command, host_names FROM duplicate_jobs") ==
        std::vector<std::string>{"fp-backup|2|2|/usr/local/bin/backup|web1,web2"});
}

TEST_CASE("the views follow the latest complete or interrupted scan", "[catalog][views]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t first = catalog.begin_scan(scan_info());
  record_fleet(catalog, first);
  catalog.finish_scan(first, ScanStatus::complete);

  std::int64_t failed = catalog.begin_scan(scan_info());
  catalog.record_host(failed, sample_host("ghost", 7));
  catalog.finish_scan(failed, ScanStatus::failed);
  std::int64_t running = catalog.begin_scan(scan_info());
  catalog.record_host(running, sample_host("ghost", 7));
  // Neither a failed nor a running scan replaces what the views show.
  CHECK(internal::database(catalog).query_int("SELECT COUNT(*) FROM jobs") == 6);
  CHECK(rows(catalog, "SELECT DISTINCT scan_id FROM jobs") ==
        std::vector<std::string>{std::to_string(first)});

  catalog.finish_scan(running, ScanStatus::interrupted);
  CHECK(rows(catalog, "SELECT host, COUNT(*) FROM jobs GROUP BY host") ==
        std::vector<std::string>{"ghost|7"});
  CHECK(rows(catalog, "SELECT * FROM failed_hosts").empty());
  CHECK(internal::database(catalog).query_int("SELECT COUNT(*) FROM all_jobs") == 6 + 7 + 7);
}
