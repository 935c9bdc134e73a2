// Source kinds in the catalog's lookup table (schema version 5): the migration from version 4,
// registration, and records of an unknown kind.

#include "digger/catalog/catalog.hpp"
#include "digger/catalog/writer.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "catalog_access.hpp"
#include "catalog_test_support.hpp"
#include "schema.hpp"

using namespace digger::catalog;
using digger::catalog::test::TempDir;

namespace {

// A version 4 catalog as version 4 wrote it: the released steps 1..4 (never edited), then a
// scan with a source of each of the seven kinds the CHECK constraint allowed.
void write_v4_catalog(const std::string& path) {
  Database db(path, Database::Access::read_write_create);
  for (const Migration& step : migrations()) {
    if (step.version <= 4) {
      db.exec(step.sql);
    }
  }
  db.exec(R"sql(
    PRAGMA application_id = 1145653074;
    PRAGMA user_version = 4;
    INSERT INTO scans (id, inventory_path, status) VALUES (5, 'fleet', 'complete');
    INSERT INTO hosts (id, name, port) VALUES (2, 'web1', 22);
    INSERT INTO host_results (id, scan_id, host_id, status, jobs) VALUES (8, 5, 2, 'ok', 2);
    INSERT INTO cron_sources (id, host_result_id, path, kind, owner, package)
      VALUES (30, 8, '/var/spool/cron/crontabs/alice', 'user', 'alice', NULL),
             (31, 8, '/etc/crontab', 'system', 'root', 'cron'),
             (32, 8, X'2F6574632F63726F6E2E642FFF', 'cron.d', 'root', NULL),
             (33, 8, '/etc/anacrontab', 'anacrontab', 'root', 'anacron'),
             (34, 8, '/etc/cron.daily/logrotate', 'run-parts', 'root', 'logrotate'),
             (35, 8, '/etc/systemd/system/b.timer', 'timer', 'root', NULL),
             (36, 8, '/etc/systemd/system/b.service', 'service', 'root', NULL);
    INSERT INTO entries (id, source_id, line_number, kind, raw, command, fingerprint, verdict)
      VALUES (400, 30, 1, 'job', '@daily backup.sh', 'backup.sh', 'fp-b', 'hidden'),
             (401, 35, 2, 'job', 'OnCalendar=daily', '/usr/bin/b', 'fp-t', 'hidden');
  )sql");
}

std::vector<std::string> rows(Database& db, const std::string& sql) {
  Statement query = db.prepare(sql);
  std::vector<std::string> out;
  while (query.step()) {
    std::string row;
    for (int column = 0; column < query.column_count(); ++column) {
      row += (column > 0 ? "|" : "") + query.column_bytes(column);
    }
    out.push_back(row);
  }
  return out;
}

HostRecord host_with_source(std::string kind) {
  HostRecord host;
  host.name = "web1";
  SourceRow source;
  source.path = "/etc/fake/one";
  source.kind = std::move(kind);
  host.sources.push_back(source);
  return host;
}

} // namespace

TEST_CASE("a version 4 catalog is migrated to the kinds table keeping every source",
          "[catalog][schema][kinds]") {
  TempDir dir;
  const std::string path = dir.file("v4.db");
  write_v4_catalog(path);
  std::vector<std::string> before;
  {
    Database db(path, Database::Access::read_write_create);
    before = rows(db, "SELECT * FROM cron_sources ORDER BY rowid");
  }
  Catalog catalog = Catalog::open(path);
  CHECK(catalog.schema_version() == latest_schema_version());
  Database& db = internal::database(catalog);
  CHECK(rows(db, "SELECT * FROM cron_sources ORDER BY rowid") == before);
  CHECK(db.query_int("SELECT COUNT(*) FROM pragma_foreign_key_check") == 0);
  CHECK(db.query_int("PRAGMA foreign_keys") == 1);
  Statement integrity = db.prepare("PRAGMA integrity_check");
  REQUIRE(integrity.step());
  CHECK(integrity.column_text(0) == "ok");
  // The seven kinds the CHECK allowed are rows now, with their grammar and clock.
  auto kinds = catalog.source_kinds();
  REQUIRE(kinds.size() == 7);
  CHECK(kinds[0] == SourceKindRow{"user", "user", "cron", "a user's crontab in the cron spool"});
  CHECK(kinds[2].name == "cron.d");
  CHECK(kinds[2].crontab == "system");
  CHECK(kinds[3].clock == "anacron");
  CHECK(kinds[4].clock == "inherited");
  CHECK(kinds[5].name == "timer");
  // The views read the rebuilt table; deleting a result still cascades.
  CHECK(rows(db, "SELECT source_kind FROM jobs ORDER BY entry_id") ==
        std::vector<std::string>{"user", "timer"});
  CHECK(db.query_int("SELECT COUNT(*) FROM hidden_jobs") == 2);
  db.exec("DELETE FROM host_results WHERE id = 8");
  CHECK(db.query_int("SELECT COUNT(*) FROM cron_sources") == 0);
  CHECK(db.query_int("SELECT COUNT(*) FROM entries") == 0);
  // A kind no row names is refused by the foreign key.
  CHECK_THROWS_AS(db.exec("INSERT INTO cron_sources (host_result_id, path, kind) "
                          "VALUES (8, '/x', 'launchd')"),
                  CatalogError);
}

TEST_CASE("a registered kind is accepted, an unknown one refused before writing",
          "[catalog][kinds]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("kinds.db"));
  const auto scan = catalog.begin_scan({"fleet", "{}", 1, "test"});
  CHECK_THROWS_WITH(catalog.record_host(scan, host_with_source("supervisor")),
                    Catch::Contains("unknown source kind 'supervisor'"));
  const std::vector<SourceKindRow> added{{"supervisor", "", "forever", "a Supervisor program"}};
  catalog.register_source_kinds(added);
  {
    Writer writer(catalog, scan);
    writer.submit(host_with_source("supervisor"));
    writer.stop();
  }
  CHECK(internal::database(catalog).query_int(
            "SELECT COUNT(*) FROM cron_sources WHERE kind = 'supervisor'") == 1);
  CHECK(catalog.source_kinds().back() == added.front());
  // Registering again updates the row instead of adding one.
  const std::vector<SourceKindRow> changed{{"supervisor", "", "forever", "Supervisor"}};
  catalog.register_source_kinds(changed);
  CHECK(catalog.source_kinds().size() == 8);
  CHECK(catalog.source_kinds().back().description == "Supervisor");
  catalog.finish_scan(scan, ScanStatus::complete);
}
