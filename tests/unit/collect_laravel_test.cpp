// A crontab line running Laravel's scheduler becomes the application's tasks: the inspection
// asks for the app's Kernel.php and routes/console.php as the line's run-as user, reads only
// what that user can read (the real inspect script, run here), keeps only the parsed tasks,
// and the tasks become child jobs (kind laravel-task) with their own schedule and origin.
// Other in-app schedulers are flagged, not expanded.
#include "digger/catalog/records.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/pipeline.hpp"
#include "digger/collect/source_table.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "local_shell.hpp"

using namespace digger;
using namespace digger::collect;
using namespace digger::testing;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kernel = R"(<?php
namespace App\Console;
use Illuminate\Console\Scheduling\Schedule;
class Kernel {
    protected function schedule(Schedule $schedule): void
    {
        $schedule->command('emails:send --force')->weekdays()->dailyAt('13:00'); // CANARY-COMMENT
        $schedule->exec('curl -s https://u:hunter2secret@example.org/ping')->hourly();
        $schedule->command('report:monthly')->monthlyOn(4, '15:00')->timezone('Europe/Paris');
    }
}
)";

constexpr std::string_view routes = R"(<?php
use Illuminate\Support\Facades\Schedule;
Schedule::command('backup:run')->dailyAt('01:30');
)";

HostSnapshot snapshot_with(const std::string& crontab) {
  HostSnapshot snapshot;
  snapshot.facts.cron_daemon = "vixie";
  CronSource source;
  source.path = "/etc/cron.d/shop";
  source.kind = SourceKind::cron_d;
  source.owner = source.file_owner = "root";
  source.uid = 0;
  source.mode = 0644;
  source.content = crontab;
  source.size = static_cast<std::int64_t>(crontab.size());
  snapshot.sources.push_back(source);
  return snapshot;
}

const catalog::EntryRow* entry(const catalog::HostRecord& record, std::string_view kind,
                               std::string_view command_part) {
  for (const auto& source : record.sources) {
    for (const auto& e : source.entries) {
      if (source.kind == kind && e.command.find(command_part) != std::string::npos) {
        return &e;
      }
    }
  }
  return nullptr;
}

bool has(const std::vector<std::string>& list, std::string_view text) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

// The inspection as the scan runs it, with the real script on this machine.
catalog::HostRecord scan_locally(HostSnapshot snapshot, const TempDir& dir) {
  const auto host = host_context(snapshot, "", nullptr);
  auto jobs = read_host(snapshot, host);
  auto plan = plan_inspection(targets_to_inspect(jobs));
  std::string out = run_shell(dir, inspect_command(false, {}), plan.payload);
  CHECK(out.find("CANARY") == std::string::npos); // od hex only: never the text itself
  apply_inspection(snapshot, plan, out, "");
  for (const auto& program : snapshot.programs) {
    CHECK_FALSE(program.laravel); // a program is read as a program, never as app source
  }
  catalog::HostRecord record;
  add_host_jobs(record, snapshot, std::move(jobs));
  return record;
}

} // namespace

TEST_CASE("schedule:run asks for the app's files as its run-as user", "[collect][laravel]") {
  auto snapshot = snapshot_with(
      "* * * * * www-data cd /srv/shop && php artisan schedule:run >> /dev/null 2>&1\n"
      "*/5 * * * * root /usr/bin/php8.2 /srv/blog/artisan schedule:run\n");
  auto targets = inspection_targets(snapshot);
  auto find = [&](const std::string& path) {
    return std::find_if(targets.begin(), targets.end(),
                        [&](const InspectionTarget& t) { return t.path == path; });
  };
  auto shop = find("/srv/shop/app/Console/Kernel.php");
  REQUIRE(shop != targets.end());
  CHECK(shop->app_source);
  CHECK(shop->users == std::vector<std::string>{"www-data"});
  REQUIRE(find("/srv/shop/routes/console.php") != targets.end());
  REQUIRE(find("/srv/shop/bootstrap/app.php") != targets.end()); // Laravel 11's withSchedule()
  REQUIRE(find("/srv/blog/app/Console/Kernel.php") != targets.end());
  auto plan = plan_inspection(targets);
  CHECK(plan.payload.find(std::string("=www-data/srv/shop/app/Console/Kernel.php\0", 42)) !=
        std::string::npos);
  CHECK(plan.app_paths.contains("/srv/blog/routes/console.php"));
  InspectLimits small;
  small.max_app_sources = 2;
  const auto bounded = plan_inspection(targets, small);
  CHECK(bounded.over_bound.size() == 4); // 2 apps x 3 files, 2 read
  CHECK(bounded.note.empty());           // the programs' bound note is about programs only
  CHECK(bounded.app_paths.size() == 6);
}

