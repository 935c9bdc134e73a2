// Conversion tables per target. Each row cites where the target states the expected form
// (see /work/shared/notes/migration-targets.md for the full references).

#include "digger/crontab/schedule.hpp"
#include "digger/migrate/expressions.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace digger;
using migrate::Target;
using Strings = std::vector<std::string>;

namespace {

crontab::Schedule sched(const char* text) {
  auto s = crontab::parse_schedule(text);
  REQUIRE(s.ok());
  return s.value();
}

Strings eb(const char* text) {
  return migrate::eventbridge_expressions(sched(text));
}
Strings jenkins(const char* text) {
  return migrate::jenkins_lines(sched(text));
}
std::string k8s(const char* text) {
  return migrate::kubernetes_schedule(sched(text));
}
Strings systemd(const char* text, const char* zone = "") {
  return migrate::systemd_calendars(sched(text), zone);
}
std::string problem(const char* text, Target target) {
  auto p = migrate::schedule_problem(sched(text), target);
  return p ? p->feature : std::string();
}

} // namespace

TEST_CASE("EventBridge: the examples of the AWS guide", "[migrate][eventbridge]") {
  // docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html, table
  // "Examples"; day names there, numbers here (Day-of-week 1-7, SUN = 1, same page).
  CHECK(eb("0 10 * * *") == Strings{"cron(0 10 * * ? *)"});
  CHECK(eb("15 12 * * *") == Strings{"cron(15 12 * * ? *)"});
  CHECK(eb("0 18 * * mon-fri") == Strings{"cron(0 18 ? * 2-6 *)"}); // MON-FRI
  CHECK(eb("0 8 1 * *") == Strings{"cron(0 8 1 * ? *)"});
  CHECK(eb("*/15 * * * *") == Strings{"cron(0/15 * * * ? *)"});
  CHECK(eb("*/10 * * * 1-5") == Strings{"cron(0/10 * ? * 2-6 *)"});     // MON-FRI
  CHECK(eb("*/5 8-17 * * 1-5") == Strings{"cron(0/5 8-17 ? * 2-6 *)"}); // MON-FRI
}

TEST_CASE("EventBridge: pitfalls other converters fell into", "[migrate][eventbridge]") {
  // sanity-io/unix-cron-to-aws-cron test "prioritize day-of-week" gives only
  // cron(0 12 ? * 2 *) and drops the 15th; cron ORs the fields: two schedules.
  CHECK(eb("0 12 15 * 1") == Strings{"cron(0 12 15 * ? *)", "cron(0 12 ? * 2 *)"});
  // lirantal/cron-to-quartz test: "0 4 15-21 * 1" becomes two configurations.
  CHECK(eb("0 4 15-21 * 1") == Strings{"cron(0 4 15-21 * ? *)", "cron(0 4 ? * 2 *)"});
  // lirantal/cron-to-quartz#1: weekdays 1-5 must become 2-6.
  CHECK(eb("00 09-18 * * 1-5") == Strings{"cron(0 9-18 ? * 2-6 *)"});
  // wata727/elastic_whenever#70: Saturday became 0 ("1,2,5,6,0"), which AWS rejects.
  CHECK(eb("30 1,8 * * 0,1,4,5,6") == Strings{"cron(30 1,8 ? * 1-2,5-7 *)"});
  // winglang/wing#7116 and cronie's Sunday as 7: 7 is Sunday = 1, never 8.
  CHECK(eb("0 0 * * 7") == Strings{"cron(0 0 ? * 1 *)"});
  CHECK(eb("0 0 * * 0") == eb("0 0 * * 7"));
  // aws/aws-sdk-js#4212: cron(*/60 ...) is rejected; cronie fires at :00 only.
  CHECK(eb("*/60 * * * *") == Strings{"cron(0 * * * ? *)"});
  // A step that stops before the field's end has no exact EventBridge step form.
  CHECK(eb("0-30/10 * * * *") == Strings{"cron(0,10,20,30 * * * ? *)"});
  CHECK(eb("5-59/20 * * * *") == Strings{"cron(5/20 * * * ? *)"});
}

