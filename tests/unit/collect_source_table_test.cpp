// The source table: wire words, catalog kinds, and the agreement between its rows and the kinds
// the catalog's migration seeds.

#include "digger/catalog/catalog.hpp"
#include "digger/collect/remote_paths.hpp"
#include "digger/collect/source_table.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "catalog_test_support.hpp"

using namespace digger;
using namespace digger::collect;

TEST_CASE("wire words and catalog kinds come from the table", "[collect][sources]") {
  CHECK(source_spec_for_wire("cron.d")->kind == SourceKind::cron_d);
  CHECK(source_spec_for_wire("unit")->kind == SourceKind::systemd_unit);
  CHECK(source_spec_for_wire("launchd") == nullptr);
  CHECK(catalog_kind(SourceKind::systemd_unit, "/etc/systemd/system/a.timer") == "timer");
  CHECK(catalog_kind(SourceKind::systemd_unit, "/etc/systemd/system/a.service") == "service");
  CHECK(catalog_kind(SourceKind::user_crontab, "/var/spool/cron/crontabs/a") == "user");
  CHECK(source_spec(SourceKind::run_parts).expansion == Expansion::child);
  CHECK(source_spec(SourceKind::anacrontab).expansion == Expansion::parent);
  CHECK(source_spec(SourceKind::laravel_task).expansion == Expansion::inspected);
  CHECK(catalog_kind(SourceKind::laravel_task, "/srv/a/app/Console/Kernel.php") == "laravel-task");
  CHECK_FALSE(source_spec(SourceKind::systemd_unit).line_based);
  // Every built-in row hands its paths to the collector script, under a variable of its own.
  std::vector<std::string_view> variables;
  for (const auto& spec : source_table()) {
    if (static_cast<int>(spec.kind) >= static_cast<int>(SourceKind::first_registered)) {
      continue; // a test's fake source
    }
    if (spec.expansion == Expansion::inspected) {
      // Read by the inspection (a Laravel app's Kernel.php), never listed by the collector.
      CHECK(spec.paths.empty());
      CHECK(spec.script_variable.empty());
      continue;
    }
    CHECK_FALSE(spec.paths.empty());
    REQUIRE_FALSE(spec.script_variable.empty());
    variables.push_back(spec.script_variable);
    bool in_preamble = false;
    for (const auto& list : collector_paths()) {
      in_preamble =
          in_preamble ||
          (list.variable == spec.script_variable && list.paths.size() == spec.paths.size() &&
           std::equal(list.paths.begin(), list.paths.end(), spec.paths.begin()));
    }
    CHECK(in_preamble);
  }
  std::sort(variables.begin(), variables.end());
  CHECK(std::adjacent_find(variables.begin(), variables.end()) == variables.end());
  CHECK_THROWS_AS(register_source(source_spec(SourceKind::cron_d)), std::invalid_argument);
}

TEST_CASE("the catalog's seeded kinds are the table's built-in rows", "[collect][sources][kinds]") {
  catalog::test::TempDir dir;
  auto catalog = catalog::Catalog::open(dir.file("kinds.db"));
  const auto seeded = catalog.source_kinds();
  auto rows = catalog_kind_rows();
  REQUIRE(rows.size() >= seeded.size());
  rows.resize(seeded.size()); // tests may register more after the built-in rows
  CHECK(rows == seeded);
}
