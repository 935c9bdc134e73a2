// Workers in the reports (issue 18): loaded from the catalog, their own section in the table,
// JSON, ndjson and Prometheus formats, added and removed in the diff; absent when there are none.
#include "digger/report/diff.hpp"
#include "digger/report/diff_render.hpp"
#include "digger/report/load.hpp"
#include "digger/report/render.hpp"
#include "digger/report/render_prometheus.hpp"
#include "digger/report/view.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "catalog_test_support.hpp"

using namespace digger;
using namespace digger::report;

namespace {

catalog::EntryRow worker_entry(const std::string& name, const std::string& command,
                               std::int64_t instances) {
  catalog::EntryRow entry;
  entry.kind = "worker";
  entry.line_number = 3;
  entry.raw = "[program:" + name + "]";
  entry.command = command;
  entry.run_as = "forge";
  entry.language = "php";
  entry.evidence = "interpreter php";
  entry.verdict = "hidden";
  catalog::WorkerRow worker;
  worker.manager = "supervisor";
  worker.name = name;
  worker.instances = instances;
  worker.restart = "true";
  entry.worker = worker;
  return entry;
}

// Two scans of web1: the first with a queue worker, the second with it changed to 4 processes
// and a Horizon worker added.
std::string write_catalog(const catalog::test::TempDir& dir) {
  const std::string path = dir.file("digger.db");
  auto catalog = catalog::Catalog::open(path);
  const catalog::SourceKindRow kind{"supervisor", "", "none", "supervisord"};
  catalog.register_source_kinds(std::span(&kind, 1));
  for (int scan_number = 1; scan_number <= 2; ++scan_number) {
    auto host = catalog::test::sample_host("web1", 1);
    catalog::SourceRow source;
    source.path = "/etc/supervisor/conf.d/app.conf";
    source.kind = "supervisor";
    source.entries.push_back(worker_entry("queue", "php /srv/app/artisan queue:work",
                                          scan_number == 1 ? 8 : 4));
    if (scan_number == 2) {
      source.entries.push_back(worker_entry("horizon", "php /srv/app/artisan horizon", 1));
      source.entries.back().line_number = 9;
    }
    host.sources.push_back(source);
    const auto scan = catalog.begin_scan(catalog::test::scan_info());
    catalog.record_host(scan, host);
    catalog.finish_scan(scan, catalog::ScanStatus::complete);
  }
  return path;
}

} // namespace

TEST_CASE("workers are loaded and shown in every report format", "[report][workers]") {
  catalog::test::TempDir dir;
  const auto path = write_catalog(dir);
  auto catalog = open_catalog(path);
  const auto snapshot = load_snapshot(catalog, resolve_scan(catalog, "latest"));
  REQUIRE(snapshot.workers.size() == 2);
  CHECK(snapshot.workers[0].name == "queue");
  CHECK(snapshot.workers[0].owner == "forge");
  CHECK(snapshot.workers[0].instances == 4);
  CHECK(snapshot.jobs.size() == 1); // the crontab's job only
  const auto view = build_view(snapshot, *parse_filter(""), "", *parse_group_by("language"));
  REQUIRE(view.workers.size() == 2);

  const auto table = render_table(view, TableStyle{false, 0, false});
  CHECK(table.find("Workers: programs kept running by Supervisor or systemd (2)") !=
        std::string::npos);
  CHECK(table.find("queue: php /srv/app/artisan queue:work") != std::string::npos);

  const auto json = nlohmann::json::parse(render_json(view));
  REQUIRE(json["workers"].size() == 2);
  CHECK(json["workers"][1]["name"] == "horizon");
  CHECK(json["workers"][1]["type"] == "worker");
  CHECK(json["workers"][0]["restart"] == "true");

  std::ostringstream ndjson;
  write_ndjson(view, ndjson);
  CHECK(ndjson.str().find("\"type\":\"worker\"") != std::string::npos);

  const auto prometheus = render_prometheus(view, nullptr, PrometheusLimits{});
  CHECK(prometheus.find("digger_workers{manager=\"supervisor\",language=\"php\",owner=\"forge\"} 2") !=
        std::string::npos);

  // A host the filter leaves out takes its workers with it.
  const auto other = build_view(snapshot, *parse_filter("host=db*"), "host=db*",
                                *parse_group_by("language"));
  CHECK(other.workers.empty());
  CHECK(render_table(other, TableStyle{false, 0, false}).find("Workers") == std::string::npos);
  CHECK(nlohmann::json::parse(render_json(other)).contains("workers") == false);
  CHECK(render_prometheus(other, nullptr, PrometheusLimits{}).find("digger_workers") ==
        std::string::npos);
}

