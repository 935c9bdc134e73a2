// The command part: '%' splits (do_command.c), the env and CRON_TZ each job sees.

#include "digger/crontab/crontab.hpp"

#include <catch2/catch.hpp>

using namespace digger::crontab;

namespace {

Job job_of(const std::string& command) {
  auto parsed = parse_crontab("0 1 * * * " + command + "\n", ParseOptions{});
  REQUIRE(parsed.lines.size() == 1);
  REQUIRE(parsed.lines[0].kind == LineKind::job);
  return *parsed.lines[0].job;
}

} // namespace

TEST_CASE("the first unescaped % ends the command", "[cron][crontab][percent]") {
  Job date = job_of("date +%F > /tmp/today");
  CHECK(date.command == "date +");
  CHECK(date.stdin_data == "F > /tmp/today\n");

  Job quoted = job_of("date +'%Y-%m-%d'"); // quoting does not protect '%'
  CHECK(quoted.command == "date +'");
  CHECK(quoted.stdin_data == "Y-\nm-\nd'\n");

  Job plain = job_of("/bin/true");
  CHECK(plain.command == "/bin/true");
  CHECK_FALSE(plain.stdin_data);
}

TEST_CASE("escaped percent signs", "[cron][crontab][percent]") {
  CHECK(job_of("date +\\%F").command == "date +%F");
  CHECK_FALSE(job_of("date +\\%F").stdin_data);
  CHECK(job_of("echo a\\b").command == "echo a\\b"); // other escapes stay
  Job double_backslash = job_of("echo \\\\%rest");   // "\\%": the % still ends the command
  CHECK(double_backslash.command == "echo \\\\");
  CHECK(double_backslash.stdin_data == "rest\n");
}

TEST_CASE("stdin text after the first %", "[cron][crontab][percent]") {
  CHECK(job_of("mail -s hi root%line one%line two").stdin_data == "line one\nline two\n");
  CHECK(job_of("cat%a\\%b").stdin_data == "a%b\n");
  CHECK(job_of("cat%a\\xb").stdin_data == "a\\xb\n");
  CHECK(job_of("cat%ends with newline%").stdin_data == "ends with newline\n");
  CHECK(job_of("cat%").stdin_data == "");    // cut, but nothing is sent
  CHECK(job_of("cat%%").stdin_data == "\n"); // one empty line
  CHECK(job_of("cat%x\\").stdin_data == "x\\\n");
}

TEST_CASE("CRLF: the carriage return stays in the command", "[cron][crontab][percent]") {
  CHECK(job_of("/bin/run\r").command == "/bin/run\r");
  CHECK(job_of("cat%text\r").stdin_data == "text\r\n");
}

TEST_CASE("env lines apply only to the jobs after them", "[cron][crontab][env]") {
  auto parsed = parse_crontab("0 1 * * * /bin/a\n"
                              "MAILTO=ops\n"
                              "CRON_TZ=Europe/Paris\n"
                              "0 2 * * * /bin/b\n"
                              "MAILTO=dev\n"
                              "PATH=/bin\n"
                              "CRON_TZ=Asia/Tokyo\n"
                              "0 3 * * * /bin/c\n"
                              "#0 4 * * * /bin/d\n",
                              ParseOptions{});
  REQUIRE(parsed.lines.size() == 9);
  const Job& a = *parsed.lines[0].job;
  const Job& b = *parsed.lines[3].job;
  const Job& c = *parsed.lines[7].job;
  const Job& d = *parsed.lines[8].job;
  CHECK(a.environment.empty());
  CHECK(a.cron_tz.empty());
  CHECK(b.cron_tz == "Europe/Paris");
  CHECK(b.environment.size() == 2);
  CHECK(b.environment.get("MAILTO") == "ops");
  CHECK(c.cron_tz == "Asia/Tokyo");
  // A later setting replaces the earlier one in place, like cronie's env_set.
  REQUIRE(c.environment.size() == 3);
  CHECK(c.environment[0] == EnvSetting{"MAILTO", "dev"});
  CHECK(c.environment[1] == EnvSetting{"CRON_TZ", "Asia/Tokyo"});
  CHECK(c.environment[2] == EnvSetting{"PATH", "/bin"});
  CHECK(d.cron_tz == "Asia/Tokyo"); // a disabled job would run with the same env
  CHECK(b.environment.get("PATH") == std::nullopt);
}

TEST_CASE("TZ changes the environment, not the schedule's zone", "[cron][crontab][env]") {
  auto parsed = parse_crontab("TZ=Asia/Tokyo\n0 1 * * * /bin/a\n", ParseOptions{});
  CHECK(parsed.lines[1].job->cron_tz.empty());
  CHECK(parsed.lines[1].job->environment.get("TZ") == "Asia/Tokyo");
}

TEST_CASE("EnvironmentList behaves like a vector of settings", "[cron][crontab][env]") {
  EnvironmentList env{{"A", "1"}, {"B", "2"}};
  EnvironmentList copy = env;
  copy.push_back({"A", "3"});
  CHECK(env.get("A") == "1"); // copies do not share writes
  CHECK(copy.get("A") == "3");
  CHECK(copy.size() == 2);
  std::string names;
  for (const auto& setting : copy) {
    names += setting.name;
  }
  CHECK(names == "AB");
  CHECK(env != copy);
}
