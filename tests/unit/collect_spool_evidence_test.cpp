#include "digger/collect/decode.hpp"
#include "digger/collect/host_context.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/pipeline.hpp"
#include "digger/collect/run_evidence.hpp"
#include "digger/collect/script.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace digger::collect;

namespace {

HostSnapshot snapshot_with_crontab() {
  HostSnapshot snap;
  snap.facts.hostname = "web1.example.net";
  CronSource source;
  source.path = "/var/spool/cron/crontabs/app";
  source.kind = SourceKind::user_crontab;
  source.owner = "app";
  source.content = "15 * * * * /opt/report.sh >> /var/log/app/report.log 2>&1\n"
                   "20 * * * * /opt/p.sh > /var/log/private/p.log\n"
                   "25 * * * * /opt/d.sh > /var/log/d-$(date +\\%F).log\n";
  source.size = static_cast<std::int64_t>(source.content.size());
  snap.sources.push_back(source);
  snap.extra_facts.emplace_back("clock", "+0000 1796700000");
  snap.log_notes.emplace_back("/var/log/cron", "permission denied");
  return snap;
}

digger::command::ProgramFacts stat_of(std::string path, std::int64_t mtime) {
  digger::command::ProgramFacts facts;
  facts.path = std::move(path);
  facts.exists = true;
  facts.type = "file";
  facts.mtime = mtime;
  return facts;
}

const digger::catalog::RunEvidenceRow& run_of(const HostJobs& jobs, std::size_t i) {
  return jobs.sources.at(0).jobs.at(i).row.run;
}

} // namespace

TEST_CASE("output files: static absolute redirection targets are sent as stat-only targets",
          "[evidence][mail]") {
  auto snap = snapshot_with_crontab();
  const auto jobs = read_host(snap, host_context(snap, "h", nullptr));
  const auto targets = targets_to_inspect(jobs);
  std::vector<std::string> outputs;
  for (const auto& target : targets) {
    if (target.output_file) {
      outputs.push_back(target.path);
      CHECK(target.users == std::vector<std::string>{"app"});
    }
  }
  // `d-$(date +%F).log` is expanded at run time: not guessed.
  CHECK(outputs == std::vector<std::string>{"/var/log/app/report.log", "/var/log/private/p.log"});
  const auto plan = plan_inspection(targets);
  CHECK(plan.output_paths.size() == 2);
  CHECK(plan.payload.find(std::string(">app/var/log/app/report.log") + '\0') != std::string::npos);
}

TEST_CASE("spool evidence: mail counts and output mtimes on the judged jobs", "[evidence][mail]") {
  auto snap = snapshot_with_crontab();
  // What the collector's awk sends: the X-Cron-Env lines and bodies never arrive.
  const std::string records = "CMAIL 5\n13\n/var/mail/app\n4\n9999\n10\n1796700000\n1\n0\n"
                              "262\n"
                              "From root@web1  Mon Nov 30 08:15:01 2026\n"
                              "Subject: Cron <app@web1> /opt/report.sh >> /var/log/app/report.log "
                              "2>&1\n"
                              "From root@web1  Tue Dec  1 08:15:02 2026\n"
                              "Subject: Cron <app@web1> /opt/report.sh >> /var/log/app/report.log "
                              "2>&1\n"
                              "Date: Tue, 1 Dec 2026 08:15:02 +0000\n"
                              "CMAILNOTE 2\n14\n/var/mail/fifo\n55\nnot read: not a regular file "
                              "(a link or a special file)\nEND 1\n1\n0\n";
  auto decoded = decode_collector_output(std::string(start_marker) + records);
  REQUIRE(decoded.snapshot.mails.size() == 1);
  CHECK(decoded.snapshot.mails[0].from == 0);
  REQUIRE(decoded.snapshot.mail_notes.size() == 1);
  snap.mails = decoded.snapshot.mails;
  snap.output_files.push_back(stat_of("/var/log/app/report.log", 1796026500));
  auto denied = stat_of("/var/log/private/p.log", 1796026400);
  denied.unreadable_by = {"app"};
  snap.output_files.push_back(denied);

  auto jobs = read_host(snap, host_context(snap, "h", nullptr));
  apply_run_evidence(jobs, snap, nullptr);
  apply_spool_evidence(jobs, snap);
  CHECK(run_of(jobs, 0).mails == 2);
  CHECK(run_of(jobs, 0).last_mail == 1796112902);
  CHECK(run_of(jobs, 0).output_mtime == 1796026500);
  CHECK(run_of(jobs, 1).mails == 0);
  CHECK_FALSE(run_of(jobs, 1).output_mtime); // its user cannot reach the file: no hint
  CHECK_FALSE(run_of(jobs, 2).output_mtime);

  // No spool file read: no count at all (0 would claim a spool was read).
  snap.mails.clear();
  auto unread = read_host(snap, host_context(snap, "h", nullptr));
  apply_run_evidence(unread, snap, nullptr);
  apply_spool_evidence(unread, snap);
  CHECK_FALSE(run_of(unread, 0).mails);
  CHECK(run_of(unread, 0).output_mtime == 1796026500);
}

TEST_CASE("output files: every redirection form cron jobs use", "[evidence][mail]") {
  HostSnapshot snap;
  CronSource source;
  source.path = "/etc/cron.d/app";
  source.kind = SourceKind::cron_d;
  source.owner = "root";
  source.content = "1 * * * * app /opt/a.sh >> /var/log/a.log 2>&1\n"
                   "2 * * * * app /opt/b.sh > /tmp/out 2>&1\n"
                   "3 * * * * app /opt/c.sh &>> /var/log/c.log\n"
                   "4 * * * * app /opt/d.sh 2>> /var/log/d.err >/dev/null\n"
                   "5 * * * * app cd /srv && ./e.sh > e.log\n";
  source.size = static_cast<std::int64_t>(source.content.size());
  snap.sources.push_back(source);
  const auto jobs = read_host(snap, host_context(snap, "h", nullptr));
  std::vector<std::vector<std::string>> files;
  for (const auto& job : jobs.sources.at(0).jobs) {
    files.push_back(job.output_files);
  }
  using V = std::vector<std::string>;
  CHECK(files == std::vector<V>{V{"/var/log/a.log"}, V{"/tmp/out"}, V{"/var/log/c.log"},
                                V{"/var/log/d.err"}, V{}}); // a relative target is not guessed
}