TEST_CASE("diff: workers added and removed", "[report][workers]") {
  catalog::test::TempDir dir;
  const auto path = write_catalog(dir);
  auto catalog = open_catalog(path);
  const auto scans = catalog.scans(); // newest first
  const auto before = load_snapshot(catalog, scans.at(1));
  const auto after = load_snapshot(catalog, scans.at(0));
  const auto diff = diff_snapshots(before, after);
  CHECK(diff.counts.workers_added == 2); // horizon, and queue at 4 processes
  CHECK(diff.counts.workers_removed == 1);
  CHECK(diff.anything_changed());
  REQUIRE(diff.workers.size() == 3);
  CHECK_FALSE(diff.workers[0].added);
  CHECK(diff.workers[0].worker.instances == 8);
  const auto text = render_diff_table(diff, TableStyle{false, 0, false});
  CHECK(text.find("Workers: 2 added, 1 removed") != std::string::npos);
  CHECK(text.find("+ web1 forge horizon x1: php /srv/app/artisan horizon") != std::string::npos);
  const auto json = nlohmann::json::parse(render_diff_json(diff));
  CHECK(json["counts"]["workers_added"] == 2);
  CHECK(render_diff_csv(diff).find("worker-removed,web1,22") != std::string::npos);
  // The same scan on both sides: nothing.
  CHECK(diff_snapshots(after, after).workers.empty());
}

TEST_CASE("a crash loop from supervisord's log survives the catalog into every report format",
          "[report][workers]") {
  catalog::test::TempDir dir;
  const std::string path = dir.file("digger.db");
  {
    auto catalog = catalog::Catalog::open(path);
    const catalog::SourceKindRow kind{"supervisor", "", "none", "supervisord"};
    catalog.register_source_kinds(std::span(&kind, 1));
    auto host = catalog::test::sample_host("web1", 1);
    catalog::SourceRow source;
    source.path = "/etc/supervisor/conf.d/app.conf";
    source.kind = "supervisor";
    source.entries.push_back(worker_entry("queue", "php /srv/app/artisan queue:work", 8));
    source.entries.back().flags = {"crash-loop"};
    source.entries.back().worker->unexpected_exits = 14;
    source.entries.back().worker->gave_up = 1;
    source.entries.back().worker->last_exit = "2024-01-01 10:00:13";
    source.entries.back().worker->gave_up_at = "2024-01-01 10:00:20";
    source.entries.push_back(worker_entry("horizon", "php /srv/app/artisan horizon", 1));
    source.entries.back().line_number = 9;
    host.sources.push_back(source);
    const auto scan = catalog.begin_scan(catalog::test::scan_info());
    catalog.record_host(scan, host);
    catalog.finish_scan(scan, catalog::ScanStatus::complete);
    // The host reader gives back what was written (the diff and migrate read it so).
    const auto read = catalog.host_record(scan, {"web1", 22});
    REQUIRE(read.has_value());
    const auto& back = read->sources.back().entries;
    REQUIRE(back.size() == 2);
    CHECK(back[0].worker == source.entries[0].worker);
    CHECK(back[1].worker == source.entries[1].worker);
  }
  auto catalog = open_catalog(path);
  const auto snapshot = load_snapshot(catalog, resolve_scan(catalog, "latest"));
  REQUIRE(snapshot.workers.size() == 2);
  CHECK(snapshot.workers[0].unexpected_exits == 14);
  CHECK_FALSE(snapshot.workers[1].unexpected_exits.has_value());
  const auto view = build_view(snapshot, *parse_filter(""), "", *parse_group_by("language"));
  const auto table = render_table(view, TableStyle{false, 0, false});
  CHECK(table.find("crash loop: 14 unexpected exits, last 2024-01-01 10:00:13, gave up "
                   "2024-01-01 10:00:20 (supervisord's log, host time)") != std::string::npos);
  const auto json = nlohmann::json::parse(render_json(view));
  CHECK(json["workers"][0]["unexpected_exits"] == 14);
  CHECK(json["workers"][0]["gave_up_at"] == "2024-01-01 10:00:20");
  CHECK(json["workers"][1]["unexpected_exits"].is_null());
  const auto prometheus = render_prometheus(view, nullptr, PrometheusLimits{});
  CHECK(prometheus.find("\ndigger_worker_crash_loops 1\n") != std::string::npos);
  const auto looping =
      build_view(snapshot, *parse_filter("flag=crash-loop"), "", *parse_group_by("language"));
  CHECK(looping.workers.size() == 1);
}
