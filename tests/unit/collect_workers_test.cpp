// Supervisor files through the source table to worker rows (issue 18): the Debian and EPEL
// layouts, a refused configuration, a file no configuration includes, secrets in environment=.
#include "digger/collect/host_record.hpp"
#include "digger/collect/source_table.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "collect_fixture.hpp"

using namespace digger;
using namespace digger::collect;

namespace {

using test::record_of;
using test::source;

CronSource conf(std::string path, std::string content) {
  return test::source_file(SourceKind::supervisor, std::move(path), std::move(content));
}

constexpr std::string_view debian_main =
    "[supervisord]\nlogfile=/var/log/supervisor/supervisord.log\n"
    "[include]\nfiles = /etc/supervisor/conf.d/*.conf\n";

} // namespace

TEST_CASE("Debian layout: the Laravel worker, its user, instances and redacted environment",
          "[collect][workers]") {
  HostSnapshot snap;
  snap.sources.push_back(conf("/etc/supervisor/supervisord.conf", std::string(debian_main)));
  snap.sources.push_back(conf("/etc/supervisor/conf.d/laravel.conf",
                              "[program:laravel-worker]\n"
                              "process_name=%(program_name)s_%(process_num)02d\n"
                              "command=php /home/forge/app.com/artisan queue:work --sleep=3\n"
                              "autorestart=true\nuser=forge\nnumprocs=8\n"
                              "environment=APP_ENV=\"production\",DB_PASSWORD=\"hunter2\"\n"));
  snap.sources.push_back(
      conf("/etc/supervisor/conf.d/old.conf.disabled", "[program:old]\ncommand=/bin/old\n"));
  const auto record = record_of(snap);
  const auto& main = source(record, "/etc/supervisor/supervisord.conf");
  CHECK(main.kind == "supervisor");
  CHECK(main.entries.empty());
  CHECK(main.load_notes == std::vector<std::string>{"reads /etc/supervisor/supervisord.conf",
                                                    "reads /etc/supervisor/conf.d/laravel.conf"});
  const auto& laravel = source(record, "/etc/supervisor/conf.d/laravel.conf");
  REQUIRE(laravel.entries.size() == 1);
  const auto& worker = laravel.entries[0];
  CHECK(worker.kind == "worker");
  CHECK(worker.line_number == 3);
  CHECK(worker.run_as == "forge");
  CHECK(worker.command == "php /home/forge/app.com/artisan queue:work --sleep=3");
  CHECK(worker.language == "php");
  CHECK_FALSE(worker.fingerprint.empty());
  REQUIRE(worker.worker.has_value());
  CHECK(worker.worker->instances == 8);
  CHECK(worker.worker->restart == "true");
  CHECK(worker.worker->process_names.at(7) == "laravel-worker_07");
  CHECK(worker.worker->environment ==
        std::vector<std::string>{"APP_ENV=production", "DB_PASSWORD=***"});
  const auto& old = source(record, "/etc/supervisor/conf.d/old.conf.disabled");
  CHECK(old.entries.empty());
  CHECK_FALSE(old.loaded_by_daemon);
  CHECK(old.not_loaded_reason == "no supervisord configuration includes this file");
}

TEST_CASE("EPEL layout, and a configuration supervisord refuses", "[collect][workers]") {
  HostSnapshot snap;
  snap.sources.push_back(
      conf("/etc/supervisord.conf", "[supervisord]\n[include]\nfiles = supervisord.d/*.ini\n"));
  snap.sources.push_back(conf("/etc/supervisord.d/celery.ini",
                              "[program:celery]\ncommand=celery -A proj worker ; comment\n"
                              "user=nobody\n"));
  snap.sources.push_back(
      conf("/etc/supervisord.d/java.ini",
           "[program:gc]\ncommand=java -Xloggc:/var/log/gc_%t.log -jar a.jar\n"));
  const auto record = record_of(snap);
  const auto& celery = source(record, "/etc/supervisord.d/celery.ini");
  REQUIRE(celery.entries.size() == 1);
  CHECK(celery.entries[0].command == "celery -A proj worker");
  CHECK(celery.entries[0].run_as == "nobody");
  CHECK(celery.entries[0].language == "python");
  // One bad % stops supervisord: every file of the configuration is marked, every worker flagged.
  CHECK_FALSE(celery.loaded_by_daemon);
  CHECK(celery.not_loaded_reason.starts_with("rejected: would not run: Format string for "
                                             "'program:gc.command' is badly formatted"));
  const auto& flags = celery.entries[0].flags;
  CHECK(std::find(flags.begin(), flags.end(), "supervisor-rejected") != flags.end());
  CHECK_FALSE(source(record, "/etc/supervisord.d/java.ini").entries.at(0).worker->rejected.empty());
}

