// Issue 8 in the report stage: hidden batches first, managed jobs counted out of the way,
// verdict/flag/kind filters, next runs only for cron clocks, and the diff's "migrated".

#include "digger/report/diff.hpp"
#include "digger/report/load.hpp"
#include "digger/report/render.hpp"
#include "digger/report/view.hpp"

#include <catch2/catch.hpp>
#include <date/tz.h>
#include <nlohmann/json.hpp>

#include "catalog_test_support.hpp"
#include "report_fixture.hpp"
#include "source_kind_fixture.hpp"

using namespace digger;
using namespace digger::report;

namespace {

struct Loaded {
  catalog::test::TempDir dir;
  Snapshot snapshot;
  explicit Loaded(const std::string& scan = "latest") {
    const std::string path = dir.file("digger.db");
    test::write_fixture_catalog(path);
    auto catalog = open_catalog(path);
    snapshot = load_snapshot(catalog, resolve_scan(catalog, scan));
  }
};

ReportView view_of(const Snapshot& snapshot, const std::string& filter = "", bool all = false) {
  return build_view(snapshot, *parse_filter(filter), filter, *parse_group_by("language"), all);
}

const JobRow& job_with(const Snapshot& snapshot, const std::string& command_part) {
  for (const auto& job : snapshot.jobs) {
    if (job.command.find(command_part) != std::string::npos) {
      return job;
    }
  }
  FAIL("no job with " << command_part);
  throw std::logic_error("unreachable");
}

std::vector<std::string> commands(const ReportView& view) {
  std::vector<std::string> out;
  for (const auto& group : view.groups) {
    for (const JobRow* job : group.jobs) {
      out.push_back(job->command);
    }
  }
  return out;
}

} // namespace

TEST_CASE("the loader reads verdicts, flags, origins and the target's facts", "[report][hidden]") {
  Loaded loaded;
  const auto& s = loaded.snapshot;
  CHECK(s.jobs.size() == 15);
  const auto& settle = job_with(s, "settle");
  CHECK(settle.source_kind == "timer");
  CHECK(settle.schedule.trigger == "OnCalendar");
  CHECK(settle.verdict == "hidden");
  CHECK(settle.flags == std::vector<std::string>{"timer-disabled"});
  REQUIRE(settle.program != nullptr);
  CHECK(settle.program->exists);
  CHECK(settle.program->go_version == "go1.19.8");
  CHECK(settle.program->go_module == "example.com/settle");
  const auto& weekly = job_with(s, "weekly.py");
  REQUIRE(weekly.program != nullptr);
  CHECK_FALSE(weekly.program->exists);
  CHECK(weekly.has_flag("target-missing"));
  CHECK(weekly.verdict_reasons.back() == "target missing");
  const auto& logrotate = job_with(s, "/etc/cron.daily/logrotate");
  CHECK(logrotate.source_kind == "run-parts");
  CHECK(logrotate.schedule_origin == "/etc/anacrontab:9");
  CHECK(logrotate.managed_by == "package:logrotate");
  CHECK(job_with(s, "redis-cli").program == nullptr); // never inspected
  // Jobs of one host with the same target share one record.
  CHECK(job_with(s, "sync/run.py").program != nullptr);
  // The disabled line marked migrated is not a job, but the diff needs it.
  REQUIRE(s.migrated.size() == 1);
  CHECK(s.migrated[0].command == "/opt/etl/nightly.sh");
  CHECK(s.migrated[0].managed_by == "digger:kubernetes:etl-nightly");
  // The older scan decided nothing.
  Loaded older("1");
  CHECK(job_with(older.snapshot, "debian-sa1").verdict.empty());
  CHECK(job_with(older.snapshot, "settle").program == nullptr);
}

