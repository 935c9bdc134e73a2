#include "digger/catalog/catalog.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

#include "catalog_access.hpp"
#include "catalog_test_support.hpp"

using namespace digger::catalog;
using namespace digger::catalog::test;

namespace {

using namespace std::string_literals;

// Every string a host controls, filled with bytes that break naive storage.
HostRecord hostile_host() {
  HostRecord host = sample_host("hostile", 1, "mallory");
  host.labels = {{"team", "ops é"}, {"quote", "it's \"fine\""}};
  host.status = "partial";
  host.reason = "1 file unreadable";
  host.facts.hostname = "box\nname";
  host.facts.timezone = "Etc/\xff";
  host.unreadable_paths = {"/var/spool/cron/\xfe\xff", "/etc/cron.d/new\nline"};
  host.stderr_excerpt = "warn\0ing\r\n"s;
  host.output_truncated = true;
  SourceRow& source = host.sources.at(0);
  source.path = "/var/spool/cron/crontabs/mal\nlory\xff'; DROP TABLE entries; --";
  source.owner = "mal\xffory";
  source.truncated = true;
  source.loaded_by_daemon = false;
  source.not_loaded_reason = "name has a newline";
  source.loads_under_vixie = false;
  source.load_notes = {"bad minute on line 3", "caf\xc3\xa9 \xff"};
  source.read_error = "";
  EntryRow& job = source.entries.at(1);
  job.raw = "* * * * * echo a\0b%in\xff"s;
  job.command = "echo a\0b"s;
  job.stdin_data = "in\xff";
  job.run_as = "";
  job.description = "\t\x01\x7f";
  job.cron_tz = "America/New_York";
  EntryRow empty_stdin = job;
  empty_stdin.line_number = 3;
  empty_stdin.stdin_data = "";
  source.entries.push_back(empty_stdin);
  EntryRow invalid;
  invalid.line_number = 4;
  invalid.kind = "invalid";
  invalid.raw = "61 * * * * x";
  invalid.error = "bad minute";
  source.entries.push_back(invalid);
  SourceRow system = source;
  system.path = "/etc/cron.d/plain";
  system.kind = "cron.d";
  system.entries = {job_entry(1, "php /srv/app/cron.php", "php")};
  system.entries[0].run_as = "www-data";
  host.sources.push_back(system);
  return host;
}

} // namespace

TEST_CASE("a host record round-trips byte-exact, hostile bytes included", "[catalog][record]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t scan = catalog.begin_scan(scan_info());
  HostRecord host = hostile_host();
  catalog.record_host(scan, host);
  catalog.finish_scan(scan, ScanStatus::complete);

  std::optional<HostRecord> back = catalog.host_record(scan, {"hostile", 22});
  REQUIRE(back.has_value());
  CHECK(back->sources.at(0).path == host.sources.at(0).path);
  CHECK(back->sources.at(0).entries.at(1).command == "echo a\0b"s);
  CHECK(back->sources.at(0).entries.at(1).stdin_data == std::optional<std::string>("in\xff"));
  CHECK(back->sources.at(0).entries.at(2).stdin_data == std::optional<std::string>(""));
  CHECK_FALSE(back->sources.at(0).entries.at(0).stdin_data.has_value());
  CHECK(back->unreadable_paths == host.unreadable_paths);
  CHECK(back->stderr_excerpt == host.stderr_excerpt);
  CHECK(*back == host);

  // Plain paths stay TEXT for the sqlite3 shell; the rest are BLOBs.
  Statement types = internal::database(catalog).prepare(
      "SELECT kind, typeof(path) FROM cron_sources ORDER BY id");
  REQUIRE(types.step());
  CHECK(types.column_text(1) == "blob");
  REQUIRE(types.step());
  CHECK(types.column_text(1) == "text");
  CHECK(internal::database(catalog).query_int("SELECT COUNT(*) FROM entries") == 5);
}

TEST_CASE("recording a host twice in a scan replaces its result", "[catalog][record]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t scan = catalog.begin_scan(scan_info());
  catalog.record_host(scan, sample_host("web1", 3));
  HostRecord failed = sample_host("web2", 0);
  failed.status = "timeout";
  failed.sources.clear();
  catalog.record_host(scan, failed);

  ScanSummary summary = catalog.scan(scan).value();
  CHECK(summary.hosts_recorded == 2);
  CHECK(summary.hosts_ok == 1);
  CHECK(summary.hosts_failed == 1);
  CHECK(summary.jobs == 3);

  catalog.record_host(scan, sample_host("web1", 5)); // a retry replaces
  summary = catalog.scan(scan).value();
  CHECK(summary.hosts_recorded == 2);
  CHECK(summary.hosts_ok == 1);
  CHECK(summary.jobs == 5);
  Database& db = internal::database(catalog);
  CHECK(db.query_int("SELECT COUNT(*) FROM entries WHERE kind = 'job'") == 5);
  CHECK(db.query_int("SELECT COUNT(*) FROM cron_sources") == 1); // the old one cascaded away
}

