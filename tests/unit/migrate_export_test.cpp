// `digger-scan export`, pure part: selection, the plan, the file set, the report.

#include "digger/migrate/export_files.hpp"
#include "digger/migrate/export_plan.hpp"
#include "digger/migrate/migration_report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <set>

#include "source_kind_fixture.hpp"

using namespace digger;
using namespace digger::migrate;

namespace {

ExportJob crontab_job(std::string host, std::string owner, std::vector<std::string> lines,
                      std::string zone = "UTC") {
  ExportJob job;
  job.host = std::move(host);
  job.owner = std::move(owner);
  job.host_zone = std::move(zone);
  digger::report::test::set_source_kind(job, "user");
  job.file = "/var/spool/cron/crontabs/" + job.owner;
  job.line = static_cast<int>(lines.size());
  std::vector<CrontabLine> file;
  for (size_t i = 0; i < lines.size(); ++i) {
    file.push_back({static_cast<int>(i + 1), i + 1 < lines.size(), lines[i]});
  }
  job.file_lines = std::make_shared<const std::vector<CrontabLine>>(std::move(file));
  job.raw_line = lines.back();
  job.command = job.raw_line.substr(job.raw_line.find('/'));
  job.language = "shell";
  return job;
}

catalog::ScanSummary scan() {
  catalog::ScanSummary s;
  s.id = 7;
  s.started_at = "2026-11-18T02:00:00Z";
  s.finished_at = "2026-11-18T02:01:00Z";
  s.status = catalog::ScanStatus::complete;
  return s;
}

ExportPlan plan_of(std::vector<ExportJob> jobs, Target target) {
  Selection selection;
  selection.jobs = std::move(jobs);
  return plan_export(selection, target, scan());
}

const OutputFile* find_file(const std::vector<OutputFile>& files, const std::string& path) {
  auto it =
      std::find_if(files.begin(), files.end(), [&](const OutputFile& f) { return f.path == path; });
  return it == files.end() ? nullptr : &*it;
}

bool has_lost(const ExportedJob& job, const std::string& feature, LossLevel level) {
  return std::any_of(job.conversion.lost.begin(), job.conversion.lost.end(),
                     [&](const Lost& l) { return l.feature == feature && l.level == level; });
}

} // namespace

TEST_CASE("export selection skips managed, migrated, not-loaded and run-parts lines unless --all",
          "[migrate][export]") {
  std::vector<ExportJob> jobs(7);
  jobs[0].verdict = "hidden";
  jobs[1].verdict = "managed";
  jobs[2].verdict = "migrated";
  jobs[3].verdict = ""; // a catalog older than verdicts
  jobs[4].verdict = "hidden";
  jobs[4].loaded_by_daemon = false;
  jobs[5].verdict = "hidden";
  digger::report::test::set_source_kind(jobs[5], "timer"); // exported like any other hidden job
  jobs[6].verdict = "hidden";
  digger::report::test::set_source_kind(jobs[6], "system");
  jobs[6].command = "cd / && run-parts --report /etc/cron.daily"; // its scripts are jobs
  for (size_t i = 0; i < jobs.size(); ++i) {
    jobs[i].line = static_cast<int>(i + 1);
  }
  const auto hidden = select_jobs(jobs, false);
  REQUIRE(hidden.jobs.size() == 3);
  CHECK(hidden.jobs[0].line == 1);
  CHECK(hidden.jobs[1].line == 4);
  CHECK(hidden.jobs[2].line == 6);
  CHECK(hidden.skipped ==
        std::map<std::string, std::int64_t>{
            {"managed", 1}, {"migrated", 1}, {"not-loaded", 1}, {"runs-run-parts", 1}});
  const auto all = select_jobs(jobs, true);
  CHECK(all.jobs.size() == 7);
  CHECK(all.skipped.empty());

  // Run evidence (docs/evidence.md): a hidden job whose log showed no start is left out and
  // listed, unless asked for; running and unreadable ones stay.
  jobs[0].run_verdict = "no-evidence";
  jobs[3].run_verdict = "log-unreadable";
  jobs[5].run_verdict = "running";
  const auto evidence = select_jobs(jobs, false);
  REQUIRE(evidence.jobs.size() == 2);
  CHECK(evidence.skipped.at("no-evidence") == 1);
  REQUIRE(evidence.no_evidence.size() == 1);
  CHECK(evidence.no_evidence[0].line == 1);
  CHECK(select_jobs(jobs, false, true).jobs.size() == 3);
  CHECK(select_jobs(jobs, true).jobs.size() == 7);
}

