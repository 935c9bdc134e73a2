#include "digger/units/unit_file.hpp"

#include <catch2/catch.hpp>

using namespace digger::crontab;
using namespace digger::units;
using namespace std::chrono_literals;

TEST_CASE("unit file: sections, comments, continuations and errors", "[unit_file]") {
  const auto file = parse_unit_file("\xEF\xBB\xBF# comment\n"
                                    "Orphan=1\n"
                                    "[Unit]\n"
                                    "Description = Daily \\\n"
                                    "; a comment inside the continuation\n"
                                    "  backup\r\n"
                                    "\n"
                                    "[Service]\n"
                                    "NoEquals\n"
                                    "[Broken\n"
                                    "ExecStart=/bin/echo a\\\\\n"
                                    "ExecStart=/bin/true\n");
  REQUIRE(file.entries.size() == 3);
  CHECK(file.entries[0].section == "Unit");
  CHECK(file.entries[0].key == "Description");
  CHECK(file.entries[0].value == "Daily    backup");
  CHECK(file.entries[0].line == 4);
  CHECK(file.entries[1].value == "/bin/echo a\\\\"); // an escaped backslash does not continue
  CHECK(file.entries[1].line == 11);
  REQUIRE(file.errors.size() == 3);
  CHECK(file.errors[0].first == 2);
  CHECK(file.errors[1] == std::pair<int, std::string>{9, "Missing '=', ignoring line."});
  CHECK(file.errors[2].first == 10);
  CHECK(file.last("Service", "ExecStart")->value == "/bin/true");
  CHECK(file.last("Service", "User") == nullptr);
}

TEST_CASE("unit file: an empty assignment resets a list", "[unit_file]") {
  const auto file = parse_unit_file("[Service]\nExecStart=/a\nExecStart=\nExecStart=/b\n"
                                    "ExecStart=/c\n");
  const auto all = file.all("Service", "ExecStart");
  REQUIRE(all.size() == 2);
  CHECK(all[0]->value == "/b");
  CHECK(all[1]->value == "/c");
}

TEST_CASE("timer: triggers in order, an empty trigger clears every earlier one", "[unit_file]") {
  const auto timer = read_timer(parse_unit_file("[Unit]\nDescription=x\n[Timer]\n"
                                                "OnBootSec=5min\n"
                                                "OnCalendar=daily\n"
                                                "OnCalendar=\n"
                                                "OnCalendar=Mon *-*-* 02:00\n"
                                                "OnUnitActiveSec=1h\n"
                                                "Persistent=yes\n"
                                                "Unit=backup.service\n"
                                                "RandomizedDelaySec=30m\n"
                                                "AccuracySec=1us\n"
                                                "WakeSystem=off\n"
                                                "[Install]\nWantedBy=timers.target\n"));
  REQUIRE(timer.triggers.size() == 2);
  CHECK(timer.triggers[0].key == "OnCalendar");
  CHECK(timer.triggers[0].value == "Mon *-*-* 02:00");
  CHECK(timer.triggers[0].line == 7);
  CHECK(timer.triggers[1].key == "OnUnitActiveSec");
  CHECK(timer.persistent);
  CHECK_FALSE(timer.wake_system);
  CHECK(timer.unit == "backup.service");
  CHECK(timer.randomized_delay == "30m");
  CHECK(timer.accuracy == "1us");
}

TEST_CASE("service: ExecStart prefixes, user, environment", "[unit_file]") {
  const auto service = read_service(parse_unit_file(
      "[Service]\nType=oneshot\nUser=backup\nGroup=backup\nWorkingDirectory=-/srv\n"
      "ExecStart=-/usr/bin/backup --all\nExecStart=!!/bin/true\nExecStart=@/bin/sh sh -c x\n"
      "ExecStart=+:/bin/echo $X\n"
      "Environment=\"A=1 2\" B=3 'C=x y' bad-name=1\nEnvironment=A=9\n"
      "EnvironmentFile=-/etc/default/backup\n"));
  REQUIRE(service.exec_start.size() == 4);
  CHECK(service.exec_start[0] == "/usr/bin/backup --all");
  CHECK(service.exec_start[1] == "/bin/true");
  CHECK(service.exec_start[2] == "/bin/sh sh -c x");
  CHECK(service.exec_start[3] == "/bin/echo $X");
  CHECK(service.type == "oneshot");
  CHECK(service.user == "backup");
  CHECK(service.group == "backup");
  CHECK(service.working_directory == "-/srv");
  CHECK(service.environment.get("A") == "9");
  CHECK(service.environment.get("B") == "3");
  CHECK(service.environment.get("C") == "x y");
  CHECK_FALSE(service.environment.get("bad-name"));
  REQUIRE(service.environment_files.size() == 1);
  CHECK(service.environment_files[0] == "-/etc/default/backup");
}

TEST_CASE("booleans and time spans follow systemd", "[unit_file]") {
  CHECK(parse_unit_boolean("YES") == true);
  CHECK(parse_unit_boolean("off") == false);
  CHECK_FALSE(parse_unit_boolean("maybe"));

  CHECK(parse_timespan("1h 30min") == 5400s);
  CHECK(parse_timespan("1h30min") == 5400s);
  CHECK(parse_timespan("90") == 90s);
  CHECK(parse_timespan("2d") == 172800s);
  CHECK(parse_timespan("5m") == 300s);
  CHECK(parse_timespan("5 min") == 300s);
  CHECK(parse_timespan("1.5h") == 5400s);
  CHECK(parse_timespan("1w") == 604800s);
  CHECK(parse_timespan("1M") == 2629800s);
  CHECK(parse_timespan("500ms") == 0s);
  CHECK(parse_timespan("1y") == 31557600s);
  CHECK(parse_timespan("infinity") == std::chrono::seconds::max());
  CHECK_FALSE(parse_timespan(""));
  CHECK_FALSE(parse_timespan("abc"));
  CHECK_FALSE(parse_timespan("5 parsecs"));
  CHECK_FALSE(parse_timespan("-5s"));

  CHECK(describe_timespan(5400s) == "1h 30min");
  CHECK(describe_timespan(172800s) == "2d");
  CHECK(describe_timespan(0s) == "0");
  CHECK(describe_timespan(694861s) == "1w 1d 1h 1min 1s");
}

TEST_CASE("timer triggers in words", "[unit_file]") {
  CHECK(describe_timer_trigger({1, "OnCalendar", "daily"}) == "Every day at 00:00");
  CHECK(describe_timer_trigger({1, "OnBootSec", "15min"}) == "15min after boot");
  CHECK(describe_timer_trigger({1, "OnUnitActiveSec", "1d"}) ==
        "1d after the service last started");
  CHECK(describe_timer_trigger({1, "OnUnitInactiveSec", "90"}) ==
        "1min 30s after the service last finished");
  CHECK(describe_timer_trigger({1, "OnCalendar", "bogus"}) ==
        "invalid OnCalendar= value 'bogus' (systemd ignores it)");
  CHECK(describe_timer_trigger({1, "OnBootSec", "soon"}) ==
        "invalid OnBootSec= value 'soon' (systemd ignores it)");
}