TEST_CASE("EventBridge: the '*'-led day field ANDs the days and cannot be written",
          "[migrate][eventbridge]") {
  // cron-semantics.md §4: "0 0 */2 * sun" runs on odd-dated Sundays only.
  CHECK(problem("0 0 */2 * sun", migrate::target_named("eventbridge")) == "day-and-rule");
  CHECK(problem("0 0 */2 * sun", migrate::target_named("eventbridge-rule")) == "day-and-rule");
  // But a '*'-led day field that leaves the other unrestricted is fine.
  CHECK(eb("0 0 */2 * *") == Strings{"cron(0 0 1/2 * ? *)"});
  CHECK(eb("0 0 * * */2") == Strings{"cron(0 0 ? * 1,3,5,7 *)"});
  // Both restricted without '*': OR; 1-31 covers every day.
  CHECK(eb("0 0 1-31 * 1") == Strings{"cron(0 0 * * ? *)"});
}

TEST_CASE("Jenkins: numbers only, AND of every field, several lines for the OR",
          "[migrate][jenkins]") {
  // hudson/scheduler CrontabLexer.g4 has digits only: names become numbers.
  CHECK(jenkins("0 9 * jan,jul mon-fri") == Strings{"0 9 * 1,7 1-5"});
  // help-spec.jelly: "*/X" and "M-N/X" are Jenkins steps; 0-7 with Sunday 0 or 7.
  CHECK(jenkins("*/15 9-17/2 * * *") == Strings{"*/15 9-17/2 * * *"});
  // CronTab.check ANDs day of month and weekday; CronTabList fires on any line.
  CHECK(jenkins("30 4 1,15 * 5") == Strings{"30 4 1,15 * *", "30 4 * * 5"});
  // The '*'-led AND is native to Jenkins: one line.
  CHECK(jenkins("0 0 */2 * sun") == Strings{"0 0 */2 * 0"});
  // CrontabParser.g4: @weekly is "H H * * H" (hashed); cron's @weekly is Sunday 00:00.
  CHECK(jenkins("@weekly") == Strings{"0 0 * * 0"});
  CHECK(jenkins("@midnight") == Strings{"0 0 * * *"}); // not H H(0-2) * * *
  // BaseParser rejects start > end: a reversed range is refused, never written.
  CHECK(problem("0 0 * * 5-2", migrate::target_named("jenkins")) == "never-fires");
}

TEST_CASE("Kubernetes: robfig/cron reading of the same days", "[migrate][k8s]") {
  // kubernetes.io CronJob docs: the macros mean what cron's mean; written out anyway.
  CHECK(k8s("@yearly") == "0 0 1 1 *");
  CHECK(k8s("@annually") == "0 0 1 1 *");
  CHECK(k8s("@monthly") == "0 0 1 * *");
  CHECK(k8s("@weekly") == "0 0 * * 0");
  CHECK(k8s("@daily") == "0 0 * * *");
  CHECK(k8s("@midnight") == "0 0 * * *");
  CHECK(k8s("@hourly") == "0 * * * *");
  // kubernetes/website#44700: 7 is rejected, Sunday is 0.
  CHECK(k8s("0 0 * * 7") == "0 0 * * 0");
  // aws/karpenter-provider-aws#8793: "sat-sun" fails as a reversed range.
  CHECK(k8s("0 0 * * sat-sun") == "0 0 * * 0,6");
  // robfig spec_test "verifies #70": "* * */10 * Sun" matches Sunday the 15th (OR);
  // in cron it is an AND, which robfig cannot express.
  CHECK(problem("* * */10 * Sun", migrate::target_named("k8s")) == "day-and-rule");
  // A '*/n' day with the other field '*': robfig ANDs with the star field, as cron does.
  CHECK(k8s("0 0 */10 * *") == "0 0 */10 * *");
  // The OR of two restricted fields is the same in both.
  CHECK(k8s("30 4 1,15 * 5") == "30 4 1,15 * 5");
  // Both restricted, but one covers everything: cron ORs, so every day.
  CHECK(k8s("0 0 1-31 * 1") == "0 0 * * *");
  // A '*/2' weekday ORed with a date would read as OR in robfig; cron ANDs it.
  CHECK(problem("0 0 1,15 * */2", migrate::target_named("k8s")) == "day-and-rule");
}

