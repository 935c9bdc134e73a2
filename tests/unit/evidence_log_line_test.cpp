#include "digger/evidence/log_line.hpp"

#include <catch2/catch.hpp>

using namespace digger::evidence;

namespace {

// The file's mtime was in November 2024, on a host at UTC+09:00.
const FileClock nov_2024{2024, 11, 9 * 3600};

LogEvent syslog(std::string_view line, const FileClock& clock = nov_2024) {
  const auto event = parse_syslog_line(line, clock);
  REQUIRE(event);
  return *event;
}

} // namespace

TEST_CASE("evidence: cronie's CMD line in the traditional file format", "[evidence]") {
  const auto e =
      syslog("Nov 25 10:01:01 web1 CROND[4242]: (root) CMD (run-parts /etc/cron.hourly)");
  CHECK(e.ident == "CROND");
  CHECK(e.pid == 4242);
  CHECK(e.user == "root");
  CHECK(e.kind == EventKind::cmd);
  CHECK(e.event == "CMD");
  CHECK(e.detail == "run-parts /etc/cron.hourly");
  CHECK(e.local == LocalTime{2024, 11, 25, 10, 1, 1});
  CHECK(e.epoch == 1732496461); // 2024-11-25T01:01:01Z
}

TEST_CASE("evidence: traditional lines take the year from the file, last year after its month",
          "[evidence]") {
  CHECK(syslog("Dec 31 23:59:00 h CRON[1]: (a) CMD (x)").local->year == 2023);
  CHECK(syslog("Jan  5 00:00:00 h CRON[1]: (a) CMD (x)").local->year == 2024);
  // No offset known: no epoch, but the wall clock is still there for the schedule.
  const auto e = syslog(
      "Sep  1 21:10:01 ip-10-204-239-9 CRON[23830]: (analytics) CMD (/home/a.sh &> /home/log)",
      FileClock{2024, 11, std::nullopt});
  CHECK_FALSE(e.epoch);
  CHECK(e.local == LocalTime{2024, 9, 1, 21, 10, 1});
  CHECK(e.detail == "/home/a.sh &> /home/log");
}

TEST_CASE("evidence: cronie's CMDEND, CMDOUT, MAIL and RELOAD; unknown idents accepted",
          "[evidence]") {
  CHECK(
      syslog("Nov 25 10:01:02 web1 CROND[4241]: (root) CMDEND (run-parts /etc/cron.hourly)").kind ==
      EventKind::cmd_end);
  const auto out = syslog("Nov 25 10:01:02 web1 CRONIE-CROND[24771]: (root) CMDOUT (run-parts: "
                          "/etc/cron.hourly/0anacron exited with return code 1)");
  CHECK(out.ident == "CRONIE-CROND");
  CHECK(out.kind == EventKind::cmd_out);
  CHECK(out.detail == "run-parts: /etc/cron.hourly/0anacron exited with return code 1");
  const auto mail = syslog("Nov 25 10:01:02 h crond[9]: (nobody) MAIL (mailed 6 bytes of output "
                           "but got status 0x0001)");
  CHECK(mail.kind == EventKind::mail);
  CHECK(mail.user == "nobody");
  const auto reload = syslog("Nov 25 10:01:02 h crond[9]: (CRON) RELOAD (/var/spool/cron/app)");
  CHECK(reload.kind == EventKind::other);
  CHECK(reload.event == "RELOAD");
  CHECK(syslog("Nov 25 10:01:02 h crontab[191]: (root) REPLACE (root)").event == "REPLACE");
  // cronie's error suffix after the detail, and an event word with a space and a quote.
  const auto cant =
      syslog("Nov 25 10:01:02 h crond[9]: (root) CAN'T OPEN (/etc/crontab): No such file");
  CHECK(cant.event == "CAN'T OPEN");
  CHECK(cant.detail == "/etc/crontab");
}

TEST_CASE("evidence: Debian's END, -L 8 job PID, -L 4 failure and no-MTA lines", "[evidence]") {
  const auto end = syslog("Nov 25 10:01:03 h CRON[4241]: (app) END (/opt/x.sh)");
  CHECK(end.kind == EventKind::end);
  const auto l8 = syslog("Nov 25 10:01:01 h CRON[4241]: (app) CMD ([4243] /opt/x.sh (daily))");
  CHECK(l8.job_pid == 4243);
  CHECK(l8.detail == "/opt/x.sh (daily)");
  const auto failed = syslog(
      "Nov 25 10:01:03 h CRON[4241]: (CRON) error (grandchild #4243 failed with exit status 2)");
  CHECK(failed.kind == EventKind::job_failed);
  CHECK(failed.job_pid == 4243);
  CHECK(failed.exit_status == 2);
  CHECK(syslog("Nov 25 10:01:03 h CRON[23820]: (CRON) info (No MTA installed, discarding output)")
            .kind == EventKind::no_mta);
}

