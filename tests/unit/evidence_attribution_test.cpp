#include "digger/evidence/attribution.hpp"
#include "digger/evidence/log_key.hpp"

#include <catch2/catch.hpp>

using namespace digger::evidence;
using digger::crontab::parse_schedule;

namespace {

const FileClock clock_utc{2024, 11, 0};

EntryRef entry(std::string user, std::string command, std::string_view schedule) {
  EntryRef ref;
  ref.user = std::move(user);
  ref.command = std::move(command);
  ref.schedule = parse_schedule(schedule).value();
  return ref;
}

std::vector<LogEvent> lines(std::initializer_list<std::string_view> text) {
  std::vector<LogEvent> events;
  for (const auto line : text) {
    events.push_back(parse_syslog_line(line, clock_utc).value());
  }
  return events;
}

} // namespace

TEST_CASE("evidence: the daemons' command transform (cut, \\%, \\\\, ^X, octal)", "[evidence]") {
  CHECK(cut_command(R"(date +\%F > /tmp/x%stdin%more)", Daemon::cronie) == "date +%F > /tmp/x");
  CHECK(cut_command(R"(a\\b\%c)", Daemon::cronie) == R"(a\\b%c)");
  CHECK(cut_command(R"(a\\b\%c)", Daemon::debian) == R"(a\b%c)");
  CHECK(cut_command(R"(a\xb)", Daemon::debian) == R"(a\xb)");
  CHECK(mkprints("a\tb\x7f\x01") == "a^Ib^?^A");
  CHECK(mkprints("caf\xc3\xa9") == R"(caf\303\251)");
  // From the cronie-cut command Digger stores, the Debian form of the same line.
  for (const std::string_view written : {R"(a\\b\%c)", R"(x\\\%y)", R"(\\\\)", R"(p\q)"}) {
    CHECK(log_key(cut_command(written, Daemon::cronie), Daemon::debian) ==
          mkprints(cut_command(written, Daemon::debian)));
  }
}

TEST_CASE("evidence: each logged line goes to its entry; \\%, tab, UTF-8 and % stdin",
          "[evidence]") {
  const std::vector<EntryRef> entries = {
      entry("root", "date +%F >> /var/log/d.log", "5 * * * *"), // written date +\%F
      entry("app", "printf 'a\tb'", "*/10 * * * *"),            // a tab
      entry("app", "/opt/caf\xc3\xa9.sh", "0 3 * * *"),         // UTF-8
      entry("app", "mail -s hi root", "0 4 * * *"),             // % stdin cut off
      entry("app", "/opt/never.sh", "0 5 * * *"),
  };
  const auto events = lines({
      "Nov 25 10:05:01 h CROND[10]: (root) CMD (date +%F >> /var/log/d.log)",
      "Nov 25 10:10:01 h CROND[11]: (app) CMD (printf 'a^Ib')",
      "Nov 25 03:00:01 h CROND[12]: (app) CMD (/opt/caf\\303\\251.sh)",
      "Nov 25 04:00:01 h CROND[13]: (app) CMD (mail -s hi root)",
      "Nov 25 04:00:01 h CROND[14]: (root) CMD (/opt/never.sh)", // another user: not ours
      "Nov 25 11:00:00 h CROND[15]: (app) CMDEND (printf 'a^Ib')",
  });
  std::vector<JobEvidence> evidence;
  attribute(entries, events, evidence);
  REQUIRE(evidence.size() == 5);
  for (std::size_t i = 0; i < 4; ++i) {
    INFO(i);
    CHECK(evidence[i].runs == 1);
    CHECK(evidence[i].ambiguous_runs == 0);
  }
  CHECK(evidence[0].last_run == 1732529101); // 2024-11-25T10:05:01Z
  CHECK(evidence[4].runs == 0);
  Coverage coverage{true, "/var/log/cron", 1732503601, 1732532400, ""};
  CHECK(judge(entries[0], evidence[0], coverage).verdict == Verdict::running);
  const auto none = judge(entries[4], evidence[4], coverage);
  CHECK(none.verdict == Verdict::no_evidence);
  CHECK(none.reason.find("/var/log/cron from 2024-11-25 03:00Z to 2024-11-25 11:00Z") !=
        std::string::npos);
  CHECK(none.reason.find("dead") == std::string::npos);
}