TEST_CASE("export reads the env lines above a job, not below it", "[migrate][export]") {
  auto first = crontab_job("h", "root", {"MAILTO=a@x", "0 1 * * * /a"});
  auto second = first;
  second.line = 4;
  second.raw_line = "0 2 * * * /b";
  second.file_lines = std::make_shared<const std::vector<CrontabLine>>(
      std::vector<CrontabLine>{{1, true, "MAILTO=a@x"},
                               {2, false, "0 1 * * * /a"},
                               {3, true, "MAILTO=b@x"},
                               {4, false, "0 2 * * * /b"},
                               {5, true, "SHELL=/bin/bash"}});
  first.file_lines = second.file_lines; // one file, parsed once for both jobs
  const auto plan = plan_of({first, second}, migrate::target_named("systemd"));
  const auto mail_detail = [](const ExportedJob& job) {
    for (const auto& l : job.conversion.lost) {
      if (l.feature == "mail") {
        return l.detail;
      }
    }
    return std::string();
  };
  CHECK(mail_detail(plan.jobs[0]).find("a@x") != std::string::npos);
  CHECK(mail_detail(plan.jobs[1]).find("b@x") != std::string::npos);
  const auto& service = plan.jobs[1].conversion.definitions.at(1).content.get<std::string>();
  CHECK(service.find("ExecStart=/bin/sh -c \"/b\"") != std::string::npos); // SHELL is below
  CHECK(service.find("MAILTO=b@x") != std::string::npos);
}

TEST_CASE("export to systemd: units, marker, carried-over features and lost items",
          "[migrate][export]") {
  auto job = crontab_job(
      "web-01", "alice",
      {"MAILTO=ops@example.com", "API_TOKEN=abc123", "0 3 * * 1-5 /opt/backup.sh"}, "Europe/Paris");
  const auto plan = plan_of({job}, migrate::target_named("systemd"));
  REQUIRE(plan.jobs.size() == 1);
  const ExportedJob& exported = plan.jobs[0];
  REQUIRE(exported.conversion.converted);
  // The token is not written out: the job needs it back before its cut-over.
  CHECK(exported.status == ExportStatus::needs_secret);
  CHECK(exported.marker.empty());
  CHECK(cutover_plan(plan).empty());
  CHECK(has_lost(exported, "secret", LossLevel::workaround));
  CHECK(has_lost(exported, "mail", LossLevel::workaround));
  // Environment lost a value, mail needs a workaround; the rest carried over.
  CHECK(exported.carried_over == std::vector<std::string>{"schedule", "command", "run-as-user",
                                                          "host-binding", "time-zone"});
  const auto files = export_output(plan);
  const auto* service = find_file(files, "systemd/digger-web-01-alice-backup.sh.service");
  const auto* timer = find_file(files, "systemd/digger-web-01-alice-backup.sh.timer");
  REQUIRE(service != nullptr);
  REQUIRE(timer != nullptr);
  CHECK(timer->content.find("OnCalendar=Mon..Fri *-*-* 3:0:00 Europe/Paris") != std::string::npos);
  CHECK(service->content.find("User=alice") != std::string::npos);
  // The hidden value is read from a systemd credential, never written as a value or placeholder.
  CHECK(service->content.find(
            "LoadCredential=API_TOKEN:/etc/credstore/digger.web-01-alice-backup.sh.API_TOKEN\n") !=
        std::string::npos);
  CHECK(service->content.find("API_TOKEN=$$(cat \\\"$$CREDENTIALS_DIRECTORY/API_TOKEN\\\")") !=
        std::string::npos);
  CHECK(service->content.find("<SECRET:") == std::string::npos);
  for (const auto& file : files) {
    INFO(file.path);
    CHECK(file.content.find("abc123") == std::string::npos);
  }
}

