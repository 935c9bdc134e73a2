#include "digger/collect/host_status.hpp"

#include <catch2/catch.hpp>

using namespace digger::collect;

namespace {
Decoded finished() {
  Decoded d;
  d.started = d.complete = true;
  return d;
}
CronSource file(std::string path, std::int64_t size, std::string content) {
  CronSource s;
  s.path = std::move(path);
  s.size = size;
  s.content = std::move(content);
  s.truncated = static_cast<std::int64_t>(s.content.size()) < size;
  return s;
}
} // namespace

TEST_CASE("verdicts from collector output", "[collect][status]") {
  Decoded none;
  CHECK(judge_collection(none, "sudo: a password is required\n", false).status ==
        "permission-denied");
  CHECK(judge_collection(none, "", false).status == "protocol-error");

  Decoded cut;
  cut.started = true;
  cut.error = "truncated or malformed record";
  CHECK(judge_collection(cut, "", true).status == "partial");
  CHECK(judge_collection(cut, "", false).status == "protocol-error");

  auto ok = finished();
  ok.snapshot.sources.push_back(file("/var/spool/cron/root", 4, "abcd"));
  CHECK(judge_collection(ok, "", false).status == "ok");

  auto denied = finished();
  denied.snapshot.unreadable.push_back({SourceKind::user_crontab, "/var/spool/cron", "x"});
  auto verdict = judge_collection(denied, "", false);
  CHECK(verdict.status == "permission-denied");
  CHECK(verdict.reason.find("/var/spool/cron") != std::string::npos);

  auto partial = denied;
  partial.snapshot.sources.push_back(file("/etc/crontab", 4, "abcd"));
  CHECK(judge_collection(partial, "", false).status == "partial");

  auto big = finished();
  big.snapshot.sources.push_back(file("/var/spool/cron/big", 50 << 20, "0 * * * * x\n"));
  auto big_verdict = judge_collection(big, "", false);
  CHECK(big_verdict.status == "partial");
  CHECK(big_verdict.reason.find("/var/spool/cron/big") != std::string::npos);
}

TEST_CASE("one_line makes remote text safe to print", "[collect][status]") {
  CHECK(one_line("a\x1b[31mb\nsecond") == "a?[31mb");
  CHECK(one_line(std::string(500, 'x')).size() == 200);
}
