#include "digger/migrate/field_syntax.hpp"
#include "digger/migrate/job_facts.hpp"
#include "digger/migrate/names.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace digger::migrate;

TEST_CASE("names keep to each target's character set and length", "[migrate][names]") {
  std::set<std::string> used;
  // Scheduler: 1-64 of [0-9a-zA-Z-_.] (botocore scheduler Name shape).
  const std::string eb = unique_name("web01.example.com-root-back up?.sh", used,
                                     name_rules(target_named("eventbridge")));
  CHECK(eb == "web01.example.com-root-back-up-.sh");
  // Kubernetes: a lowercase DNS name of at most 52 characters (CronJob docs).
  const std::string long_base(80, 'A');
  const std::string k8s = unique_name(long_base + "_x", used, name_rules(target_named("k8s")));
  CHECK(k8s.size() == 52);
  CHECK(k8s == std::string(52, 'a'));
  // Batch: [A-Za-z0-9_-], up to 128 (job definition name).
  CHECK(unique_name("a.b", used, name_rules(target_named("batch"))) == "a-b");
  // Nothing usable left: still a valid name.
  CHECK(unique_name("???", used, name_rules(target_named("k8s"))) == "job");
}

TEST_CASE("unique names get a suffix within the limit", "[migrate][names]") {
  std::set<std::string> used;
  const NameRules rules = name_rules(target_named("eventbridge"));
  const std::string base(64, 'x');
  CHECK(unique_name(base, used, rules) == base);
  const std::string second = unique_name(base, used, rules);
  CHECK(second.size() == 64);
  CHECK(second.ends_with("-2"));
  CHECK(unique_name(base, used, rules).ends_with("-3"));
  CHECK(used.size() == 3);
}

TEST_CASE("the program a command runs", "[migrate][names]") {
  CHECK(program_name("/usr/local/bin/backup.sh --full") == "backup.sh");
  CHECK(program_name("LANG=C nice -n 10 /opt/report") == "report");
  CHECK(program_name("flock -n /run/x.lock /opt/sync --all") == "sync");
  CHECK(program_name("/usr/bin/flock -xn /var/lock/sync rsync -a x y") == "rsync");
  CHECK(program_name("timeout 300 php /var/www/cron.php") == "php");
  CHECK(program_name("cd /srv && make") == "cd");
  CHECK(program_name("") == "job");
}

TEST_CASE("flock -n is recognised, other flock uses are not", "[migrate][names]") {
  CHECK(runs_under_nonblocking_flock("flock -n /tmp/l cmd"));
  CHECK(runs_under_nonblocking_flock("/usr/bin/flock -xn /tmp/l cmd"));
  CHECK(runs_under_nonblocking_flock("flock --nonblock /tmp/l cmd"));
  CHECK_FALSE(runs_under_nonblocking_flock("flock /tmp/l cmd -n"));
  CHECK_FALSE(runs_under_nonblocking_flock("flock -w 10 /tmp/l cmd"));
  CHECK_FALSE(runs_under_nonblocking_flock("echo -n flock"));
}

TEST_CASE("base64 as StandardInputData expects it", "[migrate][names]") {
  // RFC 4648 §10 test vectors.
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
  CHECK(base64("foobar") == "Zm9vYmFy");
}

TEST_CASE("fields are written compactly and exactly", "[migrate][fields]") {
  const FieldSyntax cron{"-", StepForm::cron};
  const FieldSyntax eb{"-", StepForm::start_only};
  const FieldSyntax sd{"..", StepForm::start_range};
  CHECK(render_field({0, 15, 30, 45}, 0, 59, cron) == "*/15");
  CHECK(render_field({0, 15, 30, 45}, 0, 59, eb) == "0/15");
  CHECK(render_field({0, 15, 30, 45}, 0, 59, sd) == "0/15");
  CHECK(render_field({5, 10, 15}, 0, 59, cron) == "5-15/5");
  CHECK(render_field({5, 10, 15}, 0, 59, eb) == "5,10,15"); // no exact open-ended step
  CHECK(render_field({5, 10, 15, 20}, 0, 59, sd) == "5..20/5");
  CHECK(render_field({1, 2, 3, 7, 9}, 0, 59, cron) == "1-3,7,9");
  CHECK(render_field({1, 2, 3, 7, 9}, 0, 59, sd) == "1..3,7,9");
  CHECK(render_field({0, 30}, 0, 59, cron) == "0,30"); // two values read better as a list
  std::vector<int> all;
  for (int v = 1; v <= 12; ++v) {
    all.push_back(v);
  }
  CHECK(render_field(all, 1, 12, cron) == "*");
}