TEST_CASE("evidence: the same command on two schedules is ambiguous only where both fire",
          "[evidence]") {
  const std::vector<EntryRef> entries = {entry("app", "/opt/sync.sh", "0 * * * *"),
                                         entry("app", "/opt/sync.sh", "0,30 2 * * *")};
  std::vector<JobEvidence> evidence;
  attribute(entries,
            lines({"Nov 25 05:00:01 h CROND[1]: (app) CMD (/opt/sync.sh)",   // first only
                   "Nov 25 02:30:00 h CROND[2]: (app) CMD (/opt/sync.sh)",   // second only
                   "Nov 25 02:00:01 h CROND[3]: (app) CMD (/opt/sync.sh)"}), // both
            evidence);
  CHECK(evidence[0].runs == 1);
  CHECK(evidence[1].runs == 1);
  CHECK(evidence[0].ambiguous_runs == 1);
  CHECK(evidence[1].ambiguous_runs == 1);
  // With no unambiguous run, the verdict says so instead of "running".
  const std::vector<EntryRef> twins = {entry("app", "/opt/x", "0 * * * *"),
                                       entry("app", "/opt/x", "0 * * * *")};
  std::vector<JobEvidence> twin_evidence;
  attribute(twins, lines({"Nov 25 05:00:01 h CROND[1]: (app) CMD (/opt/x)"}), twin_evidence);
  const Coverage coverage{true, "/var/log/cron", 0, 1, ""};
  CHECK(judge(twins[0], twin_evidence[0], coverage).verdict == Verdict::ambiguous);
  CHECK(entry_key(twins[0]) == entry_key(twins[1]));
  CHECK(entry_key(entries[0]) != entry_key(entries[1]));
}

TEST_CASE("evidence: failures from Debian -L 4 and anacron; unreadable and '-' entries",
          "[evidence]") {
  std::vector<EntryRef> entries = {entry("app", "/opt/x.sh", "* * * * *"),
                                   entry("root", "run-parts /etc/cron.daily", "@daily")};
  entries[1].anacron_job = "cron.daily";
  std::vector<JobEvidence> evidence;
  attribute(entries,
            lines({"Nov 25 10:01:01 h CRON[4243]: (app) CMD (/opt/x.sh)",
                   "Nov 25 10:01:09 h CRON[4241]: (CRON) error (grandchild #4243 failed with exit "
                   "status 3)",
                   "Nov 25 07:35:01 h anacron[8]: Job `cron.daily' started",
                   "Nov 25 07:36:01 h anacron[8]: Job `cron.daily' terminated (exit status: 1)"}),
            evidence);
  CHECK(evidence[0].failures == 1);
  CHECK(evidence[0].last_exit_status == 3);
  CHECK(evidence[0].last_failure == 1732528869);
  CHECK(evidence[1].runs == 1);
  CHECK(evidence[1].last_exit_status == 1);
  // A second read of appended lines adds to the first.
  attribute(entries, lines({"Nov 25 10:02:01 h CRON[4250]: (app) CMD (/opt/x.sh)"}), evidence);
  CHECK(evidence[0].runs == 2);
  CHECK(evidence[0].last_run == 1732528921);

  const Coverage denied{false, "/var/log/cron", std::nullopt, std::nullopt, "permission denied"};
  const auto unreadable = judge(entries[0], evidence[0], denied);
  CHECK(unreadable.verdict == Verdict::log_unreadable);
  CHECK(unreadable.reason.find("sudo") != std::string::npos);
  CHECK(unreadable.reason.find("adm") != std::string::npos);
  EntryRef quiet = entry("root", "/opt/q", "* * * * *");
  quiet.not_logged = true;
  const auto by_design = judge(quiet, JobEvidence{}, Coverage{true, "/var/log/cron", 0, 1, ""});
  CHECK(by_design.verdict == Verdict::no_evidence);
  CHECK(by_design.reason.find("'-'") != std::string::npos);
  CHECK(verdict_from_name("log-unreadable") == Verdict::log_unreadable);
  CHECK_FALSE(verdict_from_name("dead"));
}
