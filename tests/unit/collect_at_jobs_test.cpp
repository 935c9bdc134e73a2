// at jobs through the whole pipeline: the collector's FILE records of both spool layouts ->
// read_at -> enrich/judge -> catalog -> report. The submitter's environment (a canary secret
// here) must never reach the catalog.

#include "digger/catalog/catalog.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/scan.hpp"
#include "digger/collect/script.hpp"
#include "digger/collect/source_table.hpp"
#include "digger/report/load.hpp"
#include "digger/report/snapshot.hpp"
#include "digger/timing/next_runs.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "catalog_test_support.hpp"

using namespace digger;
using namespace digger::collect;

namespace {

std::string golden(const std::string& name) {
  std::ifstream in(std::string(DIGGER_TEST_DATA) + "/at/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Framer {
  std::string out{start_marker};
  Framer& record(std::string_view type, std::initializer_list<std::string_view> fields) {
    out += std::string(type) + " " + std::to_string(fields.size()) + "\n";
    for (auto f : fields) {
      out += std::to_string(f.size()) + "\n" + std::string(f) + "\n";
    }
    return *this;
  }
  Framer& file(std::string_view path, std::string_view uid, std::string_view owner,
               std::string_view mode, const std::string& content) {
    return record("FILE", {"at", path, uid, owner, mode, std::to_string(content.size()),
                           "1700000000", content});
  }
};

catalog::HostRecord scan_of(const Framer& f) {
  ssh::Outcome outcome;
  outcome.status = ssh::Status::ok;
  outcome.stdout_data = f.out;
  inventory::ScanTarget target;
  target.name = "at1";
  return host_record(target, std::move(outcome));
}

const catalog::SourceRow& source_at(const catalog::HostRecord& record, std::string_view path) {
  auto it = std::find_if(record.sources.begin(), record.sources.end(),
                         [&](const catalog::SourceRow& row) { return row.path == path; });
  REQUIRE(it != record.sources.end());
  return *it;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

} // namespace

TEST_CASE("at jobs of both spools become one-off hidden batches", "[collect][at]") {
  REQUIRE(source_spec_for_wire("at")->kind == SourceKind::at_job);
  CHECK(source_spec(SourceKind::at_job).paths.front() == "/var/spool/cron/atjobs");
  Framer f;
  f.record("FACT", {"os_release", "ID=debian\n"})
      .file("/var/spool/cron/atjobs/a0000701cabf56", "1001", "deploy", "700",
            golden("debian-a0000701cabf56"))
      .file("/var/spool/at/b0000a01c8ec94", "0", "root", "700", golden("rhel-b0000a01c8ec94"))
      .file("/var/spool/at/=0000b01c8ec94", "0", "root", "700", golden("rhel-b0000a01c8ec94"))
      .file("/var/spool/at/a0000c01c8ec94", "0", "root", "600", golden("rhel-b0000a01c8ec94"))
      .file("/var/spool/at/a0000d01c8ec94", "1001", "deploy", "700", golden("rhel-b0000a01c8ec94"))
      .record("END", {"0"});
  const auto record = scan_of(f);

  const auto& debian = source_at(record, "/var/spool/cron/atjobs/a0000701cabf56");
  CHECK(debian.kind == "at");
  CHECK(debian.loaded_by_daemon);
  REQUIRE(debian.entries.size() == 1);
  const auto& job = debian.entries[0];
  CHECK(job.line_number == 19);
  CHECK(job.schedule_text == "2027-03-01T02:30:00+00:00");
  CHECK(job.description == "once at 2027-03-01 02:30 UTC (queue a)");
  CHECK(job.run_as == "deploy");
  CHECK(job.language == "php");
  CHECK(job.command.find("php artisan migrate") != std::string::npos);
  CHECK(job.command.find("abcdef0123456789abcdef") == std::string::npos); // redacted
  CHECK(job.raw.find("abcdef0123456789abcdef") == std::string::npos);
  CHECK(job.verdict == "hidden");
  CHECK(std::find(job.verdict_reasons.begin(), job.verdict_reasons.end(),
                  "one-off at job queued by deploy") != job.verdict_reasons.end());
  for (const auto& reason : job.verdict_reasons) {
    CHECK(reason.find("MAILTO") == std::string::npos);
    CHECK(reason.find("package") == std::string::npos);
  }

  const auto& rhel = source_at(record, "/var/spool/at/b0000a01c8ec94");
  REQUIRE(rhel.entries.size() == 1);
  CHECK(rhel.entries[0].language == "python");
  CHECK(rhel.entries[0].run_as == "root");
  CHECK(rhel.entries[0].description ==
        "once, from 2026-12-08 03:00 UTC when the load allows (batch queue b)");

  const auto& running = source_at(record, "/var/spool/at/=0000b01c8ec94");
  REQUIRE(running.entries.size() == 1);
  const auto& flags = running.entries[0].flags;
  CHECK(std::find(flags.begin(), flags.end(), "at-running") != flags.end());

  const auto& pending = source_at(record, "/var/spool/at/a0000c01c8ec94");
  CHECK_FALSE(pending.loaded_by_daemon);
  CHECK(pending.not_loaded_reason.find("not executable") != std::string::npos);
  const auto& foreign = source_at(record, "/var/spool/at/a0000d01c8ec94");
  CHECK_FALSE(foreign.loaded_by_daemon);
  CHECK(foreign.not_loaded_reason.find("not the file's owner") != std::string::npos);

  // Catalog and report: the kind is registered at scan time, `next` is the run time while it
  // is ahead, and no byte of the submitter's environment is stored.
  catalog::test::TempDir dir;
  const auto db = dir.file("at.db");
  {
    auto catalog = catalog::Catalog::open(db);
    catalog.register_source_kinds(catalog_kind_rows());
    const auto scan = catalog.begin_scan({"fleet", "{}", 1, "test"});
    catalog.record_host(scan, record);
    catalog.finish_scan(scan, catalog::ScanStatus::complete);
    auto summary = catalog.scan(scan);
    REQUIRE(summary);
    auto snapshot = report::load_snapshot(catalog, *summary);
    auto it = std::find_if(snapshot.jobs.begin(), snapshot.jobs.end(), [](const report::JobRow& j) {
      return j.file == "/var/spool/cron/atjobs/a0000701cabf56";
    });
    REQUIRE(it != snapshot.jobs.end());
    CHECK(it->source_kind == "at");
    CHECK(report::schedule_clock(*it) == report::ScheduleClock::once);
    const auto& utc = **timing::find_time_zone("UTC");
    const auto before = *timing::parse_iso8601("2026-12-07T00:00:00Z", utc);
    const auto after = *timing::parse_iso8601("2027-03-02T00:00:00Z", utc);
    CHECK(report::next_run_of(*it, before, utc) == "2027-03-01T02:30:00+00:00");
    CHECK(report::next_run_of(*it, after, utc).empty());
  }
  const auto bytes = slurp(db);
  CHECK(bytes.find("CANARY") == std::string::npos);
  CHECK(bytes.find("LESSOPEN") == std::string::npos);
}
