// In-app schedulers in reports: their own sections (table summary and --full, JSON) only when
// the listed jobs have some; Laravel tasks in diff like any job (a task moved to another line
// of Kernel.php is no change, a new frequency is a schedule change).
#include "digger/report/diff.hpp"
#include "digger/report/render.hpp"
#include "digger/report/view.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "source_kind_fixture.hpp"

using namespace digger;
using namespace digger::report;

namespace {

JobRow task(const std::string& schedule, const std::string& command, int line) {
  JobRow job;
  job.owner = "www-data";
  job.schedule.raw = job.schedule.normalized = schedule;
  job.command = command;
  job.file = "/srv/shop/app/Console/Kernel.php";
  job.line = line;
  digger::report::test::set_source_kind(job, "laravel-task");
  job.schedule_origin = job.file + ":" + std::to_string(line);
  job.verdict = "hidden";
  job.flags = {"inferred-from-source"};
  job.fingerprint = schedule + "|" + command;
  return job;
}

Snapshot fleet(std::vector<JobRow> tasks) {
  Snapshot snapshot;
  snapshot.hosts.push_back(HostRow{});
  snapshot.hosts[0].name = "web-01";
  JobRow parent;
  parent.owner = "www-data";
  parent.schedule.raw = parent.schedule.normalized = "* * * * *";
  parent.command = "cd /srv/shop && php artisan schedule:run";
  parent.file = "/etc/cron.d/shop";
  parent.line = 1;
  digger::report::test::set_source_kind(parent, "cron.d");
  parent.verdict = "hidden";
  parent.flags = {"app-scheduler-expanded"};
  parent.verdict_reasons = {"app scheduler: 2 Laravel task(s) read from the source of /srv/shop"};
  snapshot.jobs.push_back(parent);
  for (auto& t : tasks) {
    snapshot.jobs.push_back(std::move(t));
  }
  return snapshot;
}

ReportView view_of(const Snapshot& snapshot) {
  return build_view(snapshot, *parse_filter(""), "", *parse_group_by("language"));
}

} // namespace

TEST_CASE("app schedulers and their tasks have their own report sections", "[report][laravel]") {
  const auto snapshot = fleet({task("0 13 * * 1-5", "php /srv/shop/artisan emails:send", 17),
                               task("30 1 * * *", "php /srv/shop/artisan backup:run", 20)});
  const auto view = view_of(snapshot);
  REQUIRE(view.app_schedulers.schedulers.size() == 1);
  REQUIRE(view.app_schedulers.tasks.size() == 2);
  for (bool full : {false, true}) {
    const std::string table = render_table(view, {false, 0, full});
    CHECK(table.find("Application schedulers: jobs that run an in-app scheduler (1)") !=
          std::string::npos);
    CHECK(table.find("app scheduler: 2 Laravel task(s)") != std::string::npos);
    CHECK(table.find("Application tasks, inferred from source (2)") != std::string::npos);
    CHECK(table.find("from /srv/shop/app/Console/Kernel.php:17") != std::string::npos);
  }
  std::ostringstream json;
  write_json(view, json);
  const auto doc = nlohmann::json::parse(json.str());
  REQUIRE(doc.contains("app_schedulers"));
  CHECK(doc["app_schedulers"]["schedulers"][0]["expanded"] == true);
  CHECK(doc["app_schedulers"]["tasks"][1]["origin"] == "/srv/shop/app/Console/Kernel.php:20");
  CHECK(doc["app_schedulers"]["tasks"][0]["schedule"] == "0 13 * * 1-5");

  Snapshot plain;
  plain.hosts.push_back(HostRow{});
  plain.hosts[0].name = "web-02";
  const auto none = view_of(plain);
  CHECK(render_table(none, {false, 0, true}).find("Application") == std::string::npos);
  std::ostringstream plain_json;
  write_json(none, plain_json);
  CHECK_FALSE(nlohmann::json::parse(plain_json.str()).contains("app_schedulers"));
}

TEST_CASE("diff: a task moved in Kernel.php is no change, a new frequency is",
          "[report][laravel]") {
  const auto before = fleet({task("0 13 * * 1-5", "php /srv/shop/artisan emails:send", 17)});
  const auto moved = fleet({task("0 13 * * 1-5", "php /srv/shop/artisan emails:send", 25)});
  CHECK(diff_snapshots(before, moved).hosts.at(0).changes.empty());
  const auto hourly = fleet({task("0 * * * *", "php /srv/shop/artisan emails:send", 17)});
  const auto diff = diff_snapshots(before, hourly);
  REQUIRE(diff.hosts.at(0).changes.size() == 1);
  CHECK(diff.hosts.at(0).changes[0].kind == JobChange::Kind::schedule_changed);
}
