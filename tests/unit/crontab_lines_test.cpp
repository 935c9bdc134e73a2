// Line classification: comments, env lines (env.c) and job lines (entry.c), one rule each.

#include "digger/crontab/crontab.hpp"

#include <catch2/catch.hpp>

using namespace digger::crontab;

namespace {

ParseOptions user_options() {
  return {};
}

ParseOptions system_options() {
  ParseOptions options;
  options.flavor = CrontabFlavor::system;
  return options;
}

Line one(const std::string& text, const ParseOptions& options = user_options()) {
  auto parsed = parse_crontab(text + "\n", options);
  REQUIRE(parsed.lines.size() == 1);
  return parsed.lines[0];
}

std::string kind_of(const std::string& text, const ParseOptions& options = user_options()) {
  return std::string(line_kind_name(one(text, options).kind));
}

std::string error_of(const std::string& text, const ParseOptions& options = user_options()) {
  Line line = one(text, options);
  CHECK(line.kind == LineKind::invalid);
  return line.error;
}

EnvSetting env_of(const std::string& text) {
  Line line = one(text);
  REQUIRE(line.kind == LineKind::env);
  return *line.env;
}

} // namespace

TEST_CASE("line kind names", "[cron][crontab]") {
  CHECK(line_kind_name(LineKind::job) == "job");
  CHECK(line_kind_name(LineKind::env) == "env");
  CHECK(line_kind_name(LineKind::disabled_job) == "disabled-job");
  CHECK(line_kind_name(LineKind::comment) == "comment");
  CHECK(line_kind_name(LineKind::blank) == "blank");
  CHECK(line_kind_name(LineKind::invalid) == "invalid");
}

TEST_CASE("blank and comment lines", "[cron][crontab]") {
  CHECK(kind_of("") == "blank");
  CHECK(kind_of(" \t ") == "blank");
  CHECK(kind_of("# a note") == "comment");
  CHECK(kind_of("   # indented note") == "comment");
  CHECK(kind_of("#") == "comment");
  // A '#' after a job is part of the command.
  Line job = one("0 1 * * * echo a # not a comment");
  REQUIRE(job.kind == LineKind::job);
  CHECK(job.job->command == "echo a # not a comment");
  // A lone carriage return is not blank for cron: it is read as a job and refused.
  CHECK(error_of("\r") == "bad minute");
}

TEST_CASE("disabled jobs are comments that parse as jobs", "[cron][crontab]") {
  Line line = one("#0 3 * * * /usr/local/bin/cleanup");
  REQUIRE(line.kind == LineKind::disabled_job);
  CHECK(line.job->command == "/usr/local/bin/cleanup");
  CHECK(kind_of("#  @daily /bin/rotate") == "disabled-job");
  CHECK(kind_of("# m h  dom mon dow   command") == "comment");
  CHECK(kind_of("# 0 3 * * *") == "comment"); // no command
  CHECK(kind_of("#0 3 * * * root /bin/x") == "disabled-job");
  CHECK(kind_of("#0 3 * * * root", system_options()) == "comment"); // no command after user
  // The examples distributions ship in comments are not disabled jobs.
  CHECK(kind_of("# *  *  *  *  * user-name command to be executed", system_options()) == "comment");
  CHECK(kind_of("# 0 5 * * 1 tar -zcf /var/backups/home.tgz /home/") == "comment");
}

TEST_CASE("env lines follow env.c's state machine", "[cron][crontab][env]") {
  CHECK(env_of("SHELL=/bin/bash") == EnvSetting{"SHELL", "/bin/bash"});
  CHECK(env_of("PATH = /usr/bin:/bin") == EnvSetting{"PATH", "/usr/bin:/bin"});
  CHECK(env_of("  INDENTED=yes") == EnvSetting{"INDENTED", "yes"});
  CHECK(env_of("A=b c  \t") == EnvSetting{"A", "b c"}); // unquoted: trailing blanks trimmed
  CHECK(env_of("A=' padded '") == EnvSetting{"A", " padded "});
  CHECK(env_of("A=\"x y\"   ") == EnvSetting{"A", "x y"});
  CHECK(env_of("\"A B\"=c") == EnvSetting{"A B", "c"}); // quoted name
  CHECK(env_of("A=b=c") == EnvSetting{"A", "b=c"});
  CHECK(env_of("A=\"it's\"") == EnvSetting{"A", "it's"});
  CHECK(env_of("PATH=~/bin:$PATH") == EnvSetting{"PATH", "~/bin:$PATH"}); // no expansion
  CHECK(env_of("5=x") == EnvSetting{"5", "x"}); // any name load_env accepts
  CHECK(env_of("MAILTO=") == EnvSetting{"MAILTO", ""});
  CHECK(env_of("MAILTO=\"\"") == EnvSetting{"MAILTO", ""});
  CHECK(env_of("A=b\r") == EnvSetting{"A", "b"}); // CRLF: \r trimmed from the value
  CHECK(env_of("A=\"b\"\r") == EnvSetting{"A", "b"});
}

