// at(1) job files: the name atd decodes and the script at writes, on golden files of both
// spool layouts (tests/data/at: Debian's at 3.2 with its heredoc, RHEL's older at without).

#include "digger/units/at_job.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace digger::units;

namespace {

std::string golden(const std::string& name) {
  std::ifstream in(std::string(DIGGER_TEST_DATA) + "/at/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

} // namespace

TEST_CASE("at job names: queue, job number, minutes since the epoch", "[units][at]") {
  auto name = parse_at_job_name("a0000701cabf56");
  REQUIRE(name);
  CHECK(name->queue == 'a');
  CHECK(name->number == 7);
  CHECK(name->run_time == 0x01cabf56LL * 60);
  CHECK(utc_iso8601(name->run_time) == "2027-03-01T02:30:00+00:00");

  auto running = parse_at_job_name("=0001a018fccde");
  REQUIRE(running);
  CHECK(running->queue == '=');
  CHECK(running->number == 0x1a);
  CHECK(utc_iso8601(running->run_time) == "2019-10-26T08:30:00+00:00");

  CHECK_FALSE(parse_at_job_name(".SEQ"));
  CHECK_FALSE(parse_at_job_name("spool"));
  CHECK_FALSE(parse_at_job_name("a0000701cabf5"));  // too short
  CHECK_FALSE(parse_at_job_name("a00007x1cabf56")); // not hex
  CHECK(parse_at_job_name("a0000701cabf56.bak"));   // atd's sscanf stops after the 8th digit

  CHECK(is_batch_queue('b'));
  CHECK(is_batch_queue('Q'));
  CHECK_FALSE(is_batch_queue('a'));
}

TEST_CASE("a Debian at job: header, directory and the heredoc's lines, never the environment",
          "[units][at]") {
  const auto script = parse_at_job(golden("debian-a0000701cabf56"));
  CHECK(script.header_ok);
  CHECK(script.uid == 1001);
  CHECK(script.gid == 1001);
  CHECK(script.mail_user == "deploy");
  CHECK(script.send_mail == 0);
  CHECK(script.directory == "/srv/app v2");
  CHECK(script.heredoc);
  CHECK(script.heredoc_closed);
  CHECK(script.first_line == 19);
  CHECK(script.commands == "cd /srv/app && php artisan migrate --force\n"
                           "/usr/local/bin/rollback-release --to v4.2.1 "
                           "--token=abcdef0123456789abcdef");
  CHECK(script.commands.find("CANARY") == std::string::npos);
}

TEST_CASE("a RHEL at job without the heredoc: the lines after the cd block", "[units][at]") {
  const auto script = parse_at_job(golden("rhel-b0000a01c8ec94"));
  CHECK(script.header_ok);
  CHECK(script.uid == 0);
  CHECK(script.mail_user == "root");
  CHECK(script.send_mail == 1);
  CHECK(script.directory == "/root");
  CHECK_FALSE(script.heredoc);
  CHECK(script.first_line == 12);
  CHECK(script.commands == "/usr/bin/python3 /opt/reports/rebuild.py --full");
}

TEST_CASE("at jobs cut or malformed keep what can be read", "[units][at]") {
  const std::string head = "#!/bin/sh\n# atrun uid=5 gid=5\n# mail bob 0\numask 22\n"
                           "cd /home/bob || {\n\t echo 'Execution directory inaccessible' >&2\n"
                           "\t exit 1\n}\n";
  auto cut = parse_at_job(head + "${SHELL:-/bin/sh} << 'marcinDELIMITER00000001'\nmake backup\n");
  CHECK(cut.heredoc);
  CHECK_FALSE(cut.heredoc_closed);
  CHECK(cut.commands == "make backup");

  auto empty = parse_at_job(head);
  CHECK(empty.first_line == 0);
  CHECK(empty.commands.empty());

  CHECK_FALSE(parse_at_job("").header_ok);
  CHECK_FALSE(parse_at_job("#!/bin/bash\n# atrun uid=5 gid=5\n# mail bob 0\n").header_ok);
  CHECK(parse_at_job("no cd line at all\n").first_line == 0);
  // fscanf's white space: any run of blanks where the format has one.
  CHECK(parse_at_job("#!/bin/sh\n#  atrun   uid=5 gid=5\n# mail\tbob 0\n").header_ok);
  CHECK_FALSE(parse_at_job("#!/bin/sh\n# atrun uid=x gid=5\n# mail bob 0\n").header_ok);
}

TEST_CASE("which at jobs atd skips or refuses, and why", "[units][at]") {
  const auto script = parse_at_job(golden("debian-a0000701cabf56"));
  const auto name = *parse_at_job_name("a0000701cabf56");
  CHECK_FALSE(at_skip_reason(name, script, 0700, 1001));
  CHECK(at_skip_reason(name, script, 0600, 1001)->find("not executable") != std::string::npos);
  CHECK(at_skip_reason(name, script, 0700, 1002)->find("uid 1001") != std::string::npos);
  CHECK(at_skip_reason(*parse_at_job_name("%0000701cabf56"), script, 0700, 1001)
            ->find("not a letter") != std::string::npos);
  CHECK(at_skip_reason(name, parse_at_job("garbage"), 0700, 1001)->find("header") !=
        std::string::npos);
  CHECK(at_skip_reason(name, parse_at_job("#!/bin/sh\n# atrun uid=1001 gid=1\n# mail -x 0\n"), 0700,
                       1001)
            ->find("'-'") != std::string::npos);
  CHECK_FALSE(at_skip_reason(*parse_at_job_name("=0000701cabf56"), script, 0700, 1001));
}
