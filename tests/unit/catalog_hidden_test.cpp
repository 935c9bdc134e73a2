// Schema v3 (issue 8): verdicts, flags, new source kinds, programs, and the views over them.

#include "digger/catalog/catalog.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "catalog_access.hpp"
#include "catalog_test_support.hpp"

using namespace digger::catalog;
using namespace digger::catalog::test;
using namespace std::string_literals;

namespace {

EntryRow hidden_job(int line, const std::string& command) {
  EntryRow job = job_entry(line, command, "python");
  job.verdict = "hidden";
  job.verdict_reasons = {"per-user crontab of alice", "script under /home",
                         "no MAILTO (output is mailed to the owner)"};
  job.flags = {"target-missing", "secret-in-command"};
  job.target = "/home/alice/sync.py";
  return job;
}

ProgramRow go_program() {
  ProgramRow program;
  program.path = "/opt/billing/bin/settle";
  program.exists = true;
  program.type = "file";
  program.resolved_path = "/opt/billing/bin/settle-1.4";
  program.size = 4'200'000;
  program.mode = 0755;
  program.uid = 0;
  program.gid = 0;
  program.mtime = 1'700'000'123;
  program.owner = "root";
  program.sha256 = std::string(64, 'b');
  program.head = "\x7f"s + "ELF\x02\x01\x01\0\0\0"s;
  program.elf = true;
  program.go_version = "go1.19.8";
  program.go_module = "example.com/settle";
  program.dir_mode = 0775;
  program.dir_uid = 0;
  program.dir_gid = 1001;
  return program;
}

// Every field issue 8 added, with values unlike their defaults.
HostRecord host_with_everything() {
  HostRecord host = sample_host("web1", 0, "alice");
  host.inspection_note = "256 of 300 targets inspected: the per-host bound was hit";
  host.sources[0].entries.push_back(hidden_job(2, "/home/alice/sync.py --token=***"));
  SourceRow package_file;
  package_file.path = "/etc/cron.d/sysstat";
  package_file.kind = "cron.d";
  package_file.owner = "root";
  package_file.package = "sysstat";
  EntryRow managed = job_entry(3, "command -v debian-sa1 > /dev/null && debian-sa1 1 1", "shell");
  managed.run_as = "root";
  managed.verdict = "managed";
  managed.managed_by = "package:sysstat";
  package_file.entries.push_back(managed);
  EntryRow migrated = job_entry(4, "/opt/report.sh", "shell");
  migrated.kind = "disabled-job";
  migrated.verdict = "migrated";
  migrated.managed_by = "digger:k8s:nightly-report";
  package_file.entries.push_back(migrated);
  host.sources.push_back(package_file);

  SourceRow run_parts;
  run_parts.path = "/etc/cron.daily/logrotate";
  run_parts.kind = "run-parts";
  run_parts.owner = "root";
  EntryRow script = job_entry(0, "/etc/cron.daily/logrotate", "shell");
  script.schedule_text = "25 6 * * *";
  script.schedule_origin = "/etc/crontab:17";
  script.verdict = "hidden";
  script.verdict_reasons = {"not owned by any package"};
  run_parts.entries.push_back(script);
  host.sources.push_back(run_parts);

  SourceRow timer;
  timer.path = "/etc/systemd/system/settle.timer";
  timer.kind = "timer";
  timer.owner = "root";
  EntryRow trigger = job_entry(5, "/opt/billing/bin/settle --daily", "go");
  trigger.raw = "OnCalendar=*-*-* 02:00:00";
  trigger.schedule_text = "*-*-* 02:00:00";
  trigger.normalized_schedule = "*-*-* 02:00:00";
  trigger.target = "/opt/billing/bin/settle";
  trigger.verdict = "hidden";
  trigger.flags = {"timer-disabled"};
  timer.entries.push_back(trigger);
  host.sources.push_back(timer);
  for (const char* kind : {"anacrontab", "service"}) {
    SourceRow other;
    other.path = "/etc/"s + kind;
    other.kind = kind;
    EntryRow comment;
    comment.line_number = 1;
    comment.kind = "comment";
    comment.raw = "# nothing";
    other.entries.push_back(comment);
    host.sources.push_back(other);
  }
  host.programs.push_back(go_program());
  ProgramRow missing;
  missing.path = "/home/alice/sync.py";
  missing.error = "No such file or directory";
  host.programs.push_back(missing);
  return host;
}

} // namespace

