#include "digger/catalog/writer.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <thread>
#include <vector>

#include "catalog_access.hpp"
#include "catalog_test_support.hpp"

using namespace digger::catalog;
using namespace digger::catalog::test;

namespace {

// What another process would see: a separate read-only connection.
std::int64_t hosts_on_disk(const std::string& path) {
  Catalog reader = Catalog::open(path, Mode::read_only);
  return internal::database(reader).query_int("SELECT COUNT(*) FROM host_results");
}

} // namespace

TEST_CASE("every host handed to the writer is in the catalog after stop", "[catalog][writer]") {
  TempDir dir;
  std::string path = dir.file("c.db");
  {
    Catalog catalog = Catalog::open(path);
    std::int64_t scan = catalog.begin_scan(scan_info());
    Writer writer(
        catalog, scan,
        {.queue_capacity = 8, .batch_hosts = 7, .batch_interval = std::chrono::milliseconds(20)});
    std::vector<std::thread> workers;
    for (int worker = 0; worker < 4; ++worker) {
      workers.emplace_back([&writer, worker] {
        for (int i = 0; i < 50; ++i) {
          writer.submit(sample_host(fmt::format("w{}-h{}", worker, i), 3));
        }
      });
    }
    for (std::thread& worker : workers) {
      worker.join();
    }
    writer.stop();
    CHECK(writer.committed() == 200);
    catalog.finish_scan(scan, ScanStatus::complete);
  }
  Catalog reader = Catalog::open(path, Mode::read_only);
  ScanSummary summary = reader.scans().at(0);
  CHECK(summary.hosts_recorded == 200);
  CHECK(summary.jobs == 600);
  CHECK(internal::database(reader).query_int("SELECT COUNT(*) FROM entries") == 800);
  CHECK(reader.host_record(summary.id, {"w3-h49", 22}) == sample_host("w3-h49", 3));
}

TEST_CASE("flush commits without waiting for a full batch", "[catalog][writer]") {
  TempDir dir;
  std::string path = dir.file("c.db");
  Catalog catalog = Catalog::open(path);
  std::int64_t scan = catalog.begin_scan(scan_info());
  // A batch that would never fill and an interval longer than any test: only flush commits.
  Writer writer(
      catalog, scan,
      {.queue_capacity = 100, .batch_hosts = 1000, .batch_interval = std::chrono::hours(1)});
  for (int i = 0; i < 3; ++i) {
    writer.submit(sample_host(fmt::format("h{}", i)));
  }
  writer.flush();
  CHECK(writer.committed() == 3);
  CHECK(hosts_on_disk(path) == 3);
  writer.submit(sample_host("h3"));
  writer.stop();
  CHECK(hosts_on_disk(path) == 4);
  writer.stop(); // a second stop is harmless
}

TEST_CASE("a lone host is committed once the batch interval passes", "[catalog][writer]") {
  TempDir dir;
  std::string path = dir.file("c.db");
  Catalog catalog = Catalog::open(path);
  std::int64_t scan = catalog.begin_scan(scan_info());
  Writer writer(catalog, scan,
                {.queue_capacity = 100,
                 .batch_hosts = 1000,
                 .batch_interval = std::chrono::milliseconds(30)});
  writer.submit(sample_host("lonely"));
  // No flush and no stop: only the interval can commit it. Poll with a generous bound.
  for (int i = 0; i < 500 && writer.committed() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(writer.committed() == 1);
  CHECK(hosts_on_disk(path) == 1);
}

TEST_CASE("a writer failure reaches the threads that submit", "[catalog][writer]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  Writer writer(catalog, 12345, {}); // no such scan running here: every batch fails
  writer.submit(sample_host("a"));
  CHECK_THROWS_WITH(writer.flush(), Catch::Contains("scan 12345"));
  CHECK_THROWS_AS(writer.submit(sample_host("b")), CatalogError);
  CHECK_THROWS_AS(writer.stop(), CatalogError);
}

TEST_CASE("the writer rejects a bad record in the submitting thread", "[catalog][writer]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t scan = catalog.begin_scan(scan_info());
  Writer writer(catalog, scan);
  HostRecord bad = sample_host("bad");
  bad.status = "sleepy";
  CHECK_THROWS_AS(writer.submit(bad), std::invalid_argument);
  writer.submit(sample_host("good"));
  writer.stop(); // the good one is not lost to the bad one
  CHECK(catalog.hosts_recorded(scan) == std::vector<HostIdentity>{{"good", 22}});
}