TEST_CASE("the supervisor row of the source table", "[collect][workers]") {
  const auto& spec = source_spec(SourceKind::supervisor);
  CHECK(spec.wire == "supervisor");
  CHECK(spec.script_variable == "supervisor_paths");
  CHECK(std::find(spec.paths.begin(), spec.paths.end(), "/etc/supervisord.d") != spec.paths.end());
  const auto kinds = catalog_kind_rows();
  CHECK(std::any_of(kinds.begin(), kinds.end(), [](const auto& row) {
    return row.name == "supervisor" && row.clock == "none";
  }));
}

TEST_CASE("systemd services running a known worker are workers, others are not",
          "[collect][workers]") {
  HostSnapshot snap;
  auto unit = [](std::string path, std::string content) {
    auto source = conf(std::move(path), std::move(content));
    source.kind = SourceKind::worker_unit;
    return source;
  };
  snap.sources.push_back(unit("/etc/systemd/system/sidekiq.service",
                              "[Service]\nType=notify\nUser=deploy\nWorkingDirectory=/srv/app\n"
                              "Environment=REDIS_PASSWORD=s3cret\n"
                              "ExecStart=/home/deploy/.rvm/wrappers/bundle exec sidekiq -e "
                              "production\nRestart=always\n"));
  snap.sources.push_back(unit("/etc/systemd/system/laravel-queue.service",
                              "[Service]\nExecStart=/usr/bin/php /srv/app/artisan queue:work "
                              "--tries=3\n"));
  snap.sources.push_back(unit("/etc/systemd/system/web.service",
                              "[Service]\nExecStart=/usr/bin/node server.js\nRestart=always\n"));
  snap.sources.push_back(unit("/etc/systemd/system/once.service",
                              "[Service]\nType=oneshot\nExecStart=/usr/bin/php artisan queue:work "
                              "--once\n"));
  const auto record = record_of(snap);
  const auto& sidekiq = source(record, "/etc/systemd/system/sidekiq.service");
  CHECK(sidekiq.kind == "worker-unit");
  REQUIRE(sidekiq.entries.size() == 1);
  const auto& worker = sidekiq.entries[0];
  CHECK(worker.kind == "worker");
  CHECK(worker.run_as == "deploy");
  CHECK(worker.language == "ruby");
  CHECK(worker.line_number == 6);
  CHECK(worker.worker->manager == "systemd");
  CHECK(worker.worker->name == "sidekiq.service");
  CHECK(worker.worker->restart == "always");
  CHECK(worker.worker->directory == "/srv/app");
  CHECK(worker.worker->environment == std::vector<std::string>{"REDIS_PASSWORD=***"});
  const auto& queue = source(record, "/etc/systemd/system/laravel-queue.service").entries;
  REQUIRE(queue.size() == 1);
  CHECK(queue[0].worker->restart == "no");
  CHECK(queue[0].run_as == "root");
  CHECK(queue[0].language == "php");
  CHECK(source(record, "/etc/systemd/system/web.service").entries.empty());
  CHECK(source(record, "/etc/systemd/system/once.service").entries.empty());
}

TEST_CASE("a host with many Supervisor files: the first 64 are resolved, the rest noted",
          "[collect][workers]") {
  HostSnapshot snap;
  snap.sources.push_back(conf("/etc/supervisor/supervisord.conf", std::string(debian_main)));
  for (int i = 0; i < 70; ++i) {
    snap.sources.push_back(conf("/etc/supervisor/conf.d/w" + std::to_string(100 + i) + ".conf",
                                "[program:w" + std::to_string(i) + "]\ncommand=/bin/w\n"));
  }
  const auto record = record_of(snap);
  CHECK(source(record, "/etc/supervisor/conf.d/w162.conf").entries.size() == 1);
  const auto& left_out = source(record, "/etc/supervisor/conf.d/w169.conf");
  CHECK(left_out.entries.empty());
  CHECK(left_out.not_loaded_reason.starts_with("not resolved: over 64 Supervisor files"));
}
