#include "digger/crontab/crontab.hpp"
#include "digger/migrate/conversion.hpp"

#include <catch2/catch.hpp>
#include <date/date.h>

#include <algorithm>
#include <set>
#include <string>

using namespace digger;
using migrate::LossLevel;
using migrate::Target;

namespace {

crontab::Job make_job(const char* schedule, const char* command) {
  auto parsed = crontab::parse_schedule(schedule);
  REQUIRE(parsed.ok());
  crontab::Job job;
  job.schedule = parsed.value();
  job.schedule_text = schedule;
  job.command = command;
  return job;
}

migrate::JobContext context() {
  using namespace date;
  migrate::JobContext c;
  c.host = "web01";
  c.owner = "alice";
  c.reference = sys_seconds{sys_days{2026_y / January / 1}};
  return c;
}

migrate::Conversion convert(const crontab::Job& job, Target target,
                            const migrate::JobContext& c = context()) {
  std::set<std::string> used;
  return migrate::convert_job(job, c, target, used);
}

const migrate::Lost* find_lost(const migrate::Conversion& c, const std::string& feature) {
  auto it = std::find_if(c.lost.begin(), c.lost.end(),
                         [&](const migrate::Lost& l) { return l.feature == feature; });
  return it == c.lost.end() ? nullptr : &*it;
}

bool lost_as(const migrate::Conversion& c, const std::string& feature, LossLevel level) {
  const auto* l = find_lost(c, feature);
  return l != nullptr && l->level == level;
}

std::string text_of(const migrate::Conversion& c, const std::string& kind) {
  for (const auto& d : c.definitions) {
    if (d.kind == kind) {
      return d.content.get<std::string>();
    }
  }
  FAIL("no definition of kind " << kind);
  return {};
}

const nlohmann::ordered_json& content_of(const migrate::Conversion& c, const std::string& kind) {
  for (const auto& d : c.definitions) {
    if (d.kind == kind) {
      return d.content;
    }
  }
  FAIL("no definition of kind " << kind);
  return c.definitions.front().content;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("@reboot is refused everywhere but systemd", "[migrate][conversion]") {
  const auto job = make_job("@reboot", "/usr/local/bin/warm-cache");
  for (Target t : {migrate::target_named("eventbridge"), migrate::target_named("eventbridge-rule"),
                   migrate::target_named("batch"), migrate::target_named("jenkins"),
                   migrate::target_named("k8s")}) {
    const auto c = convert(job, t);
    CHECK_FALSE(c.converted);
    CHECK(c.schedules.empty());
    CHECK(c.definitions.empty());
    CHECK(lost_as(c, "reboot", LossLevel::impossible));
  }
  const auto c = convert(job, migrate::target_named("systemd"));
  REQUIRE(c.converted);
  CHECK(contains(text_of(c, "systemd-timer"), "\nOnBootSec=1min\n"));
  CHECK_FALSE(contains(text_of(c, "systemd-timer"), "OnCalendar"));
  CHECK(lost_as(c, "reboot", LossLevel::workaround));
}

TEST_CASE("every macro is expanded to what cron means", "[migrate][conversion]") {
  // cron-semantics.md §3; EventBridge has no macros, Sunday is 1.
  const std::pair<const char*, const char*> rows[] = {
      {"@yearly", "cron(0 0 1 1 ? *)"},  {"@annually", "cron(0 0 1 1 ? *)"},
      {"@monthly", "cron(0 0 1 * ? *)"}, {"@weekly", "cron(0 0 ? * 1 *)"},
      {"@daily", "cron(0 0 * * ? *)"},   {"@midnight", "cron(0 0 * * ? *)"},
      {"@hourly", "cron(0 * * * ? *)"},
  };
  for (const auto& [macro, expected] : rows) {
    INFO(macro);
    const auto c = convert(make_job(macro, "x"), migrate::target_named("eventbridge"));
    REQUIRE(c.converted);
    CHECK(c.schedules == std::vector<std::string>{expected});
  }
  // systemd's own "weekly" would be Monday.
  const auto weekly = convert(make_job("@weekly", "x"), migrate::target_named("systemd"));
  CHECK(contains(text_of(weekly, "systemd-timer"), "OnCalendar=Sun *-*-* 0:0:00\n"));
}

TEST_CASE("% stdin: StandardInputData on systemd, a here-doc elsewhere", "[migrate][conversion]") {
  auto job = make_job("0 6 * * *", "mail -s hi joe");
  job.stdin_data = "Dear Joe,\nbye\n";
  const auto sd = convert(job, migrate::target_named("systemd"));
  const std::string service = text_of(sd, "systemd-service");
  CHECK(contains(service, "StandardInput=data\nStandardInputData=RGVhciBKb2UsCmJ5ZQo=\n"));
  CHECK(find_lost(sd, "stdin") == nullptr);

  const auto k8s = convert(job, migrate::target_named("k8s"));
  const auto& command = content_of(
      k8s,
      "k8s-cronjob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["command"];
  CHECK(command[0] == "/bin/sh");
  CHECK(command[1] == "-c");
  CHECK(command[2] == "{ mail -s hi joe\n} <<'DIGGER_STDIN'\nDear Joe,\nbye\nDIGGER_STDIN\n");
  CHECK(lost_as(k8s, "stdin", LossLevel::workaround));

  job.stdin_data = "DIGGER_STDIN\n"; // the delimiter must not end the here-doc early
  const auto tricky = convert(job, migrate::target_named("batch"));
  const auto& cmd = content_of(tricky, "batch-job-definition")["containerProperties"]["command"];
  CHECK(cmd[2] == "{ mail -s hi joe\n} <<'DIGGER_STDIN_'\nDIGGER_STDIN\nDIGGER_STDIN_\n");
}

TEST_CASE("MAILTO: mail is lost unless cron would send none", "[migrate][conversion]") {
  auto job = make_job("0 6 * * *", "x");
  const auto unset = convert(job, migrate::target_named("systemd"));
  REQUIRE(find_lost(unset, "mail") != nullptr);
  CHECK(contains(find_lost(unset, "mail")->detail, "alice")); // the owner gets the mail
  job.environment.push_back({"MAILTO", "ops@example.com"});
  CHECK(contains(find_lost(convert(job, migrate::target_named("jenkins")), "mail")->detail,
                 "ops@example.com"));
  CHECK(lost_as(convert(job, migrate::target_named("k8s")), "mail", LossLevel::impossible));
  crontab::Job quiet = make_job("0 6 * * *", "x");
  quiet.environment.push_back({"MAILTO", ""});
  CHECK(find_lost(convert(quiet, migrate::target_named("k8s")), "mail") == nullptr);
}

TEST_CASE("run-as user per target", "[migrate][conversion]") {
  auto job = make_job("0 6 * * *", "x");
  job.user = "bob"; // system crontab user column
  CHECK(contains(text_of(convert(job, migrate::target_named("systemd")), "systemd-service"),
                 "\nUser=bob\n"));
  CHECK(content_of(convert(job, migrate::target_named("batch")),
                   "batch-job-definition")["containerProperties"]["user"] == "bob");
  const auto unknown = convert(job, migrate::target_named("k8s"));
  CHECK(lost_as(unknown, "run-as-user", LossLevel::workaround));
  const auto& container = content_of(
      unknown, "k8s-cronjob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0];
  CHECK_FALSE(container.contains("securityContext"));
  auto c = context();
  c.uids["bob"] = 1001;
  const auto known = convert(job, migrate::target_named("k8s"), c);
  CHECK(find_lost(known, "run-as-user") == nullptr);
  CHECK(content_of(known, "k8s-cronjob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
                                        ["containers"][0]["securityContext"]["runAsUser"] == 1001);
  // The SSM script switches user, since SSM runs as root.
  const auto eb = convert(job, migrate::target_named("eventbridge"));
  const std::string input = content_of(eb, "scheduler-schedule")["Target"]["Input"];
  CHECK(contains(input, "sudo -H -u 'bob' -- /bin/sh -c 'x'"));
  CHECK(lost_as(convert(job, migrate::target_named("jenkins")), "run-as-user",
                LossLevel::workaround));
}

TEST_CASE("overlapping runs and flock -n", "[migrate][conversion]") {
  const auto plain = make_job("*/5 * * * *", "/opt/sync");
  const auto locked = make_job("*/5 * * * *", "/usr/bin/flock -n /run/sync.lock /opt/sync");
  auto policy = [](const migrate::Conversion& c) {
    return content_of(c, "k8s-cronjob")["spec"]["concurrencyPolicy"].get<std::string>();
  };
  CHECK(policy(convert(plain, migrate::target_named("k8s"))) == "Allow");
  CHECK(policy(convert(locked, migrate::target_named("k8s"))) == "Forbid");
  CHECK(lost_as(convert(plain, migrate::target_named("systemd")), "overlapping-runs",
                LossLevel::impossible));
  CHECK(find_lost(convert(locked, migrate::target_named("systemd")), "overlapping-runs") ==
        nullptr);
}

TEST_CASE("CRON_TZ and the host's zone", "[migrate][conversion]") {
  auto job = make_job("0 12 * * *", "x");
  job.cron_tz = "America/New_York";
  auto c = context();
  c.host_zone = "Europe/Paris"; // CRON_TZ wins over the host's zone
  CHECK(content_of(convert(job, migrate::target_named("eventbridge"), c),
                   "scheduler-schedule")["ScheduleExpressionTimezone"] == "America/New_York");
  const auto k8s = convert(job, migrate::target_named("k8s"), c);
  CHECK(content_of(k8s, "k8s-cronjob")["spec"]["timeZone"] == "America/New_York");
  CHECK(k8s.schedules == std::vector<std::string>{"0 12 * * *"}); // never TZ= in schedule
  CHECK(contains(text_of(convert(job, migrate::target_named("jenkins"), c), "jenkins-pipeline"),
                 "cron('TZ=America/New_York\\n0 12 * * *')"));
  CHECK(convert(job, migrate::target_named("systemd"), c).schedules ==
        std::vector<std::string>{"*-*-* 12:0:00 America/New_York"});

  const auto no_zone = convert(make_job("0 12 * * *", "x"), migrate::target_named("eventbridge"));
  CHECK(lost_as(no_zone, "time-zone", LossLevel::workaround));
  CHECK_FALSE(content_of(no_zone, "scheduler-schedule").contains("ScheduleExpressionTimezone"));

  job.cron_tz = "Mars/Olympus";
  const auto bad = convert(job, migrate::target_named("eventbridge"));
  CHECK_FALSE(bad.converted);
  CHECK(lost_as(bad, "time-zone", LossLevel::impossible));
}

TEST_CASE("EventBridge rules are UTC only", "[migrate][conversion]") {
  auto c = context();
  c.host_zone = "Europe/Paris";
  const auto dst =
      convert(make_job("0 3 * * *", "x"), migrate::target_named("eventbridge-rule"), c);
  CHECK_FALSE(dst.converted);
  CHECK(lost_as(dst, "utc-only", LossLevel::impossible));

  c.host_zone = "Asia/Tokyo"; // UTC+9 all year: the hours move
  const auto tokyo =
      convert(make_job("0 3 * * *", "x"), migrate::target_named("eventbridge-rule"), c);
  REQUIRE(tokyo.converted);
  CHECK(tokyo.schedules == std::vector<std::string>{"cron(0 18 * * ? *)"});
  CHECK(lost_as(tokyo, "utc-only", LossLevel::workaround));
  // Monday 03:00 in Tokyo is Sunday 18:00 UTC (EventBridge Sunday = 1).
  CHECK(
      convert(make_job("0 3 * * 1", "x"), migrate::target_named("eventbridge-rule"), c).schedules ==
      std::vector<std::string>{"cron(0 18 ? * 1 *)"});
  // The 15th at 03:00 Tokyo is the 14th or the 31st... in UTC: refused.
  CHECK_FALSE(
      convert(make_job("0 3 15 * *", "x"), migrate::target_named("eventbridge-rule"), c).converted);
  CHECK(convert(make_job("0 12 15 * *", "x"), migrate::target_named("eventbridge-rule"), c)
            .schedules == std::vector<std::string>{"cron(0 3 15 * ? *)"});

  c.host_zone = "Etc/UTC";
  const auto utc =
      convert(make_job("0 3 * * *", "x"), migrate::target_named("eventbridge-rule"), c);
  CHECK(utc.schedules == std::vector<std::string>{"cron(0 3 * * ? *)"});
  CHECK(find_lost(utc, "utc-only") == nullptr);
}

TEST_CASE("DST: cron's catch-up and the repeated hour", "[migrate][conversion]") {
  auto c = context();
  c.host_zone = "Europe/Paris"; // 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00
  const auto gap = convert(make_job("30 2 * * *", "x"), migrate::target_named("eventbridge"), c);
  REQUIRE(find_lost(gap, "dst-catch-up") != nullptr);
  CHECK(find_lost(gap, "dst-catch-up")->level == LossLevel::impossible);
  CHECK(contains(find_lost(gap, "dst-catch-up")->detail, "2026-03-29 02:30"));
  // The same fixed-time job runs once in the repeated hour under cron and Scheduler, twice
  // under Kubernetes (kubernetes#121594).
  CHECK(find_lost(gap, "dst-repeated-hour") == nullptr);
  const auto k8s = convert(make_job("30 2 * * *", "x"), migrate::target_named("k8s"), c);
  CHECK(contains(find_lost(k8s, "dst-repeated-hour")->detail, "2026-10-25 02:30"));
  // A wildcard job runs on both passes under cron, once under Scheduler.
  const auto every =
      convert(make_job("*/15 * * * *", "x"), migrate::target_named("eventbridge"), c);
  CHECK(lost_as(every, "dst-repeated-hour", LossLevel::impossible));
  CHECK(find_lost(every, "dst-catch-up") == nullptr);
  // Away from the changes nothing is lost.
  const auto noon = convert(make_job("0 12 * * *", "x"), migrate::target_named("k8s"), c);
  CHECK(find_lost(noon, "dst-catch-up") == nullptr);
  CHECK(find_lost(noon, "dst-repeated-hour") == nullptr);
  // Sunday-only jobs meet the Sunday changes; weekday jobs at 02:30 do not.
  CHECK(find_lost(convert(make_job("30 2 * * 1-5", "x"), migrate::target_named("systemd"), c),
                  "dst-catch-up") == nullptr);
}

TEST_CASE("RANDOM_DELAY", "[migrate][conversion]") {
  auto job = make_job("0 4 * * *", "x");
  job.environment.push_back({"RANDOM_DELAY", "30"});
  const auto flexible = convert(job, migrate::target_named("eventbridge"));
  const auto& window = content_of(flexible, "scheduler-schedule")["FlexibleTimeWindow"];
  CHECK(window["Mode"] == "FLEXIBLE");
  CHECK(window["MaximumWindowInMinutes"] == 30);
  CHECK(contains(text_of(convert(job, migrate::target_named("systemd")), "systemd-timer"),
                 "RandomizedDelaySec=30min"));
  CHECK(lost_as(convert(job, migrate::target_named("eventbridge-rule")), "random-delay",
                LossLevel::impossible));
  CHECK(content_of(convert(make_job("0 4 * * *", "x"), migrate::target_named("eventbridge")),
                   "scheduler-schedule")["FlexibleTimeWindow"]["Mode"] == "OFF");
}

TEST_CASE("the OR of the day fields gives two linked definitions", "[migrate][conversion]") {
  const auto c =
      convert(make_job("0 12 15 * 1", "/opt/report.sh"), migrate::target_named("eventbridge"));
  REQUIRE(c.definitions.size() == 2);
  CHECK(c.definitions[0].name == "web01-alice-report.sh-dom");
  CHECK(c.definitions[1].name == "web01-alice-report.sh-dow");
  CHECK(contains(c.definitions[1].content["Description"], "part 2 of 2"));
  const auto sd =
      convert(make_job("0 12 15 * 1", "/opt/report.sh"), migrate::target_named("systemd"));
  CHECK(contains(text_of(sd, "systemd-timer"),
                 "OnCalendar=*-*-15 12:0:00\nOnCalendar=Mon *-*-* 12:0:00\n"));
}

TEST_CASE("Batch: job definition and its schedule", "[migrate][conversion]") {
  auto job = make_job("0 2 * * *", "pg_dump app > /backup/app.sql");
  job.environment.push_back({"PGHOST", "db"});
  job.environment.push_back({"AWS_BATCH_X", "1"});
  const auto c = convert(job, migrate::target_named("batch"));
  REQUIRE(c.converted);
  const auto& def = content_of(c, "batch-job-definition");
  CHECK(def["containerProperties"]["command"] ==
        nlohmann::ordered_json::array({"/bin/sh", "-c", "pg_dump app > /backup/app.sql"}));
  CHECK(def["containerProperties"]["environment"] ==
        nlohmann::ordered_json::array({{{"name", "PGHOST"}, {"value", "db"}}}));
  CHECK(def["timeout"]["attemptDurationSeconds"] == 3600);
  CHECK(c.definitions[0].name == "web01-alice-pg_dump");
  CHECK(c.definitions[1].name == "web01-alice-pg_dump-schedule");
  const auto& schedule = content_of(c, "scheduler-schedule");
  CHECK(schedule["Name"] == "web01-alice-pg_dump-schedule");
  CHECK(nlohmann::json::parse(schedule["Target"]["Input"].get<std::string>())["JobDefinition"] ==
        "web01-alice-pg_dump");
  CHECK(schedule["Target"]["Arn"] == "arn:aws:scheduler:::aws-sdk:batch:submitJob");
  CHECK(lost_as(c, "environment", LossLevel::impossible)); // AWS_BATCH_X
  CHECK(lost_as(c, "host-binding", LossLevel::impossible));
  CHECK(lost_as(c, "timeout", LossLevel::workaround));
}

TEST_CASE("unit files escape specifiers and variables", "[migrate][conversion]") {
  auto job = make_job("0 0 * * *", "echo \"$HOME\" 100% \\ done");
  job.environment.push_back({"GREETING", "say \"hi\" 50%"});
  const std::string service =
      text_of(convert(job, migrate::target_named("systemd")), "systemd-service");
  CHECK(contains(service, "ExecStart=/bin/sh -c \"echo \\\"$$HOME\\\" 100%% \\\\ done\"\n"));
  CHECK(contains(service, "Environment=\"GREETING=say \\\"hi\\\" 50%%\"\n"));
}

TEST_CASE("names stay unique across jobs", "[migrate][conversion]") {
  std::set<std::string> used;
  const auto job = make_job("0 1 * * *", "/opt/Tools/Run_Report.sh --full");
  const auto a = migrate::convert_job(job, context(), migrate::target_named("k8s"), used);
  const auto b = migrate::convert_job(job, context(), migrate::target_named("k8s"), used);
  CHECK(a.definitions[0].name == "web01-alice-run-report-sh");
  CHECK(b.definitions[0].name == "web01-alice-run-report-sh-2");
}

TEST_CASE("JSON form", "[migrate][conversion]") {
  const auto j =
      migrate::to_json(convert(make_job("0 12 * * 1", "x"), migrate::target_named("eventbridge")));
  CHECK(j["target"] == "eventbridge");
  CHECK(j["converted"] == true);
  CHECK(j["schedules"] == nlohmann::ordered_json::array({"cron(0 12 ? * 2 *)"}));
  REQUIRE(j["definitions"].size() == 1);
  CHECK(j["definitions"][0]["kind"] == "scheduler-schedule");
  for (const auto& l : j["lost"]) {
    CHECK((l["level"] == "workaround" || l["level"] == "impossible"));
    CHECK_FALSE(l["detail"].get<std::string>().empty());
  }
  const auto refused =
      migrate::to_json(convert(make_job("0 0 5-2 * *", "x"), migrate::target_named("jenkins")));
  CHECK(refused["converted"] == false);
  CHECK(refused["schedules"].empty());
  CHECK(refused["lost"][0]["feature"] == "never-fires");
  CHECK(refused["lost"][0]["level"] == "impossible");
}

TEST_CASE("untrusted text stays inside its quotes", "[migrate][conversion]") {
  auto job = make_job("0 1 * * *", "x");
  job.environment.push_back({"SHELL", "/bin/bash; touch /tmp/pwned"});
  const auto eb = convert(job, migrate::target_named("eventbridge"));
  const std::string input = content_of(eb, "scheduler-schedule")["Target"]["Input"];
  CHECK(contains(input, "'/bin/bash; touch /tmp/pwned' -c 'x'"));
  job.user = "bob\nExecStartPre=/bin/evil"; // not a user name: refused, not written
  const auto sd = convert(job, migrate::target_named("systemd"));
  CHECK_FALSE(sd.converted);
  CHECK(lost_as(sd, "run-as-user", LossLevel::impossible));
  CHECK(sd.definitions.empty());
  auto cr = make_job("0 1 * * *", "x");
  cr.schedule_text = "0 1 * * *\r";
  CHECK_FALSE(
      contains(text_of(convert(cr, migrate::target_named("systemd")), "systemd-timer"), "\r"));
}

namespace {

// Reads back a Groovy single-quoted string starting at `text[pos]` (the opening quote).
std::string groovy_unquote(const std::string& text, size_t pos) {
  REQUIRE(text.at(pos) == '\'');
  std::string out;
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      const char next = text.at(++i);
      out += next == 'n' ? '\n' : next;
    } else if (text[i] == '\'') {
      return out;
    } else {
      out += text[i];
    }
  }
  FAIL("unterminated Groovy string");
  return out;
}

} // namespace

TEST_CASE("Jenkins pipeline: spec lines, zone and a step that survives quoting",
          "[migrate][conversion]") {
  auto job = make_job("30 4 1,15 * 5", "echo \"it's\" \\ ok");
  job.cron_tz = "Europe/Paris";
  const std::string pipeline =
      text_of(convert(job, migrate::target_named("jenkins")), "jenkins-pipeline");
  CHECK(contains(pipeline, "agent { label 'web01' }"));
  const auto cron_at = pipeline.find("cron(");
  REQUIRE(cron_at != std::string::npos);
  CHECK(groovy_unquote(pipeline, cron_at + 5) == "TZ=Europe/Paris\n30 4 1,15 * *\n30 4 * * 5");
  const auto sh_at = pipeline.find("sh '");
  REQUIRE(sh_at != std::string::npos);
  CHECK(groovy_unquote(pipeline, sh_at + 3) == "/bin/sh -c 'echo \"it'\\''s\" \\ ok'");

  auto c = context();
  c.host.clear();
  CHECK(contains(text_of(convert(job, migrate::target_named("jenkins"), c), "jenkins-pipeline"),
                 "agent any\n"));
}
