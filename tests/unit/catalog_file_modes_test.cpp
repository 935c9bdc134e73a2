// The catalog holds every crontab of the fleet: every file of it is created 0600, whatever
// the umask, and the directory it lives in keeps the mode its owner gave it.
#include "digger/catalog/catalog.hpp"
#include "digger/catalog/scan_lock.hpp"
#include "digger/catalog/writer.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "catalog_test_support.hpp"

using namespace digger::catalog;
using digger::catalog::test::TempDir;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::lstat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

// Sets the umask for the test's scope (the permissive 022 of most shells by default).
struct Umask {
  explicit Umask(mode_t mask) : saved(::umask(mask)) {}
  ~Umask() { ::umask(saved); }
  mode_t saved;
};

} // namespace

TEST_CASE("a new catalog, its -wal, -shm and scan lock are 0600", "[catalog][modes]") {
  Umask permissive(022);
  TempDir dir;
  const std::string path = dir.file("fleet.db");
  REQUIRE(::chmod(dir.file("").c_str(), 0755) == 0);
  {
    Catalog catalog = Catalog::open(path);
    auto scan = catalog.begin_scan(test::scan_info());
    catalog.record_host(scan, test::sample_host("web1"));
    // While the connection is open the WAL files exist.
    CHECK(mode_of(path) == 0600);
    CHECK(mode_of(path + "-wal") == 0600);
    CHECK(mode_of(path + "-shm") == 0600);
    CHECK(mode_of(ScanLock::lock_path(path)) == 0600);
    catalog.finish_scan(scan, ScanStatus::complete);
  }
  CHECK(mode_of(path) == 0600);
  CHECK(mode_of(dir.file("")) == 0755); // the directory is the operator's business
}

TEST_CASE("an existing catalog keeps the mode its owner chose", "[catalog][modes]") {
  Umask permissive(022);
  TempDir dir;
  const std::string path = dir.file("shared.db");
  { Catalog::open(path); }
  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  Catalog catalog = Catalog::open(path);
  auto scan = catalog.begin_scan(test::scan_info());
  catalog.record_host(scan, test::sample_host("web1"));
  CHECK(mode_of(path) == 0640);
  catalog.finish_scan(scan, ScanStatus::complete);
}