TEST_CASE("export lists a job the target cannot express and writes nothing for it",
          "[migrate][export]") {
  auto reboot = crontab_job("db-01", "root", {"@reboot /opt/warm.sh"});
  auto nightly = crontab_job("db-01", "root", {"0 1 * * * /opt/nightly.sh"});
  const auto plan = plan_of({reboot, nightly}, migrate::target_named("eventbridge"));
  REQUIRE_FALSE(plan.jobs[0].conversion.converted);
  CHECK(plan.jobs[0].conversion.definitions.empty());
  CHECK(plan.jobs[0].conversion.lost.front().feature == "reboot");
  CHECK(plan.jobs[0].marker.empty());
  CHECK(plan.jobs[1].conversion.converted);
  const auto files = export_files(plan);
  CHECK(files.locations[0].empty());
  REQUIRE(files.locations[1].size() == 1);
  const auto steps = cutover_plan(plan);
  REQUIRE(steps.size() == 1); // only the converted job is cut over
  CHECK(steps[0].job == 1);
  CHECK(steps[0].replacement ==
        std::vector<std::string>{"# digger: migrated to eventbridge db-01-root-nightly.sh",
                                 "#0 1 * * * /opt/nightly.sh"});
  const auto report = report_json(plan, files);
  CHECK(report["summary"]["not_converted"] == 1);
  CHECK(report["jobs"][0]["marker"].is_null());
  CHECK(report["jobs"][0]["lost"][0]["level"] == "impossible");
}

TEST_CASE("export names are unique across jobs and jobs of other kinds are not faked",
          "[migrate][export]") {
  auto a = crontab_job("web-01", "root", {"0 1 * * * /opt/run.sh a"});
  auto b = crontab_job("web-01", "root", {"0 2 * * * /opt/run.sh b"});
  auto timer = a;
  digger::report::test::set_source_kind(timer, "timer");
  timer.raw_line = "OnCalendar=*-*-* 02:00:30"; // seconds: no cron form
  auto orphan = a;
  orphan.file_lines = std::make_shared<const std::vector<CrontabLine>>(
      std::vector<CrontabLine>{{1, true, "MAILTO=x"}}); // the job line is not in the catalog
  const auto plan = plan_of({a, b, timer, orphan}, migrate::target_named("k8s"));
  CHECK(plan.jobs[0].conversion.definitions.at(0).name == "web-01-root-run-sh");
  CHECK(plan.jobs[1].conversion.definitions.at(0).name == "web-01-root-run-sh-2");
  CHECK(plan.jobs[2].conversion.lost.at(0).feature == "timer-trigger");
  CHECK(plan.jobs[3].conversion.lost.at(0).feature == "unreadable");
  const auto files = export_output(plan);
  CHECK(find_file(files, "k8s/web-01-root-run-sh.yaml") != nullptr);
  CHECK(find_file(files, "k8s/web-01-root-run-sh-2.yaml") != nullptr);
}

