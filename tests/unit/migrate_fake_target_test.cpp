// Keeps docs/migration.md#how-to-add-an-export-target honest: a target that is one spec in one
// file plus one row of the table (here the test-only registration) goes through the whole
// export: the CLI's --target list and help, the builder, the file layout, the report, the
// marker and the cut-over step that enables what was written disabled.

#include "digger/catalog/catalog.hpp"
#include "digger/catalog/writer.hpp"
#include "digger/cli/command.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/migrate/export_files.hpp"
#include "digger/migrate/export_plan.hpp"
#include "digger/migrate/expressions.hpp"
#include "digger/migrate/job_facts.hpp"
#include "digger/migrate/target_spec.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "catalog_test_support.hpp"

namespace {

using namespace digger;
using migrate::Conversion;
using migrate::Lost;

// --- the fake target: what a new target's file holds ---------------------------------------

// A one-line "fakecron" file per job: "disabled" until its cut-over step, then the Jenkins
// dialect (5 fields, day fields ANDed) and the command.
std::optional<Lost> build_fake(const migrate::BuildInput& in, Conversion& out) {
  const std::string name =
      migrate::unique_name(in.facts.base_name, in.used_names, in.target->names);
  out.schedules = migrate::jenkins_lines(in.job.schedule);
  out.definitions.push_back(
      {"fake-job", name, fmt::format("disabled {} {}\n", out.schedules.front(), in.job.command)});
  return std::nullopt;
}

void fake_layout(const migrate::ExportPlan& plan, migrate::ExportFiles& out) {
  migrate::add_definition_files(plan, out, [](const migrate::Definition& d) {
    return migrate::Placement{"fake/", ".txt", "", migrate::content_text(d)};
  });
}

std::vector<std::string> enable_fake(const Conversion& conversion) {
  return {fmt::format("fakectl enable {}", conversion.definitions.front().name)};
}

constexpr std::array<std::string_view, 1> fake_aliases = {"fakecron"};

const migrate::TargetSpec fake_target = {
    .name = "fake",
    .aliases = fake_aliases,
    .summary = "a test-only scheduler",
    .names = {40, "-_.", false},
    .ands_day_fields = true,
    .mail_route = "fakecron mails nothing",
    .random_delay = migrate::RandomDelay::impossible,
    .default_zone = "UTC",
    .build = build_fake,
    .layout = fake_layout,
    .enable = enable_fake,
    .disabled_as = "every job file starts with 'disabled'",
};

// --- the catalog it is exported from ---------------------------------------------------------

void write_catalog(const std::string& path) {
  collect::CronSource source;
  source.path = "/var/spool/cron/crontabs/alice";
  source.kind = collect::SourceKind::user_crontab;
  source.owner = "alice";
  source.mode = 0600;
  source.content = "MAILTO=\"\"\n0 3 * * 1-5 /home/alice/backup.sh\n@reboot /home/alice/warm.sh\n";
  source.size = static_cast<std::int64_t>(source.content.size());
  catalog::HostRecord record;
  record.name = "web-01";
  record.address = "127.0.0.1";
  record.login_user = "digger";
  collect::HostSnapshot snapshot;
  snapshot.facts = {"web-01", "debian", "12", "UTC", "cron"};
  snapshot.sources = {source};
  collect::add_snapshot(record, snapshot);
  auto catalog = catalog::Catalog::open(path);
  const auto id = catalog.begin_scan(catalog::test::scan_info());
  {
    catalog::Writer writer(catalog, id);
    writer.submit(std::move(record));
    writer.stop();
  }
  catalog.finish_scan(id, catalog::ScanStatus::complete);
}

int run_cli(const std::vector<std::string>& words, CLI::App& app) {
  cli::Action action;
  cli::add_export_command(app, action);
  std::vector<const char*> argv = {"digger-scan"};
  for (const auto& w : words) {
    argv.push_back(w.c_str());
  }
  app.parse(static_cast<int>(argv.size()), argv.data());
  REQUIRE(action);
  return action();
}

} // namespace

TEST_CASE("a fake export target registered as one row flows through export",
          "[migrate][target-table]") {
  migrate::register_target_for_tests(fake_target);
  CHECK(migrate::parse_target("fakecron") == migrate::Target(fake_target));
  CHECK(migrate::target_help("T").find("fake (a test-only scheduler)") != std::string::npos);

  catalog::test::TempDir dir;
  write_catalog(dir.file("catalog.db"));
  CLI::App app{"digger-scan"};
  const std::string out = dir.file("out");
  const int code =
      run_cli({"export", "--db", dir.file("catalog.db"), "--target", "fakecron", "-o", out}, app);
  CHECK(code == 0);
  CHECK(app.get_subcommand("export")
            ->get_option("--target")
            ->get_description()
            .find("fake (a test-only scheduler)") != std::string::npos);

  const auto report =
      nlohmann::json::parse(catalog::test::read_file_bytes(out + "/migration-report.json"));
  CHECK(report["target"] == "fake");
  REQUIRE(report["jobs"].size() == 2);
  const auto& backup = report["jobs"][0]["command"] == "/home/alice/backup.sh" ? report["jobs"][0]
                                                                               : report["jobs"][1];
  const auto& reboot = &backup == &report["jobs"][0] ? report["jobs"][1] : report["jobs"][0];
  CHECK(backup["status"] == "converted");
  CHECK(backup["marker"] == "# digger: migrated to fake web-01-alice-backup.sh");
  CHECK(backup["definitions"][0]["file"] == "fake/web-01-alice-backup.sh.txt");
  CHECK(catalog::test::read_file_bytes(out + "/fake/web-01-alice-backup.sh.txt") ==
        "disabled 0 3 * * 1-5 /home/alice/backup.sh\n");
  // The spec's dialect: no boot trigger, so @reboot is refused, and counted as skipped.
  CHECK(reboot["status"] == "not-convertible");
  CHECK(reboot["lost"][0]["feature"] == "reboot");
  REQUIRE(report["cutover"].size() == 1);
  CHECK(report["cutover"][0]["enable"] ==
        nlohmann::json::array({"fakectl enable web-01-alice-backup.sh"}));
  CHECK(report["cutover"][0]["replacement"][1] == "#0 3 * * 1-5 /home/alice/backup.sh");
  const std::string markdown = catalog::test::read_file_bytes(out + "/migration-report.md");
  CHECK(markdown.find("every job file starts with 'disabled'") != std::string::npos);
}