TEST_CASE("calendar timers and cron jobs get next runs; anacron and monotonic timers none",
          "[report][hidden]") {
  Loaded loaded;
  const auto& s = loaded.snapshot;
  CHECK(schedule_clock(job_with(s, "settle")) == ScheduleClock::systemd_calendar);
  CHECK_FALSE(job_with(s, "settle").schedule.next_run.empty());
  CHECK(schedule_clock(job_with(s, "run-parts --report")) == ScheduleClock::anacron);
  CHECK(job_with(s, "run-parts --report").schedule.next_run.empty());
  CHECK(schedule_clock(job_with(s, "/etc/cron.daily/logrotate")) == ScheduleClock::anacron);
  CHECK(schedule_clock(job_with(s, "debian-sa1")) == ScheduleClock::cron);
  CHECK_FALSE(job_with(s, "debian-sa1").schedule.next_run.empty());

  JobRow monotonic = job_with(s, "settle");
  monotonic.schedule.trigger = "OnBootSec";
  monotonic.schedule.raw = "5min";
  CHECK(schedule_clock(monotonic) == ScheduleClock::systemd_monotonic);
  // A timer whose value happens to read as cron fields is still not run through cron.
  JobRow lookalike = monotonic;
  lookalike.schedule.trigger = "OnCalendar";
  lookalike.schedule.raw = "@daily";
  const auto utc = date::locate_zone("UTC");
  CHECK(next_run_of(lookalike, std::chrono::sys_seconds{}, *utc).empty()); // not systemd's
  lookalike.schedule.raw = "daily";
  CHECK(next_run_of(lookalike, std::chrono::sys_seconds{}, *utc) == "1970-01-02T00:00:00+00:00");
  const auto paris = date::locate_zone("Europe/Paris");
  // Midnight of Jan 1 in Paris was 23:00 UTC the day before: the next one is Jan 2.
  CHECK(next_run_of(lookalike, std::chrono::sys_seconds{std::chrono::hours{22}}, *paris) ==
        "1970-01-02T00:00:00+01:00");
  CHECK(next_run_of(lookalike, std::chrono::sys_seconds{std::chrono::hours{23}}, *paris) ==
        "1970-01-03T00:00:00+01:00");
  monotonic.schedule.raw = "5min";
  CHECK(next_run_of(monotonic, std::chrono::sys_seconds{}, *utc).empty());
  lookalike.schedule.raw = "@daily";
  digger::report::test::set_source_kind(lookalike, "user");
  CHECK(next_run_of(lookalike, std::chrono::sys_seconds{}, *utc) == "1970-01-02T00:00:00+00:00");
}

TEST_CASE("the report leads with hidden batches and counts managed jobs apart",
          "[report][hidden]") {
  Loaded loaded;
  const auto view = view_of(loaded.snapshot);
  CHECK(view.totals.jobs == 11);
  CHECK(view.totals.hidden == 11);
  CHECK(view.totals.managed == 4);
  CHECK(view.totals.migrated == 1);
  CHECK_FALSE(view.managed_listed);
  CHECK(managed_summary(view) ==
        "4 jobs managed (3 by packages, 1 by Ansible) not shown; --all shows them");
  for (const auto& command : commands(view)) {
    CHECK(command.find("sysstat") == std::string::npos);
    CHECK(command.find("backup --nightly") == std::string::npos);
  }
  REQUIRE(!view.hidden_by_language.empty());
  CHECK(view.hidden_by_language[0].language == "python");
  CHECK(view.hidden_by_language[0].jobs == 3);
  CHECK(view.hidden_by_owner[0].owner == "postgres");

  // --all lists them, after every hidden batch.
  const auto all = view_of(loaded.snapshot, "", true);
  CHECK(all.totals.jobs == 15);
  CHECK(all.totals.managed == 4);
  CHECK(managed_summary(all) ==
        "4 jobs managed (3 by packages, 1 by Ansible) listed with the others");
  bool seen_other = false;
  for (const auto& group : all.groups) {
    for (const JobRow* job : group.jobs) {
      CHECK(group.hidden == job->hidden());
      if (!job->hidden()) {
        seen_other = true;
      }
      CHECK_FALSE((seen_other && job->hidden())); // no hidden job after the first other one
    }
  }
  CHECK(seen_other);
  // A job without a verdict (an older scan) is listed, not hidden and not managed.
  Loaded older("1");
  const auto old_view = view_of(older.snapshot);
  CHECK(old_view.totals.hidden == 0);
  CHECK(old_view.totals.managed == 0);
  CHECK(old_view.totals.jobs == static_cast<std::int64_t>(older.snapshot.jobs.size()));
  CHECK(managed_summary(old_view).empty());
}

