// Real-world cron commands (Debian/RHEL packages, Laravel, Django, Rails/whenever,
// WordPress, backups, Go and Java services) and what the classifier must find in them.
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
  const char* run_as;   // "" = none
  std::vector<std::string> wrappers;
};

// clang-format off
const std::vector<Row> rows = {
  // Debian and RHEL package cron files
  {"test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )", "run-parts", "shell", "utility run-parts", "", {"cd"}},
  {"cd / && run-parts --report /etc/cron.hourly", "run-parts", "shell", "utility run-parts", "", {"cd"}},
  {"[ -x /usr/lib/php/sessionclean ] && /usr/lib/php/sessionclean", "/usr/lib/php/sessionclean", "shell", "distribution shell script", "", {}},
  {"[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi", "/usr/lib/php/sessionclean", "shell", "distribution shell script", "", {}},
  {"test -x /usr/lib/sysstat/debian-sa1 && /usr/lib/sysstat/debian-sa1 1 1", "/usr/lib/sysstat/debian-sa1", "shell", "distribution shell script", "", {}},
  {"command -v debian-sa1 > /dev/null && debian-sa1 1 1", "debian-sa1", "shell", "distribution shell script", "", {}},
  {"test -x /usr/bin/certbot -a \\! -d /run/systemd/system && perl -e 'sleep int(rand(43200))' && certbot -q renew", "certbot", "shell", "utility certbot", "", {}},
  {"/usr/sbin/logrotate /etc/logrotate.conf", "/usr/sbin/logrotate", "shell", "utility logrotate", "", {}},
  {"if [ -x /usr/share/mdadm/checkarray ] && [ $(date +%d) -le 7 ]; then /usr/share/mdadm/checkarray --cron --all --idle --quiet; fi", "/usr/share/mdadm/checkarray", "shell", "distribution shell script", "", {}},
  {"[ -x /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron ] && /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron", "/usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron", "shell", "distribution shell script", "", {}},
  {"test -x /etc/cron.daily/popularity-contest && /etc/cron.daily/popularity-contest --crond", "/etc/cron.daily/popularity-contest", "shell", "distribution shell script", "", {}},
  {"test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron", "/usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron", "shell", "distribution shell script", "", {}},
  {"if [ $(date +%w) -eq 0 ] && [ -x /usr/lib/zfs-linux/scrub ]; then /usr/lib/zfs-linux/scrub; fi", "/usr/lib/zfs-linux/scrub", "binary", "executable path", "", {}},
  {"/usr/lib64/sa/sa1 1 1", "/usr/lib64/sa/sa1", "shell", "distribution shell script", "", {}},
  {"/usr/bin/updatedb", "/usr/bin/updatedb", "shell", "utility updatedb", "", {}},
  {"/usr/sbin/ntpdate -s pool.ntp.org", "/usr/sbin/ntpdate", "shell", "utility ntpdate", "", {}},
  // certificates
  {"/usr/local/bin/certbot renew --quiet --post-hook \"systemctl reload nginx\"", "/usr/local/bin/certbot", "shell", "utility certbot", "", {}},
  {"certbot renew --quiet --deploy-hook \"systemctl reload nginx\" >> /var/log/le-renew.log 2>&1", "certbot", "shell", "utility certbot", "", {}},
  {"\"/root/.acme.sh\"/acme.sh --cron --home \"/root/.acme.sh\" > /dev/null", "/root/.acme.sh/acme.sh", "shell", "extension .sh", "", {}},
  // file housekeeping and backups
  {"/usr/bin/find /tmp -type f -mtime +7 -delete", "/usr/bin/find", "shell", "utility find", "", {}},
  {"find /var/www/app/storage/logs -name \"*.log\" -mtime +14 -exec rm {} \\;", "find", "shell", "utility find", "", {}},
  {"rm -rf /var/cache/app/*", "rm", "shell", "utility rm", "", {}},
  {"/usr/bin/rsync -az --delete /srv/data/ backup@10.0.0.5:/backups/data/", "/usr/bin/rsync", "shell", "utility rsync", "", {}},
  {"tar czf /backup/etc-$(date +%F).tar.gz /etc", "tar", "shell", "utility tar", "", {}},
  {"mysqldump -u backup -p\"$MYSQL_PWD\" --single-transaction shop | gzip > /backup/shop-$(date +%F).sql.gz", "mysqldump", "shell", "utility mysqldump", "", {}},
  {"pg_dump -Fc -U postgres appdb > /var/backups/appdb.dump", "pg_dump", "shell", "utility pg_dump", "", {}},
  {"sudo -u postgres pg_dumpall | gzip -9 > /var/backups/pg.sql.gz", "pg_dumpall", "shell", "utility pg_dumpall", "postgres", {"sudo"}},
  {"su - postgres -c \"vacuumdb --all --analyze-only\"", "vacuumdb", "shell", "utility vacuumdb", "postgres", {"su"}},
  {"su - postgres -c \"pg_dump mydb | gzip > /backup/mydb.sql.gz\"", "pg_dump", "shell", "utility pg_dump", "postgres", {"su"}},
  {"ionice -c2 -n7 nice /usr/bin/borg create --stats /backup::{now} /home", "/usr/bin/borg", "shell", "utility borg", "", {"ionice", "nice"}},
  {"/usr/local/bin/restic backup /srv --quiet", "/usr/local/bin/restic", "shell", "utility restic", "", {}},
  {"curl -fsS --retry 3 https://hc-ping.com/abc-123 > /dev/null", "curl", "shell", "utility curl", "", {}},
  // WordPress
  {"wget -q -O - \"https://blog.example.com/wp-cron.php?doing_wp_cron\" > /dev/null 2>&1", "wget", "shell", "utility wget", "", {}},
  {"curl -s https://example.com/wp-cron.php > /dev/null", "curl", "shell", "utility curl", "", {}},
  {"cd /var/www/html && php -q wp-cron.php", "/var/www/html/wp-cron.php", "php", "interpreter php", "", {"cd"}},
  {"/usr/bin/php /var/www/html/wp-cron.php >/dev/null 2>&1", "/var/www/html/wp-cron.php", "php", "interpreter php", "", {}},
  {"sudo -u www-data php -q /var/www/html/wp-cron.php", "/var/www/html/wp-cron.php", "php", "interpreter php", "www-data", {"sudo"}},
  {"wp cron event run --due-now --path=/var/www/html --quiet", "wp", "php", "php tool wp", "", {}},
  {"/usr/local/bin/wp --path=/var/www/site cron event run --due-now", "/usr/local/bin/wp", "php", "php tool wp", "", {}},
  // Laravel, Symfony, Magento, Nextcloud, Moodle, Drupal
  {"cd /var/www/app && php artisan schedule:run >> /dev/null 2>&1", "/var/www/app/artisan", "php", "php artisan", "", {"cd"}},
  {"php /home/forge/app.com/artisan schedule:run", "/home/forge/app.com/artisan", "php", "php artisan", "", {}},
  {"/usr/bin/php8.1 /var/www/laravel/artisan queue:work --stop-when-empty", "/var/www/laravel/artisan", "php", "php artisan", "", {}},
  {"cd /srv/shop/current && php8.2 artisan horizon:snapshot", "/srv/shop/current/artisan", "php", "php artisan", "", {"cd"}},
  {"/var/www/app/artisan schedule:run", "/var/www/app/artisan", "php", "php artisan", "", {}},
  {"docker exec -t app php artisan schedule:run", "artisan", "php", "php artisan", "", {"docker"}},
  {"docker compose -f /srv/app/docker-compose.yml exec -T app php artisan schedule:run", "artisan", "php", "php artisan", "", {"docker"}},
  {"cd /var/www/shop && php bin/console app:sync-stock --env=prod", "/var/www/shop/bin/console", "php", "interpreter php", "", {"cd"}},
  {"php -d memory_limit=512M /var/www/magento/bin/magento cron:run | grep -v \"Ran jobs by schedule\" >> /var/www/magento/var/log/magento.cron.log", "/var/www/magento/bin/magento", "php", "interpreter php", "", {}},
  {"php -f /var/www/nextcloud/cron.php", "/var/www/nextcloud/cron.php", "php", "interpreter php", "", {}},
  {"su www-data -s /bin/sh -c \"php /var/www/nextcloud/occ files:scan --all\"", "/var/www/nextcloud/occ", "php", "interpreter php", "www-data", {"su"}},
  {"/usr/bin/php -f /var/www/html/moodle/admin/cli/cron.php > /dev/null", "/var/www/html/moodle/admin/cli/cron.php", "php", "interpreter php", "", {}},
  {"cd /var/www/app && /usr/local/bin/composer install --no-dev", "/usr/local/bin/composer", "php", "php tool composer", "", {"cd"}},
  {"/usr/bin/php7.4 -d display_errors=0 /var/www/cron.php", "/var/www/cron.php", "php", "interpreter php7.4", "", {}},
  {"/usr/bin/drush -r /var/www/drupal cron", "/usr/bin/drush", "php", "php tool drush", "", {}},
  {"sudo -i -u app bash -c 'cd ~/site && php artisan queue:restart'", "~/site/artisan", "php", "php artisan", "app", {"sudo", "bash -c", "cd"}},
  // Django and other Python
  {"cd /srv/mysite && /srv/mysite/venv/bin/python manage.py clearsessions", "/srv/mysite/manage.py", "python", "interpreter python", "", {"cd"}},
  {"/home/app/.virtualenvs/app/bin/python /home/app/src/manage.py send_reminders --settings=app.settings.prod", "/home/app/src/manage.py", "python", "interpreter python", "", {}},
  {"cd /opt/etl && /usr/bin/env python3 run.py", "/opt/etl/run.py", "python", "interpreter python3", "", {"cd", "env"}},
  {"/usr/bin/python3.11 -u /opt/reports/daily.py", "/opt/reports/daily.py", "python", "interpreter python3.11", "", {}},
  {"python3 -m mypkg.jobs.nightly --dry-run", "mypkg.jobs.nightly", "python", "python -m mypkg.jobs.nightly", "", {}},
  {"runuser -u app -- /opt/app/venv/bin/python -m app.jobs.cleanup --days 7", "app.jobs.cleanup", "python", "python -m app.jobs.cleanup", "app", {"runuser"}},
  {"/opt/scraper/venv/bin/scrapy crawl prices", "/opt/scraper/venv/bin/scrapy", "python", "python tool scrapy", "", {}},
  {"/usr/bin/python2.7 /usr/local/bin/legacy_sync.py", "/usr/local/bin/legacy_sync.py", "python", "interpreter python2.7", "", {}},
  {"/opt/tools/cleanup.py --older-than 30", "/opt/tools/cleanup.py", "python", "extension .py", "", {}},
  {"cd /srv/app && pipenv run python sync.py", "/srv/app/sync.py", "python", "interpreter python", "", {"cd", "pipenv run"}},
  {"cd /srv/bot && poetry run python -m bot.tasks.digest", "bot.tasks.digest", "python", "python -m bot.tasks.digest", "", {"cd", "poetry run"}},
  {"cd /srv/tools && uv run --with requests fetch.py", "/srv/tools/fetch.py", "python", "interpreter python", "", {"cd", "uv run"}},
  {". $HOME/.bashrc && cd ~/app && ./venv/bin/python job.py", "~/app/job.py", "python", "interpreter python", "", {"cd"}},
  {"su -l app -c 'cd /srv && nice -n 5 python3 -m jobs.sync'", "jobs.sync", "python", "python -m jobs.sync", "app", {"su", "cd", "nice"}},
  {". /home/app/.profile; /home/app/venv/bin/celery -A proj purge -f", "/home/app/venv/bin/celery", "python", "python tool celery", "", {}},
  {"kubectl -n batch exec deploy/api -- python manage.py clearsessions", "manage.py", "python", "interpreter python", "", {"kubectl"}},
  {"PATH=/usr/local/bin:$PATH LANG=C.UTF-8 /opt/sync/sync.py", "/opt/sync/sync.py", "python", "extension .py", "", {}},
  {"stdbuf -oL /opt/ingest/ingest.py | logger -t ingest", "/opt/ingest/ingest.py", "python", "extension .py", "", {"stdbuf"}},
  // Ruby and Rails
  {"/bin/bash -l -c 'cd /home/deploy/app/releases/20240101 && RAILS_ENV=production bundle exec rake my:task --silent >> log/cron.log 2>&1'", "rake", "ruby", "ruby tool rake", "", {"bash -c", "cd", "bundle exec"}},
  {"cd /srv/app && bundle exec rake reports:weekly RAILS_ENV=production", "rake", "ruby", "ruby tool rake", "", {"cd", "bundle exec"}},
  {"/bin/bash -l -c 'cd /var/www/app/current && bundle exec bin/rails runner -e production '\\''Invoice.send_reminders'\\'''", "/var/www/app/current/bin/rails", "ruby", "ruby tool rails", "", {"bash -c", "cd", "bundle exec"}},
  {"/bin/bash -c 'source /etc/profile.d/rvm.sh && cd /srv/app && bundle exec rake x'", "rake", "ruby", "ruby tool rake", "", {"bash -c", "cd", "bundle exec"}},
  {"/usr/local/bin/ruby /opt/scripts/rotate_keys.rb", "/opt/scripts/rotate_keys.rb", "ruby", "interpreter ruby", "", {}},
  {"/opt/scripts/report.rb", "/opt/scripts/report.rb", "ruby", "extension .rb", "", {}},
  // JavaScript
  {"/usr/bin/node /opt/app/dist/jobs/cleanup.js", "/opt/app/dist/jobs/cleanup.js", "javascript", "interpreter node", "", {}},
  {"cd /srv/api && /usr/local/bin/node --max-old-space-size=4096 scripts/reindex.mjs", "/srv/api/scripts/reindex.mjs", "javascript", "interpreter node", "", {"cd"}},
  {"cd /srv/web && npm run cron:sitemap", "npm", "javascript", "javascript tool npm", "", {"cd"}},
  {"/home/deploy/.nvm/versions/node/v18.17.0/bin/node /home/deploy/app/worker.js", "/home/deploy/app/worker.js", "javascript", "interpreter node", "", {}},
  {"nodejs /var/lib/app/poll.js", "/var/lib/app/poll.js", "javascript", "interpreter nodejs", "", {}},
  {"/usr/local/bin/deno run --allow-net --allow-read /opt/deno/jobs/sync.ts", "/opt/deno/jobs/sync.ts", "javascript", "interpreter deno", "", {}},
  {"bun run /srv/tools/cleanup.ts", "/srv/tools/cleanup.ts", "javascript", "interpreter bun", "", {}},
  // Java
  {"java -jar /opt/billing/billing.jar --mode=settle", "/opt/billing/billing.jar", "java", "java -jar billing.jar", "", {}},
  {"/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Xms256m -Xmx1g -cp /opt/etl/lib/* com.acme.etl.Main nightly", "com.acme.etl.Main", "java", "java class com.acme.etl.Main", "", {}},
  {"cd /opt/reports && java -Dspring.profiles.active=prod -jar reports.jar", "/opt/reports/reports.jar", "java", "java -jar reports.jar", "", {"cd"}},
  // Go and other binaries
  {"/usr/local/bin/settle-invoices --config /etc/billing/config.yaml", "/usr/local/bin/settle-invoices", "binary", "executable path", "", {}},
  {"cd /srv/report && go run ./cmd/report", "/srv/report/cmd/report", "go", "go run", "", {"cd"}},
  {"go run /opt/gojobs/purge/main.go", "/opt/gojobs/purge/main.go", "go", "go run", "", {}},
  {"/opt/billing/bin/settle", "/opt/billing/bin/settle", "binary", "executable path", "", {}},
  {"/usr/bin/flock -n /var/lock/sync.lock /usr/local/bin/syncd --once", "/usr/local/bin/syncd", "binary", "executable path", "", {"flock"}},
  {"timeout 3600 nice -n 19 ionice -c3 /usr/local/bin/reindex", "/usr/local/bin/reindex", "binary", "executable path", "", {"timeout", "nice", "ionice"}},
  {"/usr/bin/flock -xn /tmp/sync.lock nice -n 10 /opt/sync/bin/sync-users --full", "/opt/sync/bin/sync-users", "binary", "executable path", "", {"flock", "nice"}},
  {"chronic /usr/local/sbin/backup-etc", "/usr/local/sbin/backup-etc", "binary", "executable path", "", {"chronic"}},
  {"sleep $((RANDOM % 300)); /usr/local/bin/collect-metrics", "/usr/local/bin/collect-metrics", "binary", "executable path", "", {}},
  {"/usr/bin/time -v /opt/batch/run-batch 2>> /var/log/batch-time.log", "/opt/batch/run-batch", "binary", "executable path", "", {"time"}},
  {"runuser -l gitlab -c 'gitlab-rake gitlab:backup:create CRON=1'", "gitlab-rake", "binary", "command on PATH", "gitlab", {"runuser"}},
  {"sleep 60 && /opt/app/start.sh", "/opt/app/start.sh", "shell", "extension .sh", "", {}},
  {"/opt/gitlab/bin/gitlab-backup create CRON=1", "/opt/gitlab/bin/gitlab-backup", "binary", "executable path", "", {}},
  {"/opt/monitor/check_disk", "/opt/monitor/check_disk", "binary", "executable path", "", {}},
  {"docker run --rm -v /srv/data:/data backup-image:1.2 /usr/local/bin/backup --all", "/usr/local/bin/backup", "binary", "executable path", "", {"docker"}},
  // Perl
  {"/usr/bin/perl /usr/local/sbin/check_raid.pl", "/usr/local/sbin/check_raid.pl", "perl", "interpreter perl", "", {}},
  {"perl -T /opt/mail/bin/expire-mail.pl --days 90", "/opt/mail/bin/expire-mail.pl", "perl", "interpreter perl", "", {}},
  {"/usr/local/bin/awstats_updateall.pl now -awstatsprog=/usr/lib/cgi-bin/awstats.pl", "/usr/local/bin/awstats_updateall.pl", "perl", "extension .pl", "", {}},
  // Shell scripts and wrappers
  {"/usr/share/awstats/tools/update.sh", "/usr/share/awstats/tools/update.sh", "shell", "extension .sh", "", {}},
  {"/bin/sh /opt/scripts/backup.sh", "/opt/scripts/backup.sh", "shell", "interpreter sh", "", {}},
  {"bash -lc \"/home/deploy/bin/rotate-logs.sh\"", "/home/deploy/bin/rotate-logs.sh", "shell", "extension .sh", "", {"bash -c"}},
  {"/home/ops/bin/cleanup.sh > /dev/null 2>&1", "/home/ops/bin/cleanup.sh", "shell", "extension .sh", "", {}},
  {"sh -c 'cd /opt/app && exec ./bin/worker --once'", "/opt/app/bin/worker", "binary", "executable path", "", {"sh -c", "cd", "exec"}},
  {"sudo -n -u deploy /srv/deploy/scripts/prune.sh", "/srv/deploy/scripts/prune.sh", "shell", "extension .sh", "deploy", {"sudo"}},
  {"su -s /bin/bash -c \"/opt/app/bin/job.sh\" app", "/opt/app/bin/job.sh", "shell", "extension .sh", "app", {"su"}},
  {"flock -xn /tmp/etl.lock -c 'cd /opt/etl && ./run.sh'", "/opt/etl/run.sh", "shell", "extension .sh", "", {"flock", "cd"}},
  {"nohup /opt/app/bin/report.sh &", "/opt/app/bin/report.sh", "shell", "extension .sh", "", {"nohup"}},
  {"env -i HOME=/root PATH=/usr/bin:/bin /opt/cron/nightly.sh", "/opt/cron/nightly.sh", "shell", "extension .sh", "", {"env"}},
  {"/opt/app/bin/export.sh 2>&1 | tee -a /var/log/export.log | mail -s \"export\" ops@example.com", "/opt/app/bin/export.sh", "shell", "extension .sh", "", {}},
  {"echo \"heartbeat\" > /var/run/heartbeat", "echo", "shell", "utility echo", "", {}},
  {"cronitor exec d3x0c1 \"/opt/app/nightly.sh --full\"", "/opt/app/nightly.sh", "shell", "extension .sh", "", {"cronitor exec"}},
  {"setsid /opt/app/bin/long-job.sh >/dev/null 2>&1 < /dev/null &", "/opt/app/bin/long-job.sh", "shell", "extension .sh", "", {"setsid"}},
  {"sh < /opt/scripts/maintenance.sh", "/opt/scripts/maintenance.sh", "shell", "interpreter sh", "", {}},
  {"xargs -a /etc/app/hosts.txt -n1 /opt/app/bin/ping-host.sh", "/opt/app/bin/ping-host.sh", "shell", "extension .sh", "", {"xargs"}},
};
// clang-format on

} // namespace

TEST_CASE("real-world cron commands are classified", "[cron][command]") {
  REQUIRE(rows.size() >= 80);
  for (const Row& row : rows) {
    CAPTURE(row.command);
    const CommandAnalysis a = analyze_command(row.command);
    CHECK(a.target == row.target);
    CHECK(a.language_name() == row.language);
    CHECK_THAT(a.evidence, Catch::Contains(row.evidence));
    CHECK(a.run_as.value_or("") == row.run_as);
    CHECK(a.wrappers == row.wrappers);
    CHECK(a.complete);
  }
}
