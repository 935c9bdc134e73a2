// supervisord at run time through the pipeline (docs/workers.md): the collector's SVLOG and
// SVPROC records decoded, the log's crashes on the workers, a -c configuration as a main file.
#include "digger/collect/decode.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/script.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "collect_fixture.hpp"

using namespace digger;
using namespace digger::collect;

namespace {

using test::record_of;
using test::source;

std::string seg(std::string_view bytes) {
  return std::to_string(bytes.size()) + "\n" + std::string(bytes) + "\n";
}

std::string file_record(std::string_view path, std::string_view content) {
  return "FILE 8\n" + seg("supervisor") + seg(path) + seg("1001") + seg("app") + seg("644") +
         seg(std::to_string(content.size())) + seg("1700000000") + seg(content);
}

constexpr std::string_view custom_conf =
    "[supervisord]\nlogfile=%(here)s/../../var/log/supervisor/supervisord.log ; normalised\n"
    "[program:custom-worker]\ncommand=php artisan queue:work\n"
    "process_name=%(program_name)s_%(process_num)02d\nnumprocs=2\n";

constexpr std::string_view log_tail =
    "cut line\n"
    "2024-01-01 10:00:00,512 WARN exited: custom-worker_00 (exit status 1; not expected)\n"
    "2024-01-01 10:00:01,901 WARN exited: custom-worker_01 (exit status 1; not expected)\n"
    "2024-01-01 10:00:02,901 WARN exited: custom-worker_00 (exit status 1; not expected)\n"
    "2024-01-01 10:00:04,200 INFO gave up: custom-worker_00 entered FATAL state, too many "
    "start retries too quickly\n";

std::string output(std::string_view log_note) {
  std::string argv = "/bin/sh\n/tmp/t/supervisord\n-c\n/srv/app/supervisord.conf";
  return std::string(start_marker) + "SVPROC 3\n" + seg("812") + seg("1001") + seg(argv) +
         "SVPROC 3\n" + seg("813") + seg("1001") +
         seg("supervisord\n-c\n/srv/app/supervisord.conf\n-c\n/srv/other.conf") +
         file_record("/srv/app/supervisord.conf", custom_conf) +
         file_record("/srv/other.conf", custom_conf) + "SVLOG 4\n" +
         seg("/var/log/supervisor/supervisord.log") + seg(log_note) + seg("100") +
         seg(log_note.empty() ? log_tail : "") + "END 1\n" + seg("0");
}

} // namespace

TEST_CASE("a running supervisord's -c file is read as a main configuration, its log's crashes "
          "on its workers",
          "[collect][workers]") {
  const auto decoded = decode_collector_output(output(""));
  REQUIRE(decoded.complete);
  REQUIRE(decoded.snapshot.supervisord_processes.size() == 2);
  CHECK(decoded.snapshot.supervisord_processes[0].argv.size() == 4);
  const auto record = record_of(decoded.snapshot);
  const auto& custom = source(record, "/srv/app/supervisord.conf");
  CHECK(custom.loaded_by_daemon);
  CHECK(std::find(custom.load_notes.begin(), custom.load_notes.end(),
                  "started by pid 812 (uid 1001) with -c /srv/app/supervisord.conf") !=
        custom.load_notes.end());
  CHECK(std::find(custom.load_notes.begin(), custom.load_notes.end(),
                  "/var/log/supervisor/supervisord.log: read its last 372 bytes, "
                  "2024-01-01 10:00:00 to 2024-01-01 10:00:04") != custom.load_notes.end());
  REQUIRE(custom.entries.size() == 1);
  const auto& worker = custom.entries[0];
  REQUIRE(worker.worker.has_value());
  CHECK(worker.worker->unexpected_exits == 3);
  CHECK(worker.worker->gave_up == 1);
  CHECK(worker.worker->last_exit == "2024-01-01 10:00:02");
  CHECK(worker.worker->gave_up_at == "2024-01-01 10:00:04");
  CHECK(std::find(worker.flags.begin(), worker.flags.end(), "crash-loop") != worker.flags.end());
  // A second -c makes supervisord refuse its arguments: /srv/other.conf is no main file.
  const auto& other = source(record, "/srv/other.conf");
  CHECK_FALSE(other.loaded_by_daemon);
  CHECK(other.entries.empty());
}

TEST_CASE("supervisord's log not read: crashes unknown, not zero", "[collect][workers]") {
  const auto decoded = decode_collector_output(output("permission denied"));
  const auto record = record_of(decoded.snapshot);
  const auto& custom = source(record, "/srv/app/supervisord.conf");
  REQUIRE(custom.entries.size() == 1);
  CHECK_FALSE(custom.entries[0].worker->unexpected_exits.has_value());
  CHECK(std::find(custom.load_notes.begin(), custom.load_notes.end(),
                  "/var/log/supervisor/supervisord.log: permission denied") !=
        custom.load_notes.end());
}
