#include "digger/report/diff.hpp"
#include "digger/report/diff_render.hpp"
#include "digger/report/load.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "catalog_test_support.hpp"
#include "report_fixture.hpp"

using namespace digger;
using namespace digger::report;

namespace {

// A snapshot built by hand: hosts by name, jobs given as (host, owner, schedule, command).
struct Builder {
  Snapshot snapshot;
  Builder& host(const std::string& name, const std::string& status = "ok") {
    HostRow row;
    row.name = name;
    row.status = status;
    snapshot.hosts.push_back(row);
    return *this;
  }
  Builder& job(const std::string& host_name, const std::string& owner, const std::string& schedule,
               const std::string& command, int line = 1) {
    JobRow job;
    for (std::size_t i = 0; i < snapshot.hosts.size(); ++i) {
      if (snapshot.hosts[i].name == host_name) {
        job.host = i;
      }
    }
    job.owner = owner;
    job.schedule.raw = schedule;
    job.schedule.normalized = schedule;
    job.command = command;
    job.file = "/var/spool/cron/crontabs/" + owner;
    job.line = line;
    job.fingerprint = owner + "|" + schedule + "|" + command; // no host, like the real one
    snapshot.jobs.push_back(job);
    return *this;
  }
};

std::vector<std::string> changes_of(const Diff& diff, const std::string& host) {
  std::vector<std::string> out;
  for (const auto& h : diff.hosts) {
    if (h.name == host) {
      for (const auto& change : h.changes) {
        const JobRow& job = change.after ? *change.after : *change.before;
        out.push_back(std::string(change_name(change.kind)) + " " + job.command);
      }
    }
  }
  return out;
}

const HostDiff& host_of(const Diff& diff, const std::string& name) {
  for (const auto& h : diff.hosts) {
    if (h.name == name) {
      return h;
    }
  }
  throw std::logic_error("no host " + name);
}

catalog::ScanSummary scan(std::int64_t id, const std::string& started,
                          catalog::ScanStatus status = catalog::ScanStatus::complete) {
  catalog::ScanSummary s;
  s.id = id;
  s.started_at = started;
  s.status = status;
  return s;
}

} // namespace

TEST_CASE("diff: nothing changed", "[report][diff]") {
  Builder a;
  a.host("h1").job("h1", "root", "0 1 * * *", "backup");
  const Diff diff = diff_snapshots(a.snapshot, a.snapshot);
  CHECK_FALSE(diff.anything_changed());
  CHECK(changes_of(diff, "h1").empty());
  CHECK(host_of(diff, "h1").state == HostDiff::State::compared);
}

TEST_CASE("diff: added, removed, schedule and command changes on one host", "[report][diff]") {
  Builder before, after;
  before.host("h1")
      .job("h1", "root", "0 1 * * *", "backup", 1)
      .job("h1", "root", "*/5 * * * *", "poll", 2)
      .job("h1", "root", "0 3 * * *", "report --daily", 3)
      .job("h1", "root", "0 9 * * *", "obsolete", 4);
  after.host("h1")
      .job("h1", "root", "0 2 * * *", "backup", 1)
      .job("h1", "root", "*/5 * * * *", "poll", 2)
      .job("h1", "root", "0 3 * * *", "report --daily --full", 3)
      .job("h1", "root", "0 12 * * *", "brand-new", 5);
  const Diff diff = diff_snapshots(before.snapshot, after.snapshot);
  CHECK(changes_of(diff, "h1") == std::vector<std::string>{"schedule-changed backup",
                                                           "command-changed report --daily --full",
                                                           "removed obsolete", "added brand-new"});
  CHECK(diff.counts.added == 1);
  CHECK(diff.counts.removed == 1);
  CHECK(diff.counts.schedule_changed == 1);
  CHECK(diff.counts.command_changed == 1);
  CHECK(diff.anything_changed());
}

TEST_CASE("diff: the same job gone from one host and new on another is a move", "[report][diff]") {
  Builder before, after;
  before.host("a")
      .host("b")
      .job("a", "app", "0 4 * * *", "etl.py")
      .job("b", "app", "0 5 * * *", "x");
  after.host("a")
      .host("b")
      .job("b", "app", "0 5 * * *", "x")
      .job("b", "app", "0 4 * * *", "etl.py", 2);
  const Diff diff = diff_snapshots(before.snapshot, after.snapshot);
  REQUIRE(diff.moves.size() == 1);
  CHECK(diff.moves[0].from_host == "a");
  CHECK(diff.moves[0].to_host == "b");
  CHECK(changes_of(diff, "a").empty());
  CHECK(changes_of(diff, "b").empty());
  CHECK(diff.counts.moved == 1);
  CHECK(diff.anything_changed());
}

TEST_CASE("diff: a host down in one scan is unknown, not emptied", "[report][diff]") {
  Builder before, after;
  before.host("a").job("a", "root", "0 1 * * *", "one").job("a", "root", "0 2 * * *", "two", 2);
  after.host("a", "timeout");
  Diff diff = diff_snapshots(before.snapshot, after.snapshot);
  CHECK(host_of(diff, "a").state == HostDiff::State::unknown);
  CHECK(host_of(diff, "a").status_after == "timeout");
  CHECK(changes_of(diff, "a").empty());
  CHECK(diff.counts.removed == 0);
  CHECK(diff.counts.hosts_unknown == 1);
  CHECK_FALSE(diff.anything_changed());
  // And the other way round: down before, back now.
  diff = diff_snapshots(after.snapshot, before.snapshot);
  CHECK(host_of(diff, "a").state == HostDiff::State::unknown);
  CHECK(diff.counts.added == 0);
}