TEST_CASE("the tasks become child jobs; other in-app schedulers are flagged",
          "[collect][laravel]") {
  auto snapshot = snapshot_with(
      "* * * * * www-data cd /srv/shop && php artisan schedule:run >> /dev/null 2>&1\n"
      "* * * * * celery celery -A proj beat -l info\n");
  command::ProgramFacts facts;
  facts.path = "/srv/shop/app/Console/Kernel.php";
  facts.exists = true;
  facts.type = "file";
  facts.owner = "www-data";
  facts.size = static_cast<std::int64_t>(kernel.size());
  facts.bytes_read = facts.size;
  facts.laravel = command::read_laravel_schedule(kernel);
  snapshot.app_sources.push_back(facts);
  catalog::HostRecord record;
  add_snapshot(record, snapshot);

  const auto* emails = entry(record, "laravel-task", "emails:send");
  REQUIRE(emails);
  CHECK(emails->command == "php /srv/shop/artisan emails:send --force");
  CHECK(emails->schedule_text == "0 13 * * 1-5");
  CHECK(emails->run_as == "www-data");
  CHECK(emails->language == "php");
  CHECK(emails->line_number == 7);
  CHECK(emails->schedule_origin == "/srv/shop/app/Console/Kernel.php:7");
  CHECK(has(emails->flags, "inferred-from-source"));
  CHECK(has(emails->verdict_reasons, "run by /etc/cron.d/shop:1"));
  CHECK(!emails->verdict.empty());

  const auto* curl = entry(record, "laravel-task", "curl");
  REQUIRE(curl);
  CHECK(curl->command.find("hunter2secret") == std::string::npos); // redacted like crontabs
  CHECK(curl->raw.find("hunter2secret") == std::string::npos);
  CHECK(curl->schedule_text == "0 * * * *");

  const auto* paris = entry(record, "laravel-task", "report:monthly");
  REQUIRE(paris);
  CHECK(paris->cron_tz == "Europe/Paris");
  CHECK(paris->schedule_text == "0 15 4 * *");

  const auto* parent = entry(record, "cron.d", "schedule:run");
  REQUIRE(parent);
  CHECK(has(parent->flags, "app-scheduler-expanded"));
  CHECK(has(parent->verdict_reasons, "3 Laravel task(s)"));
  const auto* beat = entry(record, "cron.d", "beat");
  REQUIRE(beat);
  CHECK(has(beat->flags, "app-scheduler-not-expanded"));
  CHECK(has(beat->verdict_reasons, "app scheduler: tasks not expanded (celery beat)"));
  CHECK(std::any_of(source_table().begin(), source_table().end(), [](const SourceSpec& s) {
    return s.kind == SourceKind::laravel_task && s.expansion == Expansion::inspected;
  }));
}

TEST_CASE("a collector record cannot claim the laravel-task kind", "[collect][laravel]") {
  auto snapshot = snapshot_with("");
  snapshot.sources[0].kind = SourceKind::laravel_task;
  catalog::HostRecord record;
  add_snapshot(record, snapshot);
  REQUIRE(record.sources.size() == 1);
  CHECK(record.sources[0].entries.empty());
  CHECK(record.sources[0].read_error == "not a collected source");
}

TEST_CASE("the app's files are read only as far as the job's user may read them",
          "[collect][laravel][root]") {
  if (::geteuid() != 0) {
    WARN("not root: the run-as user checks need files root alone can read");
    return;
  }
  TempDir dir;
  const auto open_dir = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec;
  const auto app = dir.path / "shop";
  fs::create_directories(app / "app" / "Console");
  fs::create_directories(app / "routes");
  for (const auto& d : {dir.path, app, app / "app", app / "app" / "Console", app / "routes"}) {
    fs::permissions(d, open_dir);
  }
  // Kernel.php: root's alone; routes/console.php: world-readable, not executable.
  write_file(app / "app" / "Console" / "Kernel.php", kernel,
             fs::perms::owner_read | fs::perms::owner_write);
  write_file(app / "routes" / "console.php", routes,
             fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                 fs::perms::others_read);
  write_file(dir.path / "job.sh", "#!/bin/sh\necho job\n", open_dir);
  // A program run as the same user, inspected in the same visit: still hashed as a program.
  const std::string line = "* * * * * {} cd " + app.string() + " && php artisan schedule:run\n" +
                           "* * * * * {} " + (dir.path / "job.sh").string() + "\n";

  SECTION("as nobody: Kernel.php is not read, routes/console.php is") {
    auto record =
        scan_locally(snapshot_with(fmt::format(fmt::runtime(line), "nobody", "nobody")), dir);
    CHECK_FALSE(entry(record, "laravel-task", "emails:send"));
    const auto* backup = entry(record, "laravel-task", "backup:run");
    REQUIRE(backup);
    CHECK(backup->schedule_text == "30 1 * * *");
    CHECK(backup->run_as == "nobody");
    auto kernel_row =
        std::find_if(record.sources.begin(), record.sources.end(), [](const catalog::SourceRow& s) {
          return s.path.ends_with("/app/Console/Kernel.php");
        });
    REQUIRE(kernel_row != record.sources.end());
    CHECK(kernel_row->entries.empty());
    CHECK(kernel_row->read_error.find("no run-as user of its jobs can read it") !=
          std::string::npos);
    CHECK(kernel_row->sha256.empty());
    auto job =
        std::find_if(record.programs.begin(), record.programs.end(),
                     [](const catalog::ProgramRow& p) { return p.path.ends_with("/job.sh"); });
    REQUIRE(job != record.programs.end());
    CHECK(job->sha256.size() == 64);
    CHECK(job->head == "#!/bin/sh");
  }
  SECTION("as root: both files, and only their tasks are kept") {
    auto record = scan_locally(snapshot_with(fmt::format(fmt::runtime(line), "root", "root")), dir);
    REQUIRE(entry(record, "laravel-task", "emails:send"));
    REQUIRE(entry(record, "laravel-task", "backup:run"));
    const auto* parent = entry(record, "cron.d", "schedule:run");
    REQUIRE(parent);
    CHECK(has(parent->verdict_reasons, "4 Laravel task(s)"));
    for (const auto& source : record.sources) {
      CHECK(source.load_notes.size() <= 3);
      for (const auto& e : source.entries) {
        CHECK(e.raw.find("namespace") == std::string::npos); // no file text, only the chain
      }
    }
  }
}