TEST_CASE("systemd: OnCalendar with names and the OR split", "[migrate][systemd]") {
  // systemd-cron test "henry's-calendar": "1 2 3 4 5" -> "Fri *-4-3 2:1:00" (one ANDed
  // line, contradicting crontab(5)); cron ORs, so two lines.
  CHECK(systemd("1 2 3 4 5") == Strings{"*-4-3 2:1:00", "Fri *-4-* 2:1:00"});
  // systemd.time(7): "weekly" is Monday; cron's @weekly is Sunday.
  CHECK(systemd("@weekly") == Strings{"Sun *-*-* 0:0:00"});
  CHECK(systemd("@monthly") == Strings{"*-*-1 0:0:00"});
  CHECK(systemd("@yearly") == Strings{"*-1-1 0:0:00"});
  CHECK(systemd("@hourly") == Strings{"*-*-* *:0:00"});
  // opencode-scheduler#9: '*' is no weekday; an unrestricted weekday is omitted.
  CHECK(systemd("0 9 * * *") == Strings{"*-*-* 9:0:00"});
  // Weekday ranges are built Monday first ("Mon..Fri", systemd.time(7)).
  CHECK(systemd("0 9 * * 1-5") == Strings{"Mon..Fri *-*-* 9:0:00"});
  CHECK(systemd("0 9 * * 0,1,2") == Strings{"Mon,Tue,Sun *-*-* 9:0:00"});
  // No repetitions: systemd skips the first value of "a/n" after a rollover (systemd#22665,
  // checked with systemd-analyze 252 in tests/migrate), so steps become lists.
  CHECK(systemd("*/15 0-12/3 * * *") == Strings{"*-*-* 0,3,6,9,12:0,15,30,45:00"});
  // The AND of a '*'-led day field is native (weekday and date are ANDed).
  CHECK(systemd("0 0 */2 * sun") ==
        Strings{"Sun *-*-1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31 0:0:00"});
  // CRON_TZ becomes the zone suffix (systemd-cron test_tz).
  CHECK(systemd("0 3 * * *", "Europe/Paris") == Strings{"*-*-* 3:0:00 Europe/Paris"});
}

TEST_CASE("schedules that cannot be converted are refused, not faked", "[migrate]") {
  for (Target t : {migrate::target_named("eventbridge"), migrate::target_named("eventbridge-rule"),
                   migrate::target_named("batch"), migrate::target_named("jenkins"),
                   migrate::target_named("k8s")}) {
    CHECK(problem("@reboot", t) == "reboot");
  }
  CHECK(problem("@reboot", migrate::target_named("systemd")).empty());
  CHECK(problem("0 0 5-2 * *", migrate::target_named("systemd")) ==
        "never-fires"); // reversed range
  CHECK(problem("0 0 31 2 *", migrate::target_named("eventbridge")) ==
        "never-fires"); // no 31 February
  CHECK(problem("0 0 30 2 */2", migrate::target_named("jenkins")) ==
        "never-fires"); // AND, no 30 Feb
  CHECK(problem("0 0 5-2 * 1", migrate::target_named("eventbridge"))
            .empty()); // OR: still every Monday
  CHECK(eb("0 0 5-2 * 1") == Strings{"cron(0 0 ? * 2 *)"});
  CHECK(problem("0~30 * * * *", migrate::target_named("systemd")) == "random-field");
}