TEST_CASE("diff: hosts new to or gone from the inventory", "[report][diff]") {
  Builder before, after;
  before.host("a").host("old").job("old", "root", "0 1 * * *", "legacy");
  after.host("a").host("b").host("c", "unreachable").job("b", "root", "0 6 * * *", "fresh");
  const Diff diff = diff_snapshots(before.snapshot, after.snapshot);
  CHECK(host_of(diff, "b").state == HostDiff::State::added);
  CHECK(changes_of(diff, "b") == std::vector<std::string>{"added fresh"});
  CHECK(host_of(diff, "old").state == HostDiff::State::gone);
  CHECK(changes_of(diff, "old") == std::vector<std::string>{"removed legacy"});
  // New to the inventory but never scanned: unknown, nothing about its jobs.
  CHECK(host_of(diff, "c").state == HostDiff::State::unknown);
  CHECK(diff.counts.hosts_new == 1);
  CHECK(diff.counts.hosts_gone == 1);
  CHECK(diff.hosts.size() == 4);
}

TEST_CASE("diff: duplicated jobs are matched one for one", "[report][diff]") {
  Builder before, after;
  before.host("a")
      .job("a", "root", "* * * * *", "ping", 1)
      .job("a", "root", "* * * * *", "ping", 2);
  after.host("a").job("a", "root", "* * * * *", "ping", 1);
  const Diff diff = diff_snapshots(before.snapshot, after.snapshot);
  CHECK(changes_of(diff, "a") == std::vector<std::string>{"removed ping"});
}

TEST_CASE("default_from_scan: a week back, else the previous complete scan", "[report][diff]") {
  using catalog::ScanStatus;
  const std::vector<catalog::ScanSummary> scans{
      scan(5, "2026-11-25T02:00:00Z"), scan(4, "2026-11-24T02:00:00Z", ScanStatus::failed),
      scan(3, "2026-11-20T02:00:00Z"), scan(2, "2026-11-18T02:00:00Z"),
      scan(1, "2026-11-11T02:00:00Z")};
  CHECK(default_from_scan(scans, scans[0])->id == 2);
  CHECK(default_from_scan(scans, scans[2])->id == 1);
  CHECK(default_from_scan(scans, scans[3])->id == 1);
  CHECK_FALSE(default_from_scan(scans, scans[4]).has_value());
  // None a week older: the newest complete one before.
  const std::vector<catalog::ScanSummary> recent{scan(3, "2026-11-14T02:00:00Z"),
                                                 scan(2, "2026-11-13T02:00:00Z"),
                                                 scan(1, "2026-11-12T02:00:00Z")};
  CHECK(default_from_scan(recent, recent[0])->id == 2);
}

TEST_CASE("diff on the fixture catalog, end to end", "[report][diff]") {
  catalog::test::TempDir dir;
  const std::string path = dir.file("digger.db");
  test::write_fixture_catalog(path);
  auto catalog = open_catalog(path);
  const auto [from, to] = resolve_diff_scans(catalog, "", "latest");
  CHECK(from.id == 1);
  CHECK(to.id == 2);
  CHECK(resolve_diff_scans(catalog, "2026-11-11", "latest").first.id == 1);
  CHECK_THROWS_AS(resolve_diff_scans(catalog, "2026-11-10", "latest"), util::UsageError);
  CHECK_THROWS_AS(resolve_diff_scans(catalog, "last week", "latest"), util::UsageError);
  const Diff diff = diff_snapshots(load_snapshot(catalog, from), load_snapshot(catalog, to));
  CHECK(diff.counts.schedule_changed == 1);
  CHECK(diff.counts.command_changed == 1);
  CHECK(diff.counts.added == 1);
  CHECK(diff.counts.removed == 0);
  CHECK(diff.counts.moved == 1);
  CHECK(diff.counts.hosts_new == 1);
  CHECK(diff.counts.hosts_gone == 1);
  CHECK(diff.counts.hosts_unknown == 2);
  const auto json = nlohmann::json::parse(render_diff_json(diff));
  CHECK(json["changed"] == true);
  CHECK(json["moves"][0]["from"]["host"] == "old-01");
  CHECK(json["moves"][0]["to"]["host"] == "new-01");
  CHECK(render_diff_json(diff) ==
        render_diff_json(diff_snapshots(load_snapshot(catalog, from), load_snapshot(catalog, to))));
}

TEST_CASE("diff: jobs under a path unreadable in either scan are not compared", "[report][diff]") {
  Builder before, after;
  before.host("a")
      .job("a", "root", "0 1 * * *", "spooled")
      .job("a", "bob", "0 2 * * *", "also-spooled");
  before.snapshot.jobs[1].file = "/etc/cron.d/bob"; // outside the spool: still compared
  after.host("a", "partial");
  after.snapshot.hosts[0].unreadable_paths = {"/var/spool/cron/crontabs"};
  const Diff diff = diff_snapshots(before.snapshot, after.snapshot);
  CHECK(host_of(diff, "a").state == HostDiff::State::compared);
  CHECK(host_of(diff, "a").uncompared_paths ==
        std::vector<std::string>{"/var/spool/cron/crontabs"});
  CHECK(changes_of(diff, "a") == std::vector<std::string>{"removed also-spooled"});
  // A sibling whose name merely starts with the path is still compared.
  before.snapshot.jobs[1].file = "/var/spool/cron/crontabs-old/bob";
  CHECK(changes_of(diff_snapshots(before.snapshot, after.snapshot), "a") ==
        std::vector<std::string>{"removed also-spooled"});
}
