#include "digger/collect/host_record.hpp"
#include "digger/collect/job_judgement.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "collect_fixture.hpp"

using namespace digger;
using namespace digger::collect;

namespace {

using test::record_of;
using test::source;
using test::source_file;

// A Debian host: /etc/crontab runs cron.daily unless anacron exists, anacron runs it too.
HostSnapshot debian_host() {
  HostSnapshot snap;
  snap.facts.cron_daemon = "vixie";
  snap.sources.push_back(
      source_file(SourceKind::system_crontab, "/etc/crontab",
                  "SHELL=/bin/sh\n"
                  "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n"
                  "25 6 * * * root test -x /usr/sbin/anacron || ( cd / && run-parts "
                  "--report /etc/cron.daily )\n"));
  snap.sources.push_back(source_file(SourceKind::anacrontab, "/etc/anacrontab",
                                     "SHELL=/bin/sh\nMAILTO=ops@example.com\n"
                                     "1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n"));
  snap.sources.push_back(source_file(SourceKind::run_parts, "/etc/cron.daily/logrotate",
                                     "#!/bin/sh\nlogrotate x\n", 0755));
  snap.sources.push_back(
      source_file(SourceKind::run_parts, "/etc/cron.daily/old.bak", "#!/bin/sh\nexit 0\n", 0755));
  snap.sources.push_back(source_file(SourceKind::run_parts, "/etc/cron.hourly/report",
                                     "#!/usr/bin/env python3\nprint(1)\n", 0755));
  snap.sources.push_back(source_file(SourceKind::cron_d, "/etc/cron.d/php",
                                     "09,39 * * * * root [ -x /usr/lib/php/sessionclean ] && "
                                     "/usr/lib/php/sessionclean\n"));
  snap.sources.push_back(source_file(SourceKind::user_crontab, "/var/spool/cron/crontabs/alice",
                                     "#Ansible: nightly export\n"
                                     "0 2 * * * /home/alice/export.sh\n"
                                     "30 1 * * * mysqldump -pS3cretPass shop > /tmp/shop.sql\n"
                                     "PGPASSWORD=hunter2\n"
                                     "# digger: migrated to jenkins web-alice-settle\n"
                                     "#0 4 * * * /opt/billing/settle\n"
                                     "5 4 * * * /opt/billing/settle --daily\n",
                                     0600, "alice"));
  snap.sources.push_back(source_file(SourceKind::systemd_unit, "/etc/systemd/system/backup.timer",
                                     "[Timer]\nOnCalendar=daily\nOnCalendar=Sat *-*-* 12:00\n"
                                     "Persistent=true\n"));
  snap.sources.push_back(
      source_file(SourceKind::systemd_unit, "/etc/systemd/system/backup.service",
                  "[Service]\nUser=backup\nExecStart=-/usr/local/bin/backup --all\n"));
  snap.sources.push_back(source_file(SourceKind::systemd_unit, "/etc/systemd/system/sweep.timer",
                                     "[Timer]\nOnBootSec=15min\nOnUnitActiveSec=1h\n"));
  snap.sources.push_back(source_file(SourceKind::systemd_unit, "/etc/systemd/system/sweep.service",
                                     "[Service]\nExecStart=/opt/sweep/sweep\n"));
  snap.enabled_units.push_back(
      {"/etc/systemd/system/timers.target.wants/backup.timer", "/etc/systemd/system/backup.timer"});
  snap.package_owners.push_back({"/etc/cron.d/php", "php8.2-common"});

  command::ProgramFacts settle;
  settle.path = "/opt/billing/settle";
  settle.exists = true;
  settle.type = "file";
  settle.mode = 0755;
  settle.uid = 0;
  settle.owner = "root";
  settle.head = std::string("\x7f"
                            "ELF\x02\x01\x01",
                            7);
  settle.elf = true;
  settle.go_version = "go1.19.8";
  settle.go_module = "example.com/billing";
  settle.dir_mode = 0755;
  settle.dir_uid = 0;
  snap.programs.push_back(settle);
  command::ProgramFacts export_script;
  export_script.path = "/home/alice/export.sh";
  export_script.exists = false;
  snap.programs.push_back(export_script);
  return snap;
}

const catalog::EntryRow& entry(const catalog::SourceRow& row, int line) {
  auto it = std::find_if(row.entries.begin(), row.entries.end(),
                         [&](const auto& e) { return e.line_number == line; });
  REQUIRE(it != row.entries.end());
  return *it;
}

bool has_flag(const catalog::EntryRow& row, std::string_view flag) {
  return std::find(row.flags.begin(), row.flags.end(), flag) != row.flags.end();
}

} // namespace

TEST_CASE("run-parts files take the schedule of the line that runs their directory",
          "[collect][rows]") {
  auto record = record_of(debian_host());
  const auto& daily = entry(source(record, "/etc/cron.daily/logrotate"), 0);
  CHECK(daily.kind == "job");
  CHECK(daily.schedule_origin == "/etc/anacrontab:3"); // anacron's line wins over /etc/crontab's
  CHECK(daily.normalized_schedule.find("anacron") != std::string::npos);
  CHECK(daily.command == "/etc/cron.daily/logrotate");
  CHECK(daily.language == "shell");
  const auto& hourly = entry(source(record, "/etc/cron.hourly/report"), 0);
  CHECK(hourly.schedule_origin == "/etc/crontab:2");
  CHECK(hourly.schedule_text == "17 * * * *");
  CHECK(hourly.language == "python");
  const auto& skipped = source(record, "/etc/cron.daily/old.bak");
  CHECK(skipped.entries.empty());
  CHECK_FALSE(skipped.loaded_by_daemon);
  CHECK_FALSE(skipped.not_loaded_reason.empty());
}

