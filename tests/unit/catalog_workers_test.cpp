// Schema step 6 (issue 18): workers as entries of kind 'worker' with their worker_facts row.
#include "digger/catalog/catalog.hpp"

#include <catch2/catch.hpp>

#include "catalog_access.hpp"
#include "catalog_test_support.hpp"
#include "schema.hpp"

using namespace digger::catalog;
using namespace digger::catalog::test;

namespace {

HostRecord host_with_worker() {
  HostRecord host = sample_host("web1", 1);
  SourceRow source;
  source.path = "/etc/supervisor/conf.d/laravel.conf";
  source.kind = "supervisor";
  source.owner = "root";
  EntryRow entry;
  entry.kind = "worker";
  entry.line_number = 3;
  entry.raw = "[program:laravel-worker]";
  entry.command = "php /home/forge/app/artisan queue:work";
  entry.run_as = "forge";
  entry.language = "php";
  WorkerRow worker;
  worker.manager = "supervisor";
  worker.name = "laravel-worker";
  worker.group = "laravel-worker";
  worker.instances = 8;
  worker.process_names = {"laravel-worker_00", "laravel-worker_01"};
  worker.restart = "true";
  worker.environment = {"APP_ENV=production", "DB_PASSWORD=***"};
  worker.unresolved = {"ENV_HOME"};
  entry.worker = worker;
  source.entries.push_back(entry);
  host.sources.push_back(source);
  return host;
}

} // namespace

TEST_CASE("a worker round-trips and shows in the workers view, not in jobs", "[catalog][workers]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  const SourceKindRow kind{"supervisor", "", "none", "a supervisord configuration file"};
  catalog.register_source_kinds(std::span(&kind, 1));
  const auto scan = catalog.begin_scan(scan_info());
  const HostRecord host = host_with_worker();
  catalog.record_host(scan, host);
  catalog.finish_scan(scan, ScanStatus::complete);

  const auto back = catalog.host_record(scan, {"web1", 22});
  REQUIRE(back.has_value());
  CHECK(*back == host);
  Database& db = internal::database(catalog);
  CHECK(db.query_int("SELECT COUNT(*) FROM jobs") == 1); // the crontab's, not the worker
  CHECK(db.query_int("SELECT jobs FROM scans") == 1);
  Statement workers =
      db.prepare("SELECT name, owner, instances, restart, environment FROM workers");
  REQUIRE(workers.step());
  CHECK(workers.column_bytes(0) == "laravel-worker");
  CHECK(workers.column_bytes(1) == "forge");
  CHECK(workers.column_int(2) == 8);
  CHECK(workers.column_text(3) == "true");
  CHECK(workers.column_bytes(4) == "APP_ENV=production\nDB_PASSWORD=***");
  CHECK_FALSE(workers.step());
}

TEST_CASE("a worker entry without its facts is refused before anything is written",
          "[catalog][workers]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  const SourceKindRow kind{"supervisor", "", "none", ""};
  catalog.register_source_kinds(std::span(&kind, 1));
  const auto scan = catalog.begin_scan(scan_info());
  HostRecord host = host_with_worker();
  host.sources.back().entries.back().worker.reset();
  CHECK_THROWS_AS(catalog.record_host(scan, host), std::invalid_argument);
}

TEST_CASE("a version 5 catalog is migrated to the latest (steps 6 and 7) keeping its entries",
          "[catalog][schema]") {
  TempDir dir;
  const std::string path = dir.file("v5.db");
  {
    Database db(path, Database::Access::read_write_create);
    for (const Migration& step : migrations()) {
      if (step.version <= 5) {
        db.exec(step.sql);
      }
    }
    db.exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = 5", application_id));
    db.exec(R"sql(
      INSERT INTO scans (id, inventory_path, status, started_at) VALUES (1, 'f', 'complete',
        '2026-01-02T03:04:05Z');
      INSERT INTO hosts (id, name) VALUES (1, 'web1');
      INSERT INTO host_results (id, scan_id, host_id, status) VALUES (1, 1, 1, 'ok');
      INSERT INTO cron_sources (id, host_result_id, path, kind) VALUES (1, 1, '/etc/crontab',
        'system');
      INSERT INTO entries (id, source_id, line_number, kind, raw, command, flags, verdict)
        VALUES (7, 1, 3, 'job', '* * * * * root x', 'x', 'target-missing', 'hidden');
    )sql");
  }
  Catalog catalog = Catalog::open(path);
  CHECK(catalog.schema_version() == latest_schema_version());
  Database& db = internal::database(catalog);
  CHECK(db.query_int("SELECT COUNT(*) FROM jobs WHERE entry_id = 7 AND verdict = 'hidden' AND "
                     "flags = 'target-missing'") == 1);
  CHECK(db.query_int("SELECT COUNT(*) FROM hidden_jobs") == 1);
  CHECK(db.query_int("SELECT COUNT(*) FROM workers") == 0);
  CHECK(db.query_int("SELECT COUNT(*) FROM pragma_foreign_key_check") == 0);
  db.exec("INSERT INTO entries (source_id, line_number, kind, raw) VALUES (1, 9, 'worker', 'w')");
  CHECK_THROWS_AS(
      db.exec("INSERT INTO entries (source_id, line_number, kind, raw) VALUES (1, 9, 'x', 'w')"),
      CatalogError);
  db.exec("INSERT INTO worker_facts (entry_id, manager, name) VALUES (last_insert_rowid(), "
          "'supervisor', 'w')");
  db.exec("DELETE FROM host_results WHERE id = 1"); // cascades down to worker_facts
  CHECK(db.query_int("SELECT COUNT(*) FROM worker_facts") == 0);
}