TEST_CASE("verdicts, flags, packages and programs round-trip", "[catalog][hidden]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t scan = catalog.begin_scan(scan_info());
  const HostRecord host = host_with_everything();
  catalog.record_host(scan, host);
  catalog.finish_scan(scan, ScanStatus::complete);

  std::optional<HostRecord> back = catalog.host_record(scan, {"web1", 22});
  REQUIRE(back.has_value());
  CHECK(back->programs == host.programs);
  CHECK(back->inspection_note == host.inspection_note);
  CHECK(back->sources.at(1).package == "sysstat");
  CHECK(back->sources.at(0).entries.at(1).verdict_reasons ==
        host.sources.at(0).entries.at(1).verdict_reasons);
  CHECK(back->sources.at(2).entries.at(0).schedule_origin == "/etc/crontab:17");
  CHECK(*back == host);

  Database& db = internal::database(catalog);
  CHECK(db.query_int("SELECT COUNT(*) FROM programs WHERE typeof(head) = 'blob'") == 1);
  CHECK(db.query_int("SELECT COUNT(*) FROM programs WHERE head IS NULL") == 1);
  // Lists are one item per line, so SQL can look for one flag.
  CHECK(db.query_int("SELECT COUNT(*) FROM entries WHERE instr(char(10) || flags || char(10), "
                     "char(10) || 'target-missing' || char(10)) > 0") == 1);
}

TEST_CASE("the jobs views carry the verdict and the target's facts", "[catalog][hidden][views]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t scan = catalog.begin_scan(scan_info());
  catalog.record_host(scan, host_with_everything());
  HostRecord web2 = sample_host("web2", 1, "bob"); // a job without any verdict (an old scan)
  catalog.record_host(scan, web2);
  catalog.finish_scan(scan, ScanStatus::complete);
  Database& db = internal::database(catalog);

  // The disabled line is not a job; the job without verdict is in `jobs` but not hidden.
  CHECK(db.query_int("SELECT COUNT(*) FROM jobs") == 5);
  CHECK(db.query_int("SELECT COUNT(*) FROM hidden_jobs") == 3);
  CHECK(db.query_int("SELECT COUNT(*) FROM jobs WHERE verdict IS NULL") == 1);
  Statement go = db.prepare("SELECT target_exists, go_version, source_kind FROM jobs "
                            "WHERE language = 'go' OR host = 'web2' ORDER BY host");
  REQUIRE(go.step());
  CHECK(go.column_int(0) == 1);
  CHECK(go.column_text(1) == "go1.19.8");
  CHECK(go.column_text(2) == "timer");
  // web2's target was never inspected: no program row, so NULL facts.
  REQUIRE(go.step());
  CHECK(go.column_is_null(0));
  CHECK(go.column_is_null(1));
  CHECK(db.query_int("SELECT COUNT(*) FROM jobs WHERE target_exists = 0") == 1);

  Statement timer = db.prepare("SELECT managed_by, package, schedule_origin FROM jobs "
                               "WHERE file = '/etc/cron.d/sysstat'");
  REQUIRE(timer.step());
  CHECK(timer.column_bytes(0) == "package:sysstat");
  CHECK(timer.column_bytes(1) == "sysstat");
  CHECK(timer.column_is_null(2));

  Statement by_language =
      db.prepare("SELECT language, jobs, hidden FROM jobs_by_language ORDER BY language");
  std::vector<std::string> rows;
  while (by_language.step()) {
    rows.push_back(fmt::format("{} {} {}", by_language.column_text(0), by_language.column_int(1),
                               by_language.column_int(2)));
  }
  CHECK(rows == std::vector<std::string>{"go 1 1", "python 2 1", "shell 2 1"});
  Statement by_owner = db.prepare("SELECT owner, jobs, hidden FROM jobs_by_owner ORDER BY owner");
  rows.clear();
  while (by_owner.step()) {
    rows.push_back(fmt::format("{} {} {}", by_owner.column_bytes(0), by_owner.column_int(1),
                               by_owner.column_int(2)));
  }
  CHECK(rows == std::vector<std::string>{"alice 1 1", "bob 1 0", "root 3 2"});
}

TEST_CASE("a verdict the schema does not know is refused before writing", "[catalog][hidden]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t scan = catalog.begin_scan(scan_info());
  HostRecord host = sample_host("web1");
  host.sources[0].entries[1].verdict = "maybe";
  CHECK_THROWS_AS(catalog.record_host(scan, host), std::invalid_argument);
  host.sources[0].entries[1].verdict = "";
  host.sources[0].kind = "launchd";
  CHECK_THROWS_AS(catalog.record_host(scan, host), std::invalid_argument);
  CHECK(internal::database(catalog).query_int("SELECT COUNT(*) FROM host_results") == 0);
}
