#include "digger/units/anacrontab.hpp"

#include <catch2/catch.hpp>

using namespace digger::crontab;
using namespace digger::units;

namespace {

// Debian 12's /etc/anacrontab, plus RHEL's settings.
constexpr std::string_view debian_anacrontab = R"(# /etc/anacrontab: configuration file for anacron

SHELL=/bin/sh
HOME=/root
LOGNAME=root
RANDOM_DELAY=45
START_HOURS_RANGE=3-22

# These replace cron's entries
1	5	cron.daily	run-parts --report /etc/cron.daily
7	10	cron.weekly	run-parts --report /etc/cron.weekly
@monthly	15	cron.monthly	run-parts --report /etc/cron.monthly
)";

} // namespace

TEST_CASE("anacrontab: Debian's file gives env lines, three jobs and the settings",
          "[anacrontab]") {
  const auto parsed = parse_anacrontab(debian_anacrontab);
  REQUIRE(parsed.lines.size() == 12);
  CHECK(parsed.lines[0].kind == LineKind::comment);
  CHECK(parsed.lines[1].kind == LineKind::blank);
  CHECK(parsed.lines[2].kind == LineKind::env);
  CHECK(parsed.lines[2].env->name == "SHELL");
  CHECK(parsed.lines[2].env->value == "/bin/sh");
  REQUIRE(parsed.lines[9].kind == LineKind::job);
  const auto& daily = *parsed.lines[9].job;
  CHECK(parsed.lines[9].number == 10);
  CHECK(daily.period_text == "1");
  CHECK(daily.period_days == 1);
  CHECK(daily.period_macro.empty());
  CHECK(daily.delay_minutes == 5);
  CHECK(daily.job_id == "cron.daily");
  CHECK(daily.command == "run-parts --report /etc/cron.daily");
  CHECK(daily.random_delay_minutes == 45);
  const auto& monthly = *parsed.lines[11].job;
  CHECK(monthly.period_days == 0);
  CHECK(monthly.period_macro == "monthly");
  REQUIRE(parsed.start_hours_range);
  CHECK(*parsed.start_hours_range == std::pair{3, 22});
  CHECK(parsed.random_delay_minutes == 45);
  CHECK(parsed.environment.get("START_HOURS_RANGE") == "3-22");
  CHECK(parsed.environment.get("LOGNAME") == "root");

  CHECK(anacron_schedule_text(daily) == "1 5 cron.daily");
  CHECK(anacron_schedule_text(monthly) == "@monthly 15 cron.monthly");
  CHECK(normalized_anacron_schedule(daily) == "anacron period=1d delay=5m");
  CHECK(normalized_anacron_schedule(monthly) == "anacron period=monthly delay=15m");
  CHECK(describe_anacron_job(daily, parsed) ==
        "once a day, 5 minutes after anacron starts, between 03:00 and 22:00, plus up to 45 "
        "random minutes");
  CHECK(describe_anacron_job(*parsed.lines[10].job, parsed) ==
        "once a week, 10 minutes after anacron starts, between 03:00 and 22:00, plus up to 45 "
        "random minutes");
}

TEST_CASE("anacrontab: named periods are matched by prefix like anacron", "[anacrontab]") {
  const auto parsed = parse_anacrontab("@yearly 1 y cmd\n@annually 1 a cmd\n@annualy 1 b cmd\n"
                                       "@daily 0 d cmd\n@weekly 2 w cmd\n@monthlyish 3 m cmd\n"
                                       "@hourly 1 h cmd\n");
  REQUIRE(parsed.lines.size() == 7);
  CHECK(parsed.lines[0].job->period_macro == "yearly");
  CHECK(parsed.lines[1].job->period_macro == "yearly");
  CHECK(parsed.lines[2].job->period_macro == "yearly");
  CHECK(parsed.lines[3].job->period_macro == "daily");
  CHECK(parsed.lines[3].job->period_days == 1);
  CHECK(normalized_anacron_schedule(*parsed.lines[3].job) == "anacron period=1d delay=0m");
  CHECK(parsed.lines[4].job->period_days == 7);
  CHECK(parsed.lines[5].job->period_macro == "monthly");
  CHECK(parsed.lines[6].kind == LineKind::invalid);
  CHECK(parsed.lines[6].error == "Unknown named period on line 7, skipping");
  CHECK(describe_anacron_job(*parsed.lines[0].job, parsed) ==
        "once a year, 1 minute after anacron starts");
  CHECK(describe_anacron_job(*parsed.lines[3].job, parsed) ==
        "once a day, as soon as anacron starts");
}