TEST_CASE("filters on verdict, managed_by, flag and source kind", "[report][hidden]") {
  Loaded loaded;
  const auto& s = loaded.snapshot;
  CHECK(view_of(s, "verdict=managed").totals.jobs == 4); // asking about verdicts lists them
  CHECK(view_of(s, "verdict=hidden").totals.jobs == 11);
  CHECK(view_of(s, "verdict!=hidden").totals.jobs == 4);
  CHECK(view_of(s, "managed_by~package:").totals.jobs == 3);
  CHECK(commands(view_of(s, "managed_by=ansible:'nightly backup'")) ==
        std::vector<std::string>{"/usr/local/bin/backup --nightly"});
  CHECK(commands(view_of(s, "flag=target-missing")) ==
        std::vector<std::string>{"/usr/bin/python3 /opt/reports/weekly.py"});
  CHECK(view_of(s, "flag~timer").totals.jobs == 1);
  CHECK(view_of(s, "flag!=target-missing").totals.jobs == 10);
  CHECK(view_of(s, "flag=target").totals.jobs == 0); // equal means the whole flag
  CHECK(commands(view_of(s, "kind=timer")) ==
        std::vector<std::string>{"/opt/billing/bin/settle --daily"});
  CHECK(view_of(s, "kind=anacrontab").totals.jobs == 0); // managed: counted, not listed
  CHECK(view_of(s, "kind=anacrontab").totals.managed == 1);
  CHECK(view_of(s, "kind=anacrontab", true).totals.jobs == 1);
  CHECK(view_of(s, "kind=user").totals.jobs == 10);
  CHECK_FALSE(parse_filter("verdicts=hidden").ok());
}

TEST_CASE("JSON carries verdicts, flags, the program and the managed summary", "[report][hidden]") {
  Loaded loaded;
  const auto json = nlohmann::json::parse(render_json(view_of(loaded.snapshot)));
  CHECK(json["version"] == 2);
  CHECK(json["totals"]["hidden"] == 11);
  CHECK(json["managed"]["jobs"] == 4);
  CHECK(json["managed"]["listed"] == false);
  CHECK(json["managed"]["by_manager"][0]["manager"] == "package");
  CHECK(json["hidden_by_language"][0]["language"] == "python");
  bool found = false;
  for (const auto& job : json["jobs"]) {
    CHECK(job["verdict"] == "hidden");
    if (job["source_kind"] == "timer") {
      found = true;
      CHECK(job["schedule"]["trigger"] == "OnCalendar");
      CHECK(job["schedule"]["next_run"].is_string()); // OnCalendar= has wall-clock runs
      CHECK(job["program"]["go_version"] == "go1.19.8");
      CHECK(job["flags"] == nlohmann::json::array({"timer-disabled"}));
      CHECK(job["verdict_reasons"].size() == 2);
    }
  }
  CHECK(found);
}