TEST_CASE("evidence: anacron's started and terminated lines", "[evidence]") {
  const auto started = syslog("Nov 25 07:35:01 h anacron[812]: Job `cron.daily' started");
  CHECK(started.kind == EventKind::anacron_started);
  CHECK(started.detail == "cron.daily");
  CHECK(started.user.empty());
  const auto failed = syslog("Nov 25 07:36:01 h anacron[812]: Job `cron.daily' terminated (exit "
                             "status: 1) (mailing output)");
  CHECK(failed.kind == EventKind::anacron_terminated);
  CHECK(failed.exit_status == 1);
  CHECK(syslog("Nov 25 07:36:01 h anacron[812]: Job `cron.weekly' terminated").exit_status == 0);
}

TEST_CASE("evidence: rsyslog's RFC 3339 format carries its own year and zone", "[evidence]") {
  const auto e = syslog("2024-11-25T10:01:01.123456+09:00 web1 CRON[4242]: (root) CMD (date)",
                        FileClock{2030, 1, std::nullopt});
  CHECK(e.local == LocalTime{2024, 11, 25, 10, 1, 1});
  CHECK(e.epoch == 1732496461);
  CHECK(syslog("2024-11-25T01:01:01Z web1 CRON[1]: (root) CMD (date)").epoch == 1732496461);
  CHECK(syslog("2024-11-24T20:01:01-05:00 web1 CRON[1]: (root) CMD (date)").epoch == 1732496461);
}

TEST_CASE("evidence: journal JSON, with MESSAGE as a string or as bytes", "[evidence]") {
  const auto e = parse_journal_json(
      R"j({"__REALTIME_TIMESTAMP":"1732496461123456","SYSLOG_IDENTIFIER":"CRON","_PID":"4242",)j"
      R"j("SYSLOG_FACILITY":"9","MESSAGE":"(root) CMD (date)"})j",
      nov_2024);
  REQUIRE(e);
  CHECK(e->epoch == 1732496461);
  CHECK(e->local == LocalTime{2024, 11, 25, 10, 1, 1});
  CHECK(e->pid == 4242);
  CHECK(e->detail == "date");
  // "(u) CMD (\xff)": not UTF-8, so journald writes an array of bytes.
  const auto bytes = parse_journal_json(
      R"j({"__REALTIME_TIMESTAMP":"1732496461000000","SYSLOG_IDENTIFIER":"CROND","_PID":"7",)j"
      R"j("MESSAGE":[40,117,41,32,67,77,68,32,40,255,41]})j",
      nov_2024);
  REQUIRE(bytes);
  CHECK(bytes->user == "u");
  CHECK(bytes->detail == "\xff");
  const auto anacron = parse_journal_json(
      R"j({"__REALTIME_TIMESTAMP":"1","SYSLOG_IDENTIFIER":"anacron","MESSAGE":"Job `cron.daily' started"})j",
      nov_2024);
  REQUIRE(anacron);
  CHECK(anacron->kind == EventKind::anacron_started);
}

TEST_CASE("evidence: what is not a cron line gives nothing", "[evidence]") {
  for (const std::string_view line :
       {"", "Nov 25 10:01:01", "Nov 25 10:01:01 web1 sshd[1]: Accepted publickey for root",
        "Foo 25 10:01:01 h CRON[1]: (a) CMD (x)", "Nov 25 25:01:01 h CRON[1]: (a) CMD (x)",
        "Nov 25 10:01:01 h CRON[x: (a) CMD (x)", "2024-13-01T00:00:00Z h CRON[1]: (a) CMD (x)",
        "2024-11-25T10:01:01 h CRON[1]: (a) CMD (x)", "Nov 25 10:01:01 h CRON[1]: (a) CMD x"}) {
    CHECK_FALSE(parse_syslog_line(line, nov_2024));
  }
  for (const std::string_view json :
       {"", "[]", "{", R"j({"MESSAGE":"(a) CMD (x)"})j",
        R"j({"__REALTIME_TIMESTAMP":"x","SYSLOG_IDENTIFIER":"CRON","MESSAGE":"(a) CMD (x)"})j",
        R"({"__REALTIME_TIMESTAMP":"1","SYSLOG_IDENTIFIER":"CRON","MESSAGE":[300]})"}) {
    CHECK_FALSE(parse_journal_json(json, nov_2024));
  }
}
