#include "digger/collect/host_context.hpp"
#include "digger/collect/pipeline.hpp"
#include "digger/collect/run_evidence.hpp"

#include <catch2/catch.hpp>

using namespace digger::collect;

namespace {

HostSnapshot snapshot_with_crontab() {
  HostSnapshot snap;
  CronSource source;
  source.path = "/var/spool/cron/crontabs/app";
  source.kind = SourceKind::user_crontab;
  source.owner = "app";
  source.content = "5 * * * * /opt/x.sh --password=hunter2\n0 5 * * * /opt/y.sh\n";
  source.size = static_cast<std::int64_t>(source.content.size());
  snap.sources.push_back(source);
  snap.extra_facts.emplace_back("clock", "+0000 1732500000");
  return snap;
}

std::vector<std::string> verdicts(const HostJobs& jobs) {
  std::vector<std::string> out;
  for (const auto& source : jobs.sources) {
    for (const auto& job : source.jobs) {
      out.push_back(job.row.run.verdict + "/" + std::to_string(job.row.run.runs));
    }
  }
  return out;
}

} // namespace

TEST_CASE("run evidence from the journal: attributed once, keyed by a hash", "[evidence]") {
  auto snap = snapshot_with_crontab();
  snap.journal =
      R"j({"__REALTIME_TIMESTAMP":"1732529101000000","SYSLOG_IDENTIFIER":"CRON","_PID":"9","MESSAGE":"(app) CMD (/opt/x.sh --password=hunter2)"})j"
      "\nnot json\n";
  const auto host = host_context(snap, "h", nullptr);
  auto jobs = read_host(snap, host);
  const auto state = apply_run_evidence(jobs, snap, nullptr);
  CHECK(verdicts(jobs) == std::vector<std::string>{"running/1", "no-evidence/0"});
  REQUIRE(state.cursors.size() == 1);
  CHECK(state.cursors[0].path == "journal");
  CHECK(state.cursors[0].window_to == 1732529101);
  REQUIRE(state.totals.size() == 2);
  for (const auto& totals : state.totals) {
    CHECK(totals.key.size() == 64); // SHA-256 hex: the clear command is never stored
    CHECK(totals.key.find("hunter2") == std::string::npos);
  }
  // The next scan reads the same 7 days again: lines already counted are not counted twice.
  auto again = read_host(snap, host);
  const auto next = apply_run_evidence(again, snap, &state);
  CHECK(verdicts(again) == std::vector<std::string>{"running/1", "no-evidence/0"});
  CHECK(log_cursor_argument(&next) == "- - -");
}

TEST_CASE("run evidence with no readable log says what grants access, keeps the state",
          "[evidence]") {
  auto snap = snapshot_with_crontab();
  snap.log_notes.emplace_back("/var/log/cron", "permission denied");
  const auto host = host_context(snap, "h", nullptr);
  auto jobs = read_host(snap, host);
  digger::catalog::EvidenceState before;
  before.cursors.push_back({"/var/log/cron", 2049, 77, 500, 400, 1, 2, ""});
  const auto state = apply_run_evidence(jobs, snap, &before);
  CHECK(verdicts(jobs) == std::vector<std::string>{"log-unreadable/0", "log-unreadable/0"});
  const auto& reason = jobs.sources[0].jobs[0].row.run.reason;
  CHECK(reason.find("permission denied") != std::string::npos);
  CHECK(reason.find("systemd-journal") != std::string::npos);
  CHECK(state == before);
  CHECK(log_cursor_argument(&before) == "2049:77:400 - -");
}
