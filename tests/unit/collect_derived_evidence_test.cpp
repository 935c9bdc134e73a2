#include "digger/collect/host_context.hpp"
#include "digger/collect/pipeline.hpp"
#include "digger/collect/run_evidence.hpp"

#include <catch2/catch.hpp>

#include "collect_fixture.hpp"

using namespace digger::collect;

namespace {

using test::source_file;

// /etc/crontab runs cron.hourly at :17; the journal shows two of its runs. One file of the
// directory is one run-parts skips (a dot in its name); two timers, one systemd lists.
HostSnapshot debian_host() {
  HostSnapshot snap;
  snap.facts.cron_daemon = "vixie";
  snap.sources.push_back(
      source_file(SourceKind::system_crontab, "/etc/crontab",
                  "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n"));
  snap.sources.push_back(
      source_file(SourceKind::run_parts, "/etc/cron.hourly/report", "#!/bin/sh\nexit 0\n", 0755));
  snap.sources.push_back(
      source_file(SourceKind::run_parts, "/etc/cron.hourly/old.bak", "#!/bin/sh\nexit 0\n", 0755));
  snap.sources.push_back(source_file(SourceKind::systemd_unit, "/etc/systemd/system/backup.timer",
                                     "[Timer]\nOnCalendar=daily\n"));
  snap.sources.push_back(source_file(SourceKind::systemd_unit, "/etc/systemd/system/backup.service",
                                     "[Service]\nExecStart=/usr/local/bin/backup\n"));
  snap.sources.push_back(source_file(SourceKind::systemd_unit, "/etc/systemd/system/sweep.timer",
                                     "[Timer]\nOnBootSec=15min\n"));
  snap.sources.push_back(source_file(SourceKind::systemd_unit, "/etc/systemd/system/sweep.service",
                                     "[Service]\nExecStart=/opt/sweep\n"));
  snap.extra_facts.emplace_back("clock", "+0000 1732510000");
  snap.journal =
      R"j({"__REALTIME_TIMESTAMP":"1732501020000000","SYSLOG_IDENTIFIER":"CRON","MESSAGE":"(root) CMD (cd / && run-parts --report /etc/cron.hourly)"})j"
      "\n"
      R"j({"__REALTIME_TIMESTAMP":"1732504620000000","SYSLOG_IDENTIFIER":"CRON","MESSAGE":"(root) CMD (cd / && run-parts --report /etc/cron.hourly)"})j"
      "\n";
  return snap;
}

const digger::catalog::RunEvidenceRow& run_of(const HostJobs& jobs, std::string_view path) {
  for (const auto& source : jobs.sources) {
    if (source.row.path == path) {
      REQUIRE(source.jobs.size() == 1);
      return source.jobs[0].row.run;
    }
  }
  FAIL("no source " << path);
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("run-parts scripts follow the line that runs their directory", "[evidence]") {
  const auto snap = debian_host();
  const auto host = host_context(snap, "h", nullptr);
  auto jobs = read_host(snap, host);
  apply_run_evidence(jobs, snap, nullptr);
  apply_derived_evidence(jobs, snap);

  const auto& parent = run_of(jobs, "/etc/crontab");
  CHECK(parent.verdict == "running");
  CHECK(parent.runs == 2);
  const auto& child = run_of(jobs, "/etc/cron.hourly/report");
  CHECK(child.verdict == "running");
  CHECK(child.runs == 2);
  CHECK(child.last_run == 1732504620);
  CHECK(child.reason.find("each run of /etc/crontab:1 runs it") != std::string::npos);
  // run-parts (Debian) skips a name with a dot: the line's runs say nothing of it.
  const auto& skipped = jobs.sources[2];
  REQUIRE(skipped.row.path == "/etc/cron.hourly/old.bak");
  CHECK_FALSE(skipped.row.loaded_by_daemon);
  for (const auto& job : skipped.jobs) {
    CHECK(job.row.run.verdict == "no-evidence");
    CHECK(job.row.run.runs == 0);
  }
}

TEST_CASE("timers: systemd's own table says when each last fired", "[evidence]") {
  auto snap = debian_host();
  const auto host = host_context(snap, "h", nullptr);
  SECTION("no table: nothing read, and why") {
    auto jobs = read_host(snap, host);
    apply_derived_evidence(jobs, snap);
    CHECK(run_of(jobs, "/etc/systemd/system/backup.timer").verdict == "log-unreadable");
    CHECK(
        run_of(jobs, "/etc/systemd/system/backup.timer").reason.find("list-timers gave nothing") !=
        std::string::npos);
    // No cron log was judged: the run-parts script has no parent verdict to follow.
    CHECK(run_of(jobs, "/etc/cron.hourly/report").verdict.empty());
  }
  SECTION("the table read") {
    snap.extra_facts.emplace_back(
        "systemctl_timers",
        "Tue 2024-11-26 00:00:00 UTC 20h left Mon 2024-11-25 00:00:03 UTC 2h ago backup.timer "
        "backup.service\n");
    auto jobs = read_host(snap, host);
    apply_derived_evidence(jobs, snap);
    const auto& backup = run_of(jobs, "/etc/systemd/system/backup.timer");
    CHECK(backup.verdict == "running");
    CHECK(backup.last_run == 1732492803);
    const auto& sweep = run_of(jobs, "/etc/systemd/system/sweep.timer");
    CHECK(sweep.verdict == "no-evidence");
    CHECK(sweep.reason.find("does not list this timer") != std::string::npos);
  }
}
