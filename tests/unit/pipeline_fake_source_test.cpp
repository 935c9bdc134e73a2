// The recipe of docs/architecture.md ("How to add a source"), kept honest: a fake source added
// in this one file with one table row flows through decode -> reader -> enrich -> judge ->
// catalog -> report like the built-in ones. Also: `parse` and the scan give a line the same id.

#include "digger/catalog/catalog.hpp"
#include "digger/cli/parse_output.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/readers.hpp"
#include "digger/collect/scan.hpp"
#include "digger/collect/script.hpp"
#include "digger/collect/source_table.hpp"
#include "digger/crontab/crontab.hpp"
#include "digger/judge/fingerprint.hpp"
#include "digger/report/load.hpp"
#include "digger/timing/describe.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <string>

#include "catalog_test_support.hpp"

using namespace digger;
using namespace digger::collect;

namespace {

// --- the fake source: one reader and one row -------------------------------------------------

// "/etc/fakeq/*.conf": each line "MIN HOUR DOM MON DOW COMMAND", run as the file's owner.
SourceRead read_fake(const CronSource& source, const ReadContext& context) {
  SourceRead read{base_source_row(source, context.host), {}};
  int number = 0;
  std::size_t start = 0;
  while (start < source.content.size()) {
    auto end = source.content.find('\n', start);
    end = end == std::string::npos ? source.content.size() : end;
    const std::string line = source.content.substr(start, end - start);
    start = end + 1;
    Job job;
    job.row.line_number = ++number;
    job.row.raw = line;
    job.owner = source.file_owner;
    std::size_t cut = 0;
    for (int field = 0; field < 5 && cut != std::string::npos; ++field) {
      cut = line.find(' ', cut + (field > 0 ? 1 : 0));
    }
    auto schedule = cut == std::string::npos
                        ? util::Result<crontab::Schedule>(util::Error{"no command"})
                        : crontab::parse_schedule(line.substr(0, cut));
    if (!schedule) {
      job.row.kind = "invalid";
      job.row.error = "bad line";
    } else {
      job.row.kind = "job";
      job.has_command = true;
      job.cron_schedule = *schedule;
      job.row.schedule_text = line.substr(0, cut);
      job.row.normalized_schedule = schedule->normalized();
      job.row.description = timing::describe(*schedule);
      job.row.command = line.substr(cut + 1);
      job.row.run_as = source.file_owner;
    }
    read.jobs.push_back(std::move(job));
  }
  return read;
}

constexpr std::array<std::string_view, 1> fake_kinds{"fake-queue"};
constexpr std::array<std::string_view, 1> fake_paths{"/etc/fakeq"};
constexpr auto fake_kind = static_cast<SourceKind>(static_cast<int>(SourceKind::first_registered));

const bool fake_registered = [] {
  register_source({fake_kind, "fakeq", fake_kinds, fake_paths, read_fake, ScheduleClock::cron,
                   CrontabFlavour::none, LoadRule::none, Expansion::none, true,
                   "a fake queue for tests", nullptr, ""}); // not in the collector script
  return true;
}();

// --- the test ---------------------------------------------------------------------------------

struct Framer {
  std::string out{start_marker};
  Framer& record(std::string_view type, std::initializer_list<std::string_view> fields) {
    out += std::string(type) + " " + std::to_string(fields.size()) + "\n";
    for (auto f : fields) {
      out += std::to_string(f.size()) + "\n" + std::string(f) + "\n";
    }
    return *this;
  }
};

} // namespace

TEST_CASE("a fake source added through the table flows from decode to the report",
          "[collect][pipeline][fake]") {
  REQUIRE(fake_registered);
  CHECK(source_spec_for_wire("fakeq")->kind == fake_kind);
  CHECK(source_spec(fake_kind).paths.front() == "/etc/fakeq");

  const std::string content = "*/10 * * * * /opt/fq/drain --token=abcdef123456secret\nbogus\n";
  Framer f;
  f.record("FACT", {"hostname", "q1"})
      .record("FACT", {"os_release", "ID=debian\n"})
      .record("FILE", {"fakeq", "/etc/fakeq/main.conf", "1000", "app", "644",
                       std::to_string(content.size()), "1700000000", content})
      .record("END", {"0"});
  ssh::Outcome outcome;
  outcome.status = ssh::Status::ok;
  outcome.stdout_data = f.out;
  inventory::ScanTarget target;
  target.name = "q1";
  auto plan = plan_host_inspection(outcome, {}, default_max_lines_per_host, targets_to_inspect);
  CHECK(plan.paths == std::vector<std::string>{"/opt/fq/drain"});
  auto record = host_record(target, std::move(outcome), &plan);
  REQUIRE(record.sources.size() == 1);
  const auto& source = record.sources.front();
  CHECK(source.kind == "fake-queue");
  REQUIRE(source.entries.size() == 2);
  const auto& job = source.entries[0];
  CHECK(job.command.find("abcdef123456secret") == std::string::npos); // enrich redacted it
  CHECK(job.fingerprint.size() == 16);
  CHECK(job.verdict == "hidden");
  CHECK(job.run_as == "app");
  CHECK(source.entries[1].kind == "invalid");

  catalog::test::TempDir dir;
  auto catalog = catalog::Catalog::open(dir.file("fake.db"));
  catalog.register_source_kinds(catalog_kind_rows());
  const auto scan = catalog.begin_scan({"fleet", "{}", 1, "test"});
  catalog.record_host(scan, record);
  catalog.finish_scan(scan, catalog::ScanStatus::complete);
  auto summary = catalog.scan(scan);
  REQUIRE(summary);
  auto snapshot = report::load_snapshot(catalog, *summary);
  REQUIRE(snapshot.jobs.size() == 1);
  CHECK(snapshot.jobs[0].source_kind == "fake-queue");
  CHECK(snapshot.jobs[0].fingerprint == job.fingerprint);
  CHECK(snapshot.jobs[0].verdict == "hidden");
}

TEST_CASE("parse and a scan give a crontab line with a secret the same id",
          "[collect][pipeline][parse]") {
  const std::string line = "30 1 * * * mysqldump -pS3cretPass shop > /tmp/shop.sql\n";
  auto parsed = crontab::parse_crontab(line, {});
  const auto from_parse = cli::crontab_entry_json(parsed.lines[0], "alice")["fingerprint"];

  Framer f;
  f.record("FACT", {"os_release", "ID=debian\n"})
      .record("FILE", {"user", "/var/spool/cron/crontabs/alice", "1000", "alice", "600",
                       std::to_string(line.size()), "1700000000", line})
      .record("END", {"0"});
  ssh::Outcome outcome;
  outcome.status = ssh::Status::ok;
  outcome.stdout_data = f.out;
  inventory::ScanTarget target;
  target.name = "web1";
  auto record = host_record(target, std::move(outcome));
  REQUIRE(record.sources.size() == 1);
  REQUIRE(record.sources[0].entries.size() == 1);
  const auto& scanned = record.sources[0].entries[0];
  CHECK(scanned.command.find("S3cretPass") == std::string::npos);
  CHECK(from_parse == scanned.fingerprint);
  // ... and it is the redacted command's id, not the clear one's.
  CHECK(from_parse != judge::job_fingerprint("alice", parsed.lines[0].job->schedule,
                                             parsed.lines[0].job->command));
}
