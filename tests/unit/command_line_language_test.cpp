// Issue 18 item 5: the language from the line alone, through container runners, terminal
// multiplexers, leading sleeps and guards, framework consoles run by path and csh scripts.
// The rows marked "already" were recognised before and must stay as they were.
#include "digger/command/command.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace digger::command;

namespace {

struct Row {
  const char* command;
  const char* target;
  const char* language;
  const char* evidence; // must appear in the evidence text
  std::vector<std::string> wrappers;
  const char* container; // "" = none
};

// clang-format off
const std::vector<Row> rows = {
  // container runners
  {"dokku run shop php artisan schedule:run", "artisan", "php", "php artisan", {"dokku"}, "shop"},
  {"dokku --rm run:detached -e RAILS_ENV=production blog bundle exec rake cleanup", "rake", "ruby", "ruby tool rake", {"dokku", "bundle exec"}, "blog"},
  {"/usr/bin/dokku run --no-tty api python manage.py clearsessions", "manage.py", "python", "interpreter python", {"dokku"}, "api"},
  {"docker exec -u www-data web php /var/www/cron.php", "/var/www/cron.php", "php", "interpreter php", {"docker"}, "web"},         // already
  {"docker compose exec -T app php artisan queue:retry all", "artisan", "php", "php artisan", {"docker"}, "app"},                   // already
  {"docker-compose -f /srv/app/dc.yml exec -T worker node jobs/sync.js", "jobs/sync.js", "javascript", "interpreter node", {"docker-compose"}, "worker"}, // already
  {"kubectl -n batch exec deploy/api -c app -- ruby bin/cleanup.rb", "bin/cleanup.rb", "ruby", "interpreter ruby", {"kubectl"}, "deploy/api"}, // already
  // terminal multiplexers
  {"tmux new-session -d -s sync '/srv/sync/venv/bin/python /srv/sync/run.py --once'", "/srv/sync/run.py", "python", "interpreter python", {"tmux"}, ""},
  {"/usr/bin/tmux new -d -s bot -c /opt/bot node index.js", "/opt/bot/index.js", "javascript", "interpreter node", {"tmux"}, ""},
  {"tmux -L cron new-session -d 'cd /srv/app && php artisan horizon'", "/srv/app/artisan", "php", "php artisan", {"tmux", "cd"}, ""},
  {"screen -dmS minecraft java -Xmx2G -jar /opt/mc/server.jar nogui", "/opt/mc/server.jar", "java", "java -jar", {"screen"}, ""},
  {"screen -d -m -S backup /root/bin/backup.csh", "/root/bin/backup.csh", "shell", "extension .csh", {"screen"}, ""},
  {"screen -Logfile /var/log/x.log -L -dm perl /opt/x/poll.pl", "/opt/x/poll.pl", "perl", "interpreter perl", {"screen"}, ""},
  // leading sleeps and guards
  {"sleep $((RANDOM % 600)); /usr/bin/php /var/www/app/cron.php", "/var/www/app/cron.php", "php", "interpreter php", {}, ""},
  {"sleep 30 && tmux new -d 'ruby /opt/feeds/pull.rb'", "/opt/feeds/pull.rb", "ruby", "interpreter ruby", {"tmux"}, ""},
  {"[ -x /opt/app/bin/console ] && /opt/app/bin/console app:purge", "/opt/app/bin/console", "php", "Symfony bin/console", {}, ""},
  {"test -f /srv/app/artisan && cd /srv/app && php artisan schedule:run", "/srv/app/artisan", "php", "php artisan", {"cd"}, ""},
  {"flock -n /tmp/x.lock timeout 300 nice ionice -c3 chronic python3 /opt/x/job.py", "/opt/x/job.py", "python", "interpreter python", {"flock", "timeout", "nice", "ionice", "chronic"}, ""}, // already
  {"cronic /opt/app/nightly.sh", "/opt/app/nightly.sh", "shell", "extension .sh", {"cronic"}, ""}, // already
  // framework CLIs run by path
  {"cd /var/www/shop && bin/console messenger:consume async --time-limit=3600", "/var/www/shop/bin/console", "php", "Symfony bin/console", {"cd"}, ""},
  {"/srv/shop/bin/console cache:clear --env=prod", "/srv/shop/bin/console", "php", "Symfony bin/console", {}, ""},
  {"cd /srv/app && ./artisan schedule:run", "/srv/app/artisan", "php", "php artisan", {"cd"}, ""}, // already
  {"cd /srv/rails && bin/rails runner 'Report.mail'", "/srv/rails/bin/rails", "ruby", "ruby tool rails", {"cd"}, ""}, // already
  {"cd /srv/rails && RAILS_ENV=production rake db:sessions:trim", "rake", "ruby", "ruby tool rake", {"cd"}, ""}, // already
  {"/srv/site/manage.py clearsessions", "/srv/site/manage.py", "python", "extension .py", {}, ""}, // already
  // csh family and other shells by extension
  {"/home/astro/bin/reduce.csh -night", "/home/astro/bin/reduce.csh", "shell", "extension .csh", {}, ""},
  {"/opt/legacy/run.tcsh", "/opt/legacy/run.tcsh", "shell", "extension .tcsh", {}, ""},
  {"/opt/legacy/report.ksh", "/opt/legacy/report.ksh", "shell", "extension .ksh", {}, ""}, // already
  {"/opt/legacy/report.zsh", "/opt/legacy/report.zsh", "shell", "extension .zsh", {}, ""}, // already
};
// clang-format on

} // namespace

TEST_CASE("the language is found through runners, multiplexers, guards and consoles",
          "[command][language]") {
  for (const Row& row : rows) {
    CAPTURE(row.command);
    const CommandAnalysis a = analyze_command(row.command);
    CHECK(a.target == row.target);
    CHECK(a.language_name() == row.language);
    CHECK_THAT(a.evidence, Catch::Contains(row.evidence));
    CHECK(a.wrappers == row.wrappers);
    CHECK(a.container.value_or("") == row.container);
    CHECK(a.complete);
  }
}

TEST_CASE("multiplexer and runner uses that start nothing stay the program",
          "[command][language]") {
  for (const char* line :
       {"tmux kill-session -t sync", "tmux new-session -d -s empty", "screen -X -S bot quit",
        "screen -ls", "dokku ps:restart shop", "dokku run shop", "/opt/tools/console check"}) {
    CAPTURE(line);
    const CommandAnalysis a = analyze_command(line);
    CHECK(a.wrappers.empty());
    CHECK(a.language_name() == "binary");
  }
}
