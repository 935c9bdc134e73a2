#include "digger/catalog/catalog.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

#include "catalog_test_support.hpp"
#include "schema.hpp"

using namespace digger::catalog;
using namespace digger::catalog::test;

namespace {

// The error's message, checked to be a single line.
std::string open_error(const std::string& path, Mode mode = Mode::read_write) {
  try {
    Catalog::open(path, mode);
  } catch (const CatalogError& error) {
    std::string message = error.what();
    CHECK(message.find('\n') == std::string::npos);
    return message;
  }
  FAIL("the catalog opened");
  return "";
}

// A real catalog with enough rows to span many pages, closed (so the WAL is checkpointed).
void write_catalog(const std::string& path) {
  Catalog catalog = Catalog::open(path);
  std::int64_t scan = catalog.begin_scan(scan_info());
  for (int i = 0; i < 40; ++i) {
    catalog.record_host(scan, sample_host(fmt::format("host{}", i), 10));
  }
  catalog.finish_scan(scan, ScanStatus::complete);
}

} // namespace

TEST_CASE("a file that is not SQLite is refused and left untouched", "[catalog][open]") {
  TempDir dir;
  std::string path = dir.file("notes.db");
  std::string text = "these are my notes, not a database\n";
  for (int i = 0; i < 100; ++i) {
    text += "line of text\n";
  }
  write_file_bytes(path, text);
  CHECK_THROWS_AS(Catalog::open(path), CatalogError);
  CHECK_THAT(open_error(path), Catch::Contains("not a SQLite database"));
  CHECK_THAT(open_error(path, Mode::read_only), Catch::Contains("not a SQLite database"));
  CHECK(read_file_bytes(path) == text);
  CHECK_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST_CASE("a file with a SQLite magic but a cut header is refused untouched", "[catalog][open]") {
  TempDir dir;
  std::string path = dir.file("short.db");
  std::string bytes("SQLite format 3\0\x10\x00", 18);
  write_file_bytes(path, bytes);
  CHECK_THAT(open_error(path), Catch::Contains("not a SQLite database"));
  CHECK(read_file_bytes(path) == bytes);
}

TEST_CASE("a corrupt catalog is refused and left byte-for-byte untouched", "[catalog][open]") {
  TempDir dir;
  std::string path = dir.file("corrupt.db");
  write_catalog(path);
  std::string bytes = read_file_bytes(path);
  REQUIRE(bytes.size() > 6 * 4096);
  // Trample the middle pages, keep the header: only reading the pages can tell.
  for (std::size_t i = 2 * 4096; i < 6 * 4096; ++i) {
    bytes[i] = static_cast<char>(0xA5);
  }
  write_file_bytes(path, bytes);

  std::string message = open_error(path);
  CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("untouched"));
  CHECK_THAT(open_error(path, Mode::read_only), Catch::Contains("untouched"));
  CHECK(read_file_bytes(path) == bytes);
}

TEST_CASE("a catalog whose schema page is garbage is refused untouched", "[catalog][open]") {
  TempDir dir;
  std::string path = dir.file("schema.db");
  write_catalog(path);
  std::string bytes = read_file_bytes(path);
  for (std::size_t i = 100; i < 4096; ++i) {
    bytes[i] = static_cast<char>(i * 7);
  }
  write_file_bytes(path, bytes);
  CHECK_THAT(open_error(path), Catch::Contains("untouched"));
  CHECK(read_file_bytes(path) == bytes);
}

TEST_CASE("another application's SQLite database is refused untouched", "[catalog][open]") {
  TempDir dir;
  std::string path = dir.file("other.db");
  {
    Database db(path, Database::Access::read_write_create);
    db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('bob')");
  }
  std::string bytes = read_file_bytes(path);
  CHECK_THAT(open_error(path), Catch::Contains("not a Digger catalog"));
  CHECK(read_file_bytes(path) == bytes);

  {
    Database db(path, Database::Access::read_write_create);
    db.exec("PRAGMA user_version = 1"); // versioned, but without Digger's application_id
  }
  CHECK_THAT(open_error(path), Catch::Contains("not a Digger catalog"));
}

TEST_CASE("an empty file becomes a new catalog", "[catalog][open]") {
  TempDir dir;
  std::string path = dir.file("empty.db");
  write_file_bytes(path, "");
  Catalog catalog = Catalog::open(path);
  CHECK(catalog.schema_version() == latest_schema_version());
  CHECK(catalog.scans().empty());
}

TEST_CASE("paths that cannot hold a catalog give clear errors", "[catalog][open]") {
  TempDir dir;
  CHECK_THAT(open_error(dir.file("")), Catch::Contains("not a regular file"));
  CHECK_THAT(open_error(dir.file("missing.db"), Mode::read_only),
             Catch::Contains("no catalog here yet"));
  CHECK_FALSE(std::filesystem::exists(dir.file("missing.db")));
  CHECK_THAT(open_error(dir.file("no/such/dir/x.db")), Catch::Contains("cannot open"));
  CHECK_THROWS_WITH(Catalog::open(""), Catch::Contains("empty"));
}

TEST_CASE("a catalog reopens read-only and read-write", "[catalog][open]") {
  TempDir dir;
  std::string path = dir.file("again.db");
  write_catalog(path);
  {
    Catalog reader = Catalog::open(path, Mode::read_only);
    CHECK(reader.scans().size() == 1);
    CHECK_THROWS_WITH(reader.begin_scan(scan_info()), Catch::Contains("read-only"));
  }
  Catalog writer = Catalog::open(path);
  CHECK(writer.scans().at(0).hosts_recorded == 40);
}