TEST_CASE("an at job becomes a run-once schedule where the target has one",
          "[migrate][export][at]") {
  auto at = crontab_job("web-01", "deploy", {"/usr/bin/python3 /opt/x.py"});
  digger::report::test::set_source_kind(at, "at");
  at.file = "/var/spool/cron/atjobs/a0000701cabf56"; // job 7, 2027-03-01 02:30 UTC
  at.line = 1;
  at.command = "/usr/bin/python3 /opt/x.py";
  SECTION("EventBridge Scheduler: at(), in UTC, created disabled; atrm at cut-over") {
    const auto plan = plan_of({at}, migrate::target_named("eventbridge"));
    REQUIRE(plan.jobs.size() == 1);
    const auto& conversion = plan.jobs[0].conversion;
    REQUIRE(conversion.converted);
    CHECK(conversion.schedules == std::vector<std::string>{"at(2027-03-01T02:30:00)"});
    const auto& content = conversion.definitions.at(0).content;
    CHECK(content["ScheduleExpression"] == "at(2027-03-01T02:30:00)");
    CHECK(content["ScheduleExpressionTimezone"] == "UTC");
    CHECK(content["State"] == "DISABLED");
    const auto steps = cutover_plan(plan);
    REQUIRE(steps.size() == 1);
    CHECK(steps[0].disable == "atrm 7");
  }
  SECTION("systemd: a calendar with the full date elapses once") {
    const auto plan = plan_of({at}, migrate::target_named("systemd"));
    REQUIRE(plan.jobs[0].conversion.converted);
    const auto& timer = plan.jobs[0].conversion.definitions.at(0);
    CHECK(timer.content.get<std::string>().find("OnCalendar=2027-03-01 02:30:00 UTC\n") !=
          std::string::npos);
  }
  SECTION("targets without a one-off schedule list it: a recurring one would run it again") {
    for (const char* name : {"k8s", "jenkins", "eventbridge-rule"}) {
      CAPTURE(name);
      const auto plan = plan_of({at}, migrate::target_named(name));
      CHECK_FALSE(plan.jobs[0].conversion.converted);
      REQUIRE(plan.jobs[0].conversion.lost.size() == 1);
      CHECK(plan.jobs[0].conversion.lost[0].feature == "one-off");
      CHECK(plan.jobs[0].conversion.lost[0].detail.find("runs once") != std::string::npos);
    }
  }
  SECTION("a job due before the scan is not scheduled again") {
    at.file = "/var/spool/cron/atjobs/a0000801c81cb0"; // 2026-11-01 04:00 UTC
    const auto plan = plan_of({at}, migrate::target_named("eventbridge"));
    CHECK_FALSE(plan.jobs[0].conversion.converted);
    CHECK(plan.jobs[0].conversion.lost.at(0).detail.find("2026-11-01T04:00:00 UTC") !=
          std::string::npos);
  }
}

TEST_CASE("export file names cannot leave the output directory", "[migrate][export]") {
  CHECK(safe_path_component("../../etc/passwd") == "_.-..-etc-passwd");
  CHECK(safe_path_component("..") == "_.");
  CHECK(safe_path_component("") == "job");
  CHECK(safe_path_component("/abs") == "-abs");
  CHECK(safe_path_component(std::string(300, 'a')).size() == 200);
  CHECK(is_safe_relative_path("systemd/x.timer"));
  CHECK(is_safe_relative_path("cloudformation.json"));
  CHECK_FALSE(is_safe_relative_path("/etc/x"));
  CHECK_FALSE(is_safe_relative_path("a/../b"));
  CHECK_FALSE(is_safe_relative_path("a//b"));
  CHECK_FALSE(is_safe_relative_path("./a"));
  CHECK_FALSE(is_safe_relative_path("a/.."));
  CHECK_FALSE(is_safe_relative_path(""));
  // A hostile host name and command still give files under the target's folder.
  auto job = crontab_job("../../x", "root", {"0 1 * * * /../../`id`$(reboot)/..;"});
  for (auto target : {migrate::target_named("systemd"), migrate::target_named("jenkins"),
                      migrate::target_named("k8s"), migrate::target_named("batch")}) {
    for (const auto& file : export_output(plan_of({job}, target))) {
      INFO(file.path);
      CHECK(is_safe_relative_path(file.path));
    }
  }
}

