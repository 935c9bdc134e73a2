#include "digger/cli/metrics_file.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>

#include "catalog_test_support.hpp"

using namespace digger;

TEST_CASE("write_textfile replaces DIR/digger.prom whole, mode 0644, nothing left beside it",
          "[cli][prometheus]") {
  catalog::test::TempDir dir;
  const std::string root = dir.file("");
  cli::write_textfile(root, "digger_scan_id 1\n");
  cli::write_textfile(root, "digger_scan_id 2\n");
  CHECK(catalog::test::read_file_bytes(dir.file("digger.prom")) == "digger_scan_id 2\n");
  struct stat info {};
  REQUIRE(::stat(dir.file("digger.prom").c_str(), &info) == 0);
  CHECK((info.st_mode & 07777) == 0644);
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    CHECK(entry.path().filename() == "digger.prom");
    ++entries;
  }
  CHECK(entries == 1);
}

TEST_CASE("write_textfile says why it cannot write", "[cli][prometheus]") {
  catalog::test::TempDir dir;
  try {
    cli::write_textfile(dir.file("missing"), "x\n");
    FAIL("no error for a missing directory");
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    CHECK(message.find("cannot create a temporary file in") != std::string::npos);
    CHECK(message.find("No such file or directory") != std::string::npos);
  }
}