TEST_CASE("verdicts: package, configuration management, migrated, hidden", "[collect][rows]") {
  auto record = record_of(debian_host());
  const auto& php = entry(source(record, "/etc/cron.d/php"), 1);
  CHECK(source(record, "/etc/cron.d/php").package == "php8.2-common");
  CHECK(php.verdict == "managed");
  CHECK(php.managed_by == "package:php8.2-common");
  const auto& alice = source(record, "/var/spool/cron/crontabs/alice");
  CHECK(entry(alice, 2).verdict == "managed");
  CHECK(entry(alice, 2).managed_by == "ansible:nightly export");
  CHECK(has_flag(entry(alice, 2), "target-missing"));
  CHECK(entry(alice, 6).verdict == "migrated");
  const auto& settle = entry(alice, 7);
  CHECK(settle.verdict == "hidden");
  CHECK_FALSE(settle.verdict_reasons.empty());
  CHECK(settle.language == "go");
  CHECK(settle.evidence.find("go1.19.8") != std::string::npos);
}

TEST_CASE("secrets never reach the rows", "[collect][rows]") {
  auto record = record_of(debian_host());
  const auto& alice = source(record, "/var/spool/cron/crontabs/alice");
  const auto& dump = entry(alice, 3);
  CHECK(has_flag(dump, "secret-in-command"));
  CHECK(dump.command.find("S3cretPass") == std::string::npos);
  CHECK(dump.raw.find("S3cretPass") == std::string::npos);
  CHECK(dump.command.find("***") != std::string::npos);
  const auto& env = entry(alice, 4);
  CHECK(env.raw == "PGPASSWORD=***");
}

TEST_CASE("timers: one job per trigger, the service's command and user", "[collect][rows]") {
  auto record = record_of(debian_host());
  const auto& backup = source(record, "/etc/systemd/system/backup.timer");
  REQUIRE(backup.entries.size() == 2);
  CHECK(backup.kind == "timer");
  CHECK(backup.entries[0].command == "/usr/local/bin/backup --all");
  CHECK(backup.entries[0].run_as == "backup");
  CHECK(backup.entries[0].normalized_schedule == "OnCalendar=*-*-* 00:00:00");
  CHECK(backup.entries[1].line_number == 3);
  CHECK_FALSE(has_flag(backup.entries[0], "timer-disabled"));
  const auto& sweep = source(record, "/etc/systemd/system/sweep.timer");
  REQUIRE(sweep.entries.size() == 2);
  CHECK(sweep.entries[0].normalized_schedule == "OnBootSec=900s");
  CHECK(sweep.entries[1].description.find("every") != std::string::npos);
  CHECK(has_flag(sweep.entries[0], "timer-disabled"));
  CHECK(source(record, "/etc/systemd/system/sweep.service").kind == "service");
}

TEST_CASE("inspection targets are the absolute programs of every kind of job", "[collect][rows]") {
  auto targets = inspection_targets(debian_host());
  auto has = [&](std::string_view p) {
    return std::any_of(targets.begin(), targets.end(), [&](const auto& t) { return t.path == p; });
  };
  CHECK(has("/opt/billing/settle"));
  CHECK(has("/home/alice/export.sh"));
  CHECK(has("/etc/cron.daily/logrotate"));
  CHECK(has("/usr/local/bin/backup"));
  CHECK(has("/usr/lib/php/sessionclean"));
  CHECK_FALSE(has("/etc/cron.daily/old.bak"));
  // Programs sorted; the files the jobs' output goes to (stat only) after them all, so that
  // programs come first under the per-host bound.
  const auto outputs =
      std::find_if(targets.begin(), targets.end(), [](const auto& t) { return t.output_file; });
  CHECK(std::all_of(outputs, targets.end(), [](const auto& t) { return t.output_file; }));
  CHECK(std::is_sorted(targets.begin(), outputs,
                       [](const auto& a, const auto& b) { return a.path < b.path; }));
}

TEST_CASE("redact_row covers stdin and target", "[collect][rows][secrets]") {
  catalog::EntryRow row;
  row.kind = "job";
  row.raw = "30 2 * * * sudo -S /opt/x %hunter2%";
  row.command = "sudo -S /opt/x";
  row.stdin_data = "hunter2\n";
  CHECK(redact_row(row));
  CHECK(*row.stdin_data == "***\n");
  CHECK(row.raw.find("hunter2") == std::string::npos);
  CHECK(has_flag(row, "secret-in-command"));

  catalog::EntryRow smb;
  smb.kind = "job";
  smb.raw = "0 1 * * * smbclient //nas/s -U backup%hunter2 -c ls";
  smb.command = "smbclient //nas/s -U backup";
  smb.stdin_data = "hunter2 -c ls";
  smb.target = "smbclient";
  CHECK(redact_row(smb));
  CHECK(*smb.stdin_data == "*** -c ls");
  CHECK(smb.raw.find("hunter2") == std::string::npos);

  catalog::EntryRow fetched;
  fetched.kind = "job";
  fetched.command = "curl -s https://deploy:hunter2@git.example/run.sh | sh";
  fetched.target = "https://deploy:hunter2@git.example/run.sh";
  CHECK(redact_row(fetched));
  CHECK(fetched.target.find("hunter2") == std::string::npos);
  CHECK(fetched.command.find("hunter2") == std::string::npos);
}