namespace {

// Hand-built snapshots for the diff: one host, jobs and migrated lines given directly.
JobRow row(const std::string& owner, const std::string& schedule, const std::string& command,
           int line) {
  JobRow job;
  job.owner = owner;
  job.schedule.raw = job.schedule.normalized = schedule;
  job.command = command;
  job.file = "/var/spool/cron/crontabs/" + owner;
  job.line = line;
  job.fingerprint = owner + "|" + schedule + "|" + command;
  return job;
}

Snapshot one_host(std::vector<JobRow> jobs, std::vector<JobRow> migrated = {}) {
  Snapshot snapshot;
  snapshot.hosts.push_back(HostRow{});
  snapshot.hosts[0].name = "a";
  snapshot.jobs = std::move(jobs);
  for (auto& line : migrated) {
    line.verdict = "migrated";
    line.managed_by = "digger:jenkins:" + line.command;
  }
  snapshot.migrated = std::move(migrated);
  return snapshot;
}

std::vector<std::string> changes(const Diff& diff) {
  std::vector<std::string> out;
  for (const auto& change : diff.hosts.at(0).changes) {
    const JobRow& job = change.after ? *change.after : *change.before;
    out.push_back(std::string(change_name(change.kind)) + " " + job.command);
  }
  return out;
}

} // namespace

TEST_CASE("diff: a job replaced by its disabled line marked migrated is migrated",
          "[report][diff][hidden]") {
  const Snapshot before =
      one_host({row("bob", "0 1 * * *", "etl.sh", 1), row("bob", "0 2 * * *", "gone.sh", 2)});
  // etl.sh is now a disabled line marked migrated; gone.sh simply vanished.
  const Snapshot after = one_host({}, {row("bob", "0 1 * * *", "etl.sh", 2)});
  const Diff diff = diff_snapshots(before, after);
  CHECK(changes(diff) == std::vector<std::string>{"migrated etl.sh", "removed gone.sh"});
  CHECK(diff.counts.migrated == 1);
  CHECK(diff.counts.removed == 1);
  CHECK(diff.anything_changed());
  const auto& change = diff.hosts[0].changes[0];
  REQUIRE(change.after.has_value());
  CHECK(change.after->managed_by == "digger:jenkins:etl.sh");
  CHECK(change.before->line == 1);
}

TEST_CASE("diff: a migrated line needs the same owner and command, and must be new",
          "[report][diff][hidden]") {
  const Snapshot before = one_host({row("bob", "0 1 * * *", "etl.sh", 1)});
  // Another owner's line, or another command: still removed.
  CHECK(changes(diff_snapshots(before, one_host({}, {row("alice", "0 1 * * *", "etl.sh", 1)}))) ==
        std::vector<std::string>{"removed etl.sh"});
  CHECK(changes(diff_snapshots(before, one_host({}, {row("bob", "0 1 * * *", "etl2.sh", 1)}))) ==
        std::vector<std::string>{"removed etl.sh"});
  // The marked line was already there last time (the job ran alongside it): a plain removal.
  const Snapshot both =
      one_host({row("bob", "0 1 * * *", "etl.sh", 1)}, {row("bob", "0 1 * * *", "etl.sh", 2)});
  CHECK(changes(diff_snapshots(both, one_host({}, {row("bob", "0 1 * * *", "etl.sh", 2)}))) ==
        std::vector<std::string>{"removed etl.sh"});
  // One marked line accounts for one removed job, not two.
  const Snapshot twice =
      one_host({row("bob", "0 1 * * *", "etl.sh", 1), row("bob", "0 3 * * *", "etl.sh", 2)});
  CHECK(changes(diff_snapshots(twice, one_host({}, {row("bob", "0 1 * * *", "etl.sh", 3)}))) ==
        std::vector<std::string>{"removed etl.sh", "migrated etl.sh"}); // by line: 2, then 3
}

TEST_CASE("diff on the fixture: the etl job is migrated, not removed", "[report][diff][hidden]") {
  catalog::test::TempDir dir;
  const std::string path = dir.file("digger.db");
  test::write_fixture_catalog(path);
  auto catalog = open_catalog(path);
  const auto [from, to] = resolve_diff_scans(catalog, "", "latest");
  const LoadOptions lean{.derived = false, .details = false};
  const Diff diff =
      diff_snapshots(load_snapshot(catalog, from, lean), load_snapshot(catalog, to, lean));
  CHECK(diff.counts.migrated == 1);
  CHECK(diff.counts.removed == 0);
}
