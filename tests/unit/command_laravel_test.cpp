// Laravel's scheduler read from source: the golden Kernel.php and routes/console.php under
// tests/data/laravel use every frequency method once; each expression is the one Laravel's
// ManagesFrequencies computes. Also: comments, strings and HTML never give tasks, what cannot
// be known statically is listed, and the other in-app schedulers are named.
#include "digger/command/command.hpp"
#include "digger/command/laravel_schedule.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

using namespace digger::command;

namespace {

std::string slurp(const std::string& relative) {
  std::ifstream in(std::string(DIGGER_TEST_DATA) + "/laravel/" + relative, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const LaravelTask* find(const LaravelSchedule& s, std::string_view what) {
  for (const auto& t : s.tasks) {
    if (t.what == what) {
      return &t;
    }
  }
  return nullptr;
}

bool mentions(const std::vector<std::string>& texts, std::string_view part) {
  return std::any_of(texts.begin(), texts.end(),
                     [&](const std::string& t) { return t.find(part) != std::string::npos; });
}

} // namespace

TEST_CASE("every frequency method gives Laravel's own cron expression", "[command][laravel]") {
  const auto schedule = read_laravel_schedule(slurp("app/Console/Kernel.php"));
  // clang-format off
  const std::map<std::string, std::string> golden = {
      {"m:every-minute", "* * * * *"},   {"m:two", "*/2 * * * *"},
      {"m:three", "*/3 * * * *"},        {"m:four", "*/4 * * * *"},
      {"m:five", "*/5 * * * *"},         {"m:ten", "*/10 * * * *"},
      {"m:fifteen", "*/15 * * * *"},     {"m:thirty", "*/30 * * * *"},
      {"h:hourly", "0 * * * *"},         {"h:at", "17 * * * *"},
      {"h:at-list", "15,45 * * * *"},    {"h:odd", "0 1-23/2 * * *"},
      {"h:even", "5 0-22/2 * * *"},      {"h:two", "0 */2 * * *"},
      {"h:three", "10 */3 * * *"},       {"h:four", "0 */4 * * *"},
      {"h:six", "0 */6 * * *"},          {"d:daily", "0 0 * * *"},
      {"d:at", "5 13 * * *"},            {"d:at-hour", "0 7 * * *"},
      {"d:twice", "0 1,13 * * *"},       {"d:twice-default", "0 1,13 * * *"},
      {"d:twice-at", "30 3,15 * * *"},   {"w:weekly", "0 0 * * 0"},
      {"w:on", "0 8 * * 1"},             {"w:on-const", "30 17 * * 5"},
      {"w:weekdays", "15 9 * * 1-5"},    {"w:weekends", "* * * * 6,0"},
      {"w:mondays", "* * * * 1"},        {"w:sundays", "0 * * * 0"},
      {"w:days", "0 2 * * 1,3"},         {"w:days-args", "* * * * 2,4"},
      {"mo:monthly", "0 0 1 * *"},       {"mo:on", "0 15 4 * *"},
      {"mo:twice", "0 13 1,16 * *"},     {"q:quarterly", "0 0 1 1-12/3 *"},
      {"q:on", "0 6 2 1-12/3 *"},        {"y:yearly", "0 0 1 1 *"},
      {"y:on", "0 17 1 6 *"},            {"c:cron", "15 2 * * 1-5"},
      {"s:thirty-seconds", "* * * * *"}, {"x:when", "0 0 * * *"},
      {"x:conditional", "0 * * * *"},
  };
  // clang-format on
  for (const auto& [what, expression] : golden) {
    INFO(what);
    const auto* task = find(schedule, what);
    REQUIRE(task);
    CHECK(task->kind == "command");
    CHECK(task->expression == expression);
  }
  CHECK(schedule.tasks.size() == 53);
  CHECK(find(schedule, "m:every-minute")->line == 17);
  CHECK(find(schedule, "s:thirty-seconds")->repeat_seconds == 30);
  CHECK(find(schedule, "x:conditional")->conditions.size() == 1);
  CHECK(find(schedule, "d:daily")->unresolved.empty());
  CHECK(schedule.notes.empty());
}

TEST_CASE("comments, strings and text outside PHP tags give no task", "[command][laravel]") {
  const auto kernel = read_laravel_schedule(slurp("app/Console/Kernel.php"));
  const auto routes = read_laravel_schedule(slurp("routes/console.php"));
  for (std::string_view what : {"commented:out", "block:comment", "in:string", "html:outside"}) {
    CHECK_FALSE(find(kernel, what));
    CHECK_FALSE(find(routes, what));
  }
  CHECK(read_laravel_schedule("$schedule->command('x')->daily();").tasks.empty()); // no <?php
  CHECK(read_laravel_schedule("<?php $other->command('x')->daily();").tasks.empty());
}

TEST_CASE("options, conditions, parameters, jobs, exec and closures", "[command][laravel]") {
  const auto s = read_laravel_schedule(slurp("app/Console/Kernel.php"));
  const auto* emails = find(s, "emails:send --force user='Jane Doe'");
  REQUIRE(emails);
  CHECK(emails->expression == "0 0 * * *");
  CHECK(emails->timezone == "America/Chicago");
  CHECK(emails->conditions ==
        std::vector<std::string>{"between 8:00 and 17:00", "environments production"});
  CHECK(emails->options == std::vector<std::string>{"withoutOverlapping", "onOneServer",
                                                    "runInBackground", "evenInMaintenanceMode"});
  CHECK(emails->unresolved.empty());
  CHECK(emails->chain.starts_with("command('emails:send', [--force,Jane Doe])->daily()->"));

  const auto* heartbeat = find(s, "Heartbeat");
  REQUIRE(heartbeat);
  CHECK(heartbeat->kind == "job");
  CHECK(heartbeat->expression == "*/5 * * * *");
  const auto* prune = find(s, "\\App\\Jobs\\Prune");
  REQUIRE(prune);
  CHECK(prune->expression == "0 3 * * *");

  const auto* node = find(s, "node /home/forge/script.js");
  REQUIRE(node);
  CHECK(node->kind == "exec");
  CHECK(node->user == "forge");

  const auto* closure = find(s, "closure");
  REQUIRE(closure);
  CHECK(closure->kind == "call");
  CHECK(closure->description == "purge recent users");
  CHECK(closure->line == 71);
}

TEST_CASE("what is not static is listed, never guessed", "[command][laravel]") {
  const auto s = read_laravel_schedule(slurp("app/Console/Kernel.php"));
  const auto* last = find(s, "mo:last");
  REQUIRE(last);
  CHECK(last->expression.empty());
  CHECK(mentions(last->unresolved, "last day of the month"));

  const auto* by_class = find(s, "SendReports");
  REQUIRE(by_class);
  CHECK(mentions(by_class->unresolved, "given by its class"));
  CHECK(by_class->expression == "0 0 1 * *");

  const auto dynamic = std::find_if(s.tasks.begin(), s.tasks.end(),
                                    [](const LaravelTask& t) { return t.line == 75; });
  REQUIRE(dynamic != s.tasks.end());
  CHECK(dynamic->what.empty());
  CHECK(mentions(dynamic->unresolved, "not a literal"));

  const auto* config = find(s, "x:config");
  REQUIRE(config);
  CHECK(config->expression.empty());
  CHECK(mentions(config->unresolved, "cron(): an argument is not a literal"));

  CHECK(mentions(find(s, "x:when")->conditions, "when(...)"));
  CHECK(mentions(find(s, "x:unknown")->unresolved, "sundaysOnlyWhenRaining()"));

  const auto assigned = read_laravel_schedule("<?php $e = $schedule->command('a');\n$e->daily();");
  REQUIRE(assigned.tasks.size() == 1);
  CHECK(mentions(assigned.tasks[0].unresolved, "assigned to a variable"));
}

TEST_CASE("Laravel 11 routes/console.php: Schedule facade and scheduled closure commands",
          "[command][laravel]") {
  const auto s = read_laravel_schedule(slurp("routes/console.php"));
  REQUIRE(s.tasks.size() == 3);
  CHECK(s.tasks[0].what == "inspire");
  CHECK(s.tasks[0].expression == "0 * * * *");
  CHECK(s.tasks[0].line == 7);
  CHECK(s.tasks[0].unresolved.empty());
  CHECK(s.tasks[1].what == "backup:run");
  CHECK(s.tasks[1].expression == "30 1 * * *");
  CHECK(s.tasks[2].kind == "exec");
  CHECK(s.tasks[2].what == "/usr/local/bin/cleanup --days 7");
  CHECK(s.tasks[2].expression == "0 4 * * 0");
}

TEST_CASE("the reader is bounded on hostile input", "[command][laravel]") {
  std::string many = "<?php\n";
  for (int i = 0; i < 600; ++i) {
    many += "$schedule->command('t')->daily();\n";
  }
  auto s = read_laravel_schedule(many);
  CHECK(s.tasks.size() == max_laravel_tasks);
  CHECK(mentions(s.notes, "task bound hit"));
  std::string deep = "<?php $schedule->command('t')->days(" + std::string(5000, '[') + ");";
  auto unclosed = read_laravel_schedule(deep); // days( never closed: not a call, not applied
  REQUIRE(unclosed.tasks.size() == 1);
  CHECK(mentions(unclosed.tasks[0].unresolved, "the call chain goes on"));
  auto open = read_laravel_schedule("<?php $schedule->command('t')->daily(); /* never closed");
  CHECK(open.tasks.size() == 1);
  CHECK(mentions(open.notes, "runs to the end"));
  CHECK(read_laravel_schedule("<?php $x = <<<EOT\n$schedule->command('t');\nEOT;\n").tasks.empty());
}

TEST_CASE("Laravel's scheduler line gives the application directory", "[command][laravel]") {
  CHECK(laravel_app_directory(analyze_command(
            "cd /var/www/shop && php artisan schedule:run >> /dev/null 2>&1")) == "/var/www/shop");
  CHECK(laravel_app_directory(analyze_command("/usr/bin/php8.2 /srv/app/artisan schedule:run")) ==
        "/srv/app");
  CHECK(laravel_app_directory(analyze_command("php /srv/app/artisan queue:work")).empty());
  CHECK(laravel_app_directory(analyze_command("php artisan schedule:run")).empty());
  CHECK(app_scheduler(analyze_command("php artisan schedule:run")) ==
        "Laravel scheduler (application directory not known)");
}

TEST_CASE("other in-app schedulers are named, not expanded", "[command][laravel]") {
  CHECK(app_scheduler(analyze_command("celery -A proj beat -l info")) == "celery beat");
  CHECK(app_scheduler(analyze_command("/opt/venv/bin/celery -A proj worker -B")) ==
        "celery worker -B (embedded beat)");
  CHECK(app_scheduler(analyze_command("celery -A proj worker")).empty());
  CHECK(app_scheduler(analyze_command("cd /srv/site && python3 manage.py runcrons")) ==
        "django-cron (manage.py runcrons)");
  CHECK(app_scheduler(analyze_command("wp cron event run --due-now --path=/var/www/wp")) ==
        "WordPress wp-cron");
  CHECK(app_scheduler(analyze_command("curl -s https://example.org/wp-cron.php")) ==
        "WordPress wp-cron");
  CHECK(app_scheduler(analyze_command("drush -r /var/www/d cron")) == "Drupal cron (drush cron)");
  CHECK(app_scheduler(analyze_command("php /var/www/m2/bin/magento cron:run")) ==
        "Magento cron:run");
  // The lab fleet's lines (tests/lab/labkit/catalog.py), flagged the same way by its truth.
  CHECK(app_scheduler(analyze_command("/usr/bin/php8.2 -q /var/www/html/wp-cron.php")) ==
        "WordPress wp-cron");
  CHECK(app_scheduler(analyze_command("sudo -u www-data php /var/www/shop/bin/magento cron:run")) ==
        "Magento cron:run");
  CHECK(app_scheduler(analyze_command("/usr/bin/python3 /opt/a/manage.py clearsessions")).empty());
  CHECK(app_scheduler(analyze_command("/usr/bin/backup.sh")).empty());
  CHECK(app_scheduler(analyze_command("cd /srv/app && php artisan schedule:run")).empty());
}

TEST_CASE("Laravel 11's bootstrap/app.php: the tasks of the withSchedule() closure",
          "[command][laravel]") {
  const auto schedule = read_laravel_schedule(slurp("bootstrap/app.php"));
  REQUIRE(schedule.tasks.size() == 2);
  const auto* invoices = find(schedule, "invoices:send");
  REQUIRE(invoices != nullptr);
  CHECK(invoices->kind == "command");
  CHECK(invoices->expression == "15 6 * * *");
  CHECK(invoices->line == 21);
  CHECK(invoices->unresolved.empty());
  const auto* prune = find(schedule, "PruneSessions");
  REQUIRE(prune != nullptr);
  CHECK(prune->kind == "job");
  CHECK(prune->expression == "*/30 * * * *");
  CHECK(prune->conditions.empty());
}