TEST_CASE("hosts keep one identity across scans: name and port", "[catalog][record]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  for (int round = 0; round < 2; ++round) {
    std::int64_t scan = catalog.begin_scan(scan_info());
    catalog.record_host(scan, sample_host("web1"));
    HostRecord other_port = sample_host("web1");
    other_port.port = 2222;
    other_port.labels = {{"round", std::to_string(round)}};
    catalog.record_host(scan, other_port);
    catalog.finish_scan(scan, ScanStatus::complete);
  }
  Database& db = internal::database(catalog);
  CHECK(db.query_int("SELECT COUNT(*) FROM hosts") == 2);
  CHECK(db.query_int("SELECT COUNT(*) FROM host_results") == 4);
  Statement labels = db.prepare("SELECT labels_json FROM hosts WHERE port = 2222");
  REQUIRE(labels.step());
  CHECK(labels.column_text(0) == R"({"round":"1"})"); // the latest scan's labels
}

TEST_CASE("records the schema would reject are refused before writing", "[catalog][record]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t scan = catalog.begin_scan(scan_info());
  HostRecord bad_status = sample_host("a");
  bad_status.status = "fine";
  CHECK_THROWS_AS(catalog.record_host(scan, bad_status), std::invalid_argument);
  HostRecord bad_kind = sample_host("b");
  bad_kind.sources.at(0).entries.at(0).kind = "remark";
  std::vector<HostRecord> batch{sample_host("ok"), bad_kind};
  CHECK_THROWS_WITH(catalog.record_hosts(scan, batch), Catch::Contains("remark"));
  HostRecord nameless = sample_host("");
  CHECK_THROWS_AS(catalog.record_host(scan, nameless), std::invalid_argument);
  CHECK(internal::database(catalog).query_int("SELECT COUNT(*) FROM host_results") == 0);
  CHECK_THROWS_AS(catalog.begin_scan(scan_info()), CatalogError); // already scanning here
}

TEST_CASE("recording needs a scan begun by this catalog", "[catalog][record]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  CHECK_THROWS_WITH(catalog.record_host(7, sample_host("a")), Catch::Contains("scan 7"));
  std::int64_t scan = catalog.begin_scan(scan_info());
  catalog.finish_scan(scan, ScanStatus::complete);
  CHECK_THROWS_AS(catalog.record_host(scan, sample_host("a")), CatalogError);
  CHECK_THROWS_AS(catalog.finish_scan(scan, ScanStatus::running), std::invalid_argument);
}

TEST_CASE("the stderr excerpt is bounded", "[catalog][record]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t scan = catalog.begin_scan(scan_info());
  HostRecord host = sample_host("noisy");
  host.stderr_excerpt = std::string(1 << 20, 'e');
  catalog.record_host(scan, host);
  CHECK(catalog.host_record(scan, {"noisy", 22})->stderr_excerpt.size() == 64 * 1024);
}

TEST_CASE("scans() lists every scan newest first with its counts", "[catalog][record]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t first = catalog.begin_scan(scan_info("one.toml"));
  catalog.record_host(first, sample_host("a", 4));
  catalog.finish_scan(first, ScanStatus::complete);
  std::int64_t second = catalog.begin_scan(scan_info("two.toml"));
  catalog.finish_scan(second, ScanStatus::failed);

  std::vector<ScanSummary> scans = catalog.scans();
  REQUIRE(scans.size() == 2);
  CHECK(scans[0].id == second);
  CHECK(scans[0].status == ScanStatus::failed);
  CHECK(scans[0].inventory_path == "two.toml");
  CHECK(scans[1].id == first);
  CHECK(scans[1].status == ScanStatus::complete);
  CHECK(scans[1].jobs == 4);
  CHECK(scans[1].hosts_planned == 3);
  CHECK(scans[1].options_json == R"({"concurrency":64})");
  CHECK(scans[1].digger_version == "0.1.0");
  CHECK(scans[1].pid == ::getpid());
  CHECK(scans[1].started_at.size() == 20); // 2026-11-25T15:00:00Z
  CHECK_FALSE(scans[1].finished_at.empty());
  ScanInfo secretless = scan_info();
  secretless.options_json = "not json";
  CHECK_THROWS_AS(catalog.begin_scan(secretless), std::invalid_argument);
}