TEST_CASE("export CloudFormation: placeholders become parameters, host text is never rewritten",
          "[migrate][export]") {
  auto job = crontab_job("web-01", "root", {"0 1 * * * /opt/x.sh '<IMAGE>' '${AWS::Region}'"});
  const auto plan = plan_of({job}, migrate::target_named("batch"));
  const auto files = export_files(plan);
  REQUIRE(files.files.size() == 1);
  CHECK(files.files[0].path == "cloudformation.json");
  const auto cfn = nlohmann::json::parse(files.files[0].content);
  CHECK(cfn["Parameters"].contains("SchedulerRoleArn"));
  CHECK(cfn["Parameters"].contains("JobQueueArn"));
  CHECK(cfn["Parameters"].contains("Image"));
  CHECK_FALSE(cfn["Parameters"].contains("EventsRoleArn"));
  const auto& definition = cfn["Resources"]["JobDefinitionWeb01RootXSh"];
  CHECK(definition["Type"] == "AWS::Batch::JobDefinition");
  const auto& container = definition["Properties"]["ContainerProperties"];
  CHECK(container["Image"] == nlohmann::json{{"Ref", "Image"}});
  CHECK(container["Command"][2] == "/opt/x.sh '<IMAGE>' '${AWS::Region}'");
  const auto& schedule = cfn["Resources"]["ScheduleWeb01RootXShSchedule"];
  CHECK(schedule["DependsOn"] == "JobDefinitionWeb01RootXSh");
  CHECK(schedule["Properties"]["Target"]["RoleArn"] == nlohmann::json{{"Ref", "SchedulerRoleArn"}});
  const auto& input = schedule["Properties"]["Target"]["Input"]["Fn::Join"][1];
  CHECK(input[1] == nlohmann::json{{"Ref", "JobQueueArn"}});
  CHECK(files.locations[0] ==
        std::vector<std::string>{"cloudformation.json#JobDefinitionWeb01RootXSh",
                                 "cloudformation.json#ScheduleWeb01RootXShSchedule"});
}

TEST_CASE("export CloudFormation splits at 500 resources, keeping a job's resources together",
          "[migrate][export]") {
  std::vector<ExportJob> jobs;
  for (int i = 0; i < 260; ++i) { // cron's OR: two schedules per job, 520 resources
    auto job = crontab_job("h", "root", {"0 12 15 * 1 /opt/r.sh"});
    jobs.push_back(job);
  }
  const auto files = export_files(plan_of(jobs, migrate::target_named("eventbridge")));
  REQUIRE(files.files.size() == 2);
  CHECK(files.files[0].path == "cloudformation-001.json");
  const auto first = nlohmann::json::parse(files.files[0].content);
  const auto second = nlohmann::json::parse(files.files[1].content);
  CHECK(first["Resources"].size() == 500);
  CHECK(second["Resources"].size() == 20);
  const auto notes = export_notes(plan_of(jobs, migrate::target_named("eventbridge")), files);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("split into 2 templates") != std::string::npos);
  const auto rules = plan_of(jobs, migrate::target_named("eventbridge-rule"));
  const auto rule_notes = export_notes(rules, export_files(rules));
  CHECK(rule_notes.size() == 2); // 520 rules: over the quota, and split
  CHECK(rule_notes[0].find("this export has 520") != std::string::npos);
}

TEST_CASE("export YAML quotes every string so host text cannot change the document",
          "[migrate][export]") {
  nlohmann::ordered_json value = {
      {"kind", "CronJob"},
      {"on", "yes"},
      {"list", {"a: b", "- c", nlohmann::ordered_json::object(), 3, true}},
      {"nested", {{{"x", "\n#\x7f"}}}}};
  CHECK(to_yaml(value) == "kind: \"CronJob\"\n"
                          "\"on\": \"yes\"\n"
                          "list:\n"
                          "  - \"a: b\"\n"
                          "  - \"- c\"\n"
                          "  - {}\n"
                          "  - 3\n"
                          "  - true\n"
                          "nested:\n"
                          "  - x: \"\\n#\\u007f\"\n");
}

TEST_CASE("export Markdown keeps host text inside code spans", "[migrate][export]") {
  auto job = crontab_job("web-01", "root", {"0 1 * * * /opt/a.sh `x` ``y`` <b> \xff\x1b"});
  const auto plan = plan_of({job}, migrate::target_named("jenkins"));
  const auto markdown = report_markdown(plan, export_files(plan));
  // Longer fence than any backtick run; invalid UTF-8 replaced, control characters as '?'.
  CHECK(markdown.find("``` /opt/a.sh `x` ``y`` <b> \xef\xbf\xbd? ```") != std::string::npos);
  CHECK(markdown.find('\xff') == std::string::npos);
  CHECK(markdown.find("## Cut-over plan") != std::string::npos);
  CHECK(markdown.find("# digger: migrated to jenkins web-01-root-a.sh") != std::string::npos);
}
