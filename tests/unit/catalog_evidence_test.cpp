#include "digger/catalog/catalog.hpp"

#include <catch2/catch.hpp>

#include "catalog_test_support.hpp"

using namespace digger::catalog;
using digger::catalog::test::scan_info;
using digger::catalog::test::TempDir;

namespace {

HostRecord host_with_evidence(std::int64_t offset) {
  HostRecord host;
  host.name = "web1";
  SourceRow source;
  source.path = "/etc/crontab";
  source.kind = "system";
  EntryRow entry;
  entry.raw = "5 * * * * root /opt/x.sh";
  entry.command = "/opt/x.sh";
  entry.run = {"running",
               "1 run(s) in /var/log/cron from a to b",
               1,
               0,
               0,
               1732529101,
               std::nullopt,
               std::nullopt,
               2,
               1732529000,
               1732528000};
  source.entries.push_back(entry);
  host.sources.push_back(source);
  EvidenceState state;
  state.cursors.push_back({"/var/log/cron", 2049, 77, offset, offset, 1732500000, 1732529101, ""});
  state.totals.push_back({"0123abcd", 1, 0, 0, 1732529101, std::nullopt, std::nullopt});
  host.evidence = state;
  return host;
}

} // namespace

TEST_CASE("run evidence round-trips, and the host's state is replaced by the next scan",
          "[catalog][evidence]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  const auto first = catalog.begin_scan(scan_info());
  const auto host = host_with_evidence(100);
  catalog.record_host(first, host);
  catalog.finish_scan(first, ScanStatus::complete);
  // The entry's evidence comes back with the result; the host's state (cursors, totals) is not
  // per result: evidence_states() reads it.
  auto expected = host;
  expected.evidence.reset();
  CHECK(catalog.host_record(first, {"web1", 22}) == expected);
  auto states = catalog.evidence_states();
  REQUIRE(states.size() == 1);
  CHECK(states.at({"web1", 22}) == *host.evidence);

  // A scan that read on: one cursor and one total per key, the new ones.
  const auto second = catalog.begin_scan(scan_info());
  catalog.record_host(second, host_with_evidence(250));
  catalog.finish_scan(second, ScanStatus::complete);
  states = catalog.evidence_states();
  REQUIRE(states.at({"web1", 22}).cursors.size() == 1);
  CHECK(states.at({"web1", 22}).cursors[0].offset == 250);
  CHECK(states.at({"web1", 22}).totals.size() == 1);

  // A scan that did not reach the host keeps the state.
  HostRecord down;
  down.name = "web1";
  down.status = "unreachable";
  const auto third = catalog.begin_scan(scan_info());
  catalog.record_host(third, down);
  catalog.finish_scan(third, ScanStatus::complete);
  CHECK(catalog.evidence_states().at({"web1", 22}).cursors[0].offset == 250);

  HostRecord bad = host_with_evidence(1);
  bad.sources[0].entries[0].run.verdict = "dead";
  const auto fourth = catalog.begin_scan(scan_info());
  CHECK_THROWS_AS(catalog.record_host(fourth, bad), std::invalid_argument);
}