TEST_CASE("anacrontab: invalid lines are reported and skipped", "[anacrontab]") {
  const auto parsed = parse_anacrontab("1 5 bad/id cmd\n"
                                       "1 5 id\n"
                                       "x 5 id cmd\n"
                                       "99999999999 5 id cmd\n"
                                       "START_HOURS_RANGE=3 - 22\n"
                                       "RANDOM_DELAY=abc\n"
                                       "1 5 ok   echo  spaced  \n");
  REQUIRE(parsed.lines.size() == 7);
  for (int i = 0; i < 6; ++i) {
    INFO(parsed.lines[static_cast<std::size_t>(i)].raw);
    CHECK(parsed.lines[static_cast<std::size_t>(i)].kind == LineKind::invalid);
    CHECK_FALSE(parsed.lines[static_cast<std::size_t>(i)].error.empty());
  }
  CHECK(parsed.lines[3].error == "number out of range on line 4, skipping");
  CHECK_FALSE(parsed.start_hours_range);
  CHECK(parsed.random_delay_minutes == 0);
  CHECK(parsed.environment.empty());
  REQUIRE(parsed.lines[6].job);
  CHECK(parsed.lines[6].job->command == "echo  spaced  ");
}

TEST_CASE("anacrontab: env values keep their spaces; env wins over a job-looking line",
          "[anacrontab]") {
  const auto parsed = parse_anacrontab("  PATH = /usr/bin:/bin\nMAILTO=\n1=2 3 4\n");
  REQUIRE(parsed.lines.size() == 3);
  CHECK(parsed.lines[0].env->name == "PATH");
  CHECK(parsed.lines[0].env->value == " /usr/bin:/bin");
  CHECK(parsed.lines[1].env->value.empty());
  CHECK(parsed.lines[2].kind == LineKind::env);
  CHECK(parsed.lines[2].env->name == "1");
}

TEST_CASE("anacrontab: RANDOM_DELAY applies to the jobs below it only", "[anacrontab]") {
  const auto parsed = parse_anacrontab("1 5 before cmd\nRANDOM_DELAY=30\n1 5 after cmd\n");
  CHECK(parsed.lines[0].job->random_delay_minutes == 0);
  CHECK(parsed.lines[2].job->random_delay_minutes == 30);
}

TEST_CASE("anacrontab: a reversed START_HOURS_RANGE leaves 0-0", "[anacrontab]") {
  const auto parsed = parse_anacrontab("START_HOURS_RANGE=22-3\n1 0 j cmd\n");
  CHECK(parsed.lines[0].kind == LineKind::invalid);
  REQUIRE(parsed.start_hours_range);
  CHECK(*parsed.start_hours_range == std::pair{0, 0});
  CHECK(describe_anacron_job(*parsed.lines[1].job, parsed) ==
        "once a day, as soon as anacron starts, never (empty START_HOURS_RANGE)");
}

TEST_CASE("anacrontab: backslash-newline joins lines, numbering stays physical", "[anacrontab]") {
  const auto parsed = parse_anacrontab("1 5 j echo a \\\n  b\n# c\n7 1 k e\\cho\n");
  REQUIRE(parsed.lines.size() == 3);
  CHECK(parsed.lines[0].number == 1);
  CHECK(parsed.lines[0].last_number == 2);
  CHECK(parsed.lines[0].raw == "1 5 j echo a \\\n  b");
  CHECK(parsed.lines[0].job->command == "echo a    b");
  CHECK(parsed.lines[1].number == 3);
  CHECK(parsed.lines[2].number == 4);
  CHECK(parsed.lines[2].job->command == "echo"); // anacron drops a lone backslash
}

TEST_CASE("anacrontab: garbage never throws and every byte lands in a line", "[anacrontab]") {
  std::string garbage;
  for (int i = 0; i < 2000; ++i) {
    garbage += static_cast<char>((i * 37) % 256);
  }
  const auto parsed = parse_anacrontab(garbage);
  std::size_t bytes = 0;
  for (const auto& line : parsed.lines) {
    bytes += line.raw.size() + 1;
    CHECK((line.kind == LineKind::invalid) == !line.error.empty());
  }
  CHECK((bytes == garbage.size() || bytes == garbage.size() + 1));
}