TEST_CASE("lines that look like env but are jobs", "[cron][crontab][env]") {
  CHECK(error_of("A B=c") == "bad minute");
  CHECK(error_of("FOO=\"bar\" baz") == "bad minute");
  CHECK(error_of("FOO='x") == "bad minute");    // unterminated quote
  CHECK(error_of("\"A=B\"=c") == "bad minute"); // '=' inside a quoted name
  CHECK(error_of("JUSTANAME") == "bad minute");
}

TEST_CASE("Debian cron's env differences", "[cron][crontab][env][vixie]") {
  Line empty = one("MAILTO=");
  CHECK(empty.kind == LineKind::env);
  CHECK(empty.vixie_error == "bad minute");
  Line quoted = one("A=\"'x'\"");
  CHECK(quoted.env->value == "'x'");
  CHECK(quoted.vixie_error.empty());
  CHECK(quoted.daemon_note.find("A=x") != std::string::npos);
  CHECK(one("CRON_TZ=UTC").daemon_note.find("no CRON_TZ") != std::string::npos);
  CHECK(one("MAILTO=\"\"").vixie_error.empty());
}

TEST_CASE("job fields are separated by runs of blanks", "[cron][crontab][job]") {
  Line line = one("  */5\t \t1-3   * jan,Feb\tmon-fri   /bin/run  --flag  ");
  REQUIRE(line.kind == LineKind::job);
  CHECK(line.job->schedule_text == "*/5\t \t1-3   * jan,Feb\tmon-fri");
  CHECK(line.job->command == "/bin/run  --flag  "); // untrimmed on the right
  CHECK(line.job->schedule.minutes.count() == 12);
  CHECK(line.job->schedule.months.count() == 2);
  CHECK(error_of("1, 2 * * * * x") == "bad minute");
}

TEST_CASE("each field reports its own error", "[cron][crontab][job]") {
  CHECK(error_of("60 * * * * x") == "bad minute");
  CHECK(error_of("0 24 * * * x") == "bad hour");
  CHECK(error_of("0 0 32 * * x") == "bad day-of-month");
  CHECK(error_of("0 0 * 13 * x") == "bad month");
  CHECK(error_of("0 0 * * 8 x") == "bad day-of-week");
  CHECK(error_of("0 0 * * 5#3 x") == "bad day-of-week");
  CHECK(error_of("0") == "bad hour"); // the line ends before the hour
  CHECK(error_of("0 0 * *") == "bad day-of-week");
  CHECK(error_of("* * * * *\r") == "bad day-of-week"); // '\r' is no field separator
}

TEST_CASE("macros", "[cron][crontab][job]") {
  Line daily = one("@daily /bin/backup");
  REQUIRE(daily.kind == LineKind::job);
  CHECK(daily.job->schedule.macro == Macro::daily);
  CHECK(daily.job->schedule_text == "@daily");
  CHECK(one("@reboot\t/bin/start").job->schedule.is_reboot());
  CHECK(error_of("@Daily /bin/x") == "bad time specifier");
  CHECK(error_of("@every 5m /bin/x") == "bad time specifier");
  CHECK(error_of("@ daily /bin/x") == "bad time specifier");
  CHECK(error_of("@reboot") == "bad command");
  CHECK(error_of("@hourly   ") == "bad command");
  CHECK(error_of("@hourly *x") == "bad command"); // the typo check applies to macros too
  CHECK(one("@reboot").vixie_error.empty());      // Debian's cron takes an empty command
}

TEST_CASE("the missing-command and sixth-field typo check", "[cron][crontab][job]") {
  CHECK(error_of("* * * * *") == "bad command");
  CHECK(error_of("* * * * *   ") == "bad command");
  CHECK(error_of("* * * * * * /bin/quartz") == "bad command");
  CHECK(error_of("0 0 * * * *cmd") == "bad command");
  CHECK(error_of("* * * * * * root /bin/x", system_options()) == "bad command");
  // Debian's cron has no such check.
  CHECK(one("* * * * * * /bin/quartz").vixie_error.empty());
  CHECK(one("* * * * *").vixie_error.empty());
}

TEST_CASE("system crontabs have a user column", "[cron][crontab][job]") {
  Line line = one("17 * * * *  root\tcd / && run-parts /etc/cron.hourly", system_options());
  REQUIRE(line.kind == LineKind::job);
  CHECK(line.job->user == "root");
  CHECK(line.job->command == "cd / && run-parts /etc/cron.hourly");
  CHECK(error_of("17 * * * * root", system_options()) == "bad command");
  CHECK(error_of("17 * * * * root   ", system_options()) == "bad command");
  CHECK(one("17 * * * * nosuchuser /bin/x", system_options()).kind == LineKind::job);
  CHECK_FALSE(one("17 * * * * root /bin/x").job->user); // user crontab: part of the command
}

TEST_CASE("unknown users: Debian's cron refuses them when the accounts are known",
          "[cron][crontab][vixie]") {
  ParseOptions options = system_options();
  options.known_users = std::vector<std::string>{"root", "www-data"};
  Line unknown = one("0 * * * * deploy /bin/x", options);
  CHECK(unknown.kind == LineKind::job); // cronie checks only when the job runs
  CHECK(unknown.vixie_error == "bad username");
  CHECK(one("0 * * * * www-data /bin/x", options).vixie_error.empty());
  CHECK(one("0 * * * * deploy /bin/x", system_options()).vixie_error.empty());
}

TEST_CASE("cronie's '-' prefix: privileged crontabs only", "[cron][crontab][job]") {
  Line refused = one("-*/5 * * * * /bin/quiet");
  CHECK(refused.kind == LineKind::invalid);
  CHECK(refused.error == "bad option");
  CHECK(refused.daemon_note.find("privileged") != std::string::npos);

  ParseOptions root = user_options();
  root.privileged_owner = true;
  Line quiet = one("-*/5 * * * * /bin/quiet", root);
  REQUIRE(quiet.kind == LineKind::job);
  CHECK(quiet.job->no_syslog);
  CHECK(quiet.job->schedule_text == "*/5 * * * *");
  CHECK(quiet.vixie_error == "bad minute");
  // "-1" in root's crontab is minute 1 with logging off.
  Line minute = one("-1 * * * * /bin/x", root);
  REQUIRE(minute.kind == LineKind::job);
  CHECK(minute.job->schedule.minutes.count() == 1);
  CHECK(minute.job->schedule.minutes.test(1));
  CHECK(one("-@reboot root /bin/x", system_options()).job->no_syslog);
  CHECK(error_of("- 1 * * * * /bin/x", root) == "bad minute");
}

TEST_CASE("cronie's -n option and commands starting with '-'", "[cron][crontab][job]") {
  Line line = one("0 1 * * * -n /bin/backup");
  REQUIRE(line.kind == LineKind::job);
  CHECK(line.job->mail_on_error_only);
  CHECK(line.job->command == "/bin/backup");
  CHECK(one("0 1 * * * root -n\t/bin/x", system_options()).job->mail_on_error_only);
  CHECK(error_of("0 1 * * * -n -n /bin/x") == "bad option");
  CHECK(error_of("0 1 * * * -x /bin/x") == "bad option");
  CHECK(error_of("0 1 * * * -n/bin/x") == "bad option");
  CHECK(error_of("0 1 * * * -") == "bad option");
  CHECK(error_of("0 1 * * * -n ") == "bad command");
  CHECK(error_of("0 1 * * * --help") == "bad option");
  // Debian's cron runs such a command as it is.
  CHECK(one("0 1 * * * -x /bin/x").vixie_error.empty());
  CHECK(one("0 1 * * * -x /bin/x").daemon_note.find("Debian cron accepts") != std::string::npos);
}

TEST_CASE("Debian's cron ignores junk after a valid item", "[cron][crontab][vixie]") {
  CHECK(one("0 0 * * 5#3 x").vixie_error.empty());
  CHECK(one("*x * * * * x").vixie_error.empty());
  CHECK(one("5 * * * *x").vixie_error.empty());
  CHECK(one("*/5/2 * * * * x").vixie_error.empty());
  CHECK(one("5~10 * * * * x").vixie_error.empty());
  CHECK(one("0 0 * * 5L x").vixie_error == "bad day-of-week");
  CHECK(one("~ * * * * x").vixie_error == "bad minute");
  CHECK(one("5/10 * * * * x").vixie_error == "bad minute");
  CHECK(one("*/0 * * * * x").vixie_error == "bad minute");
  CHECK(one("1,,2 * * * * x").vixie_error == "bad minute");
  CHECK(one("70-60 * * * * x").vixie_error == "bad minute");
  CHECK(one("0 0 * * Mon/2 x").vixie_error == "bad day-of-week");
  CHECK(one("0 0 * JANUARY * x").vixie_error == "bad month");
  Line weekend = one("0 0 * * fri-sun x");
  CHECK(weekend.vixie_error.empty());
  CHECK(weekend.job->schedule.days_of_week.test(6)); // cronie: Fri..Sun
  CHECK(weekend.daemon_note.find("range ending in 0") != std::string::npos);
  CHECK(one("0 0 * * 5-0/1 x").daemon_note.empty()); // both read it as empty
}

TEST_CASE("Debian's cron refuses commands of 999 bytes or more", "[cron][crontab][vixie]") {
  Line long_line = one("0 0 * * * " + std::string(999, 'x'));
  CHECK(long_line.kind == LineKind::job);
  CHECK(long_line.vixie_error == "bad command");
  CHECK(one("0 0 * * * " + std::string(998, 'x')).vixie_error.empty());
}
