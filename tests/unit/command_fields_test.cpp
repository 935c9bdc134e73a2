// The fields beyond target and language that later stages rely on (migration flags,
// framework tasks, redirect targets, chain length).
#include "digger/command/command.hpp"

#include <catch2/catch.hpp>

using namespace digger::command;

TEST_CASE("non-blocking locks are detected wherever they are", "[cron][command]") {
  CHECK(analyze_command("flock -n /tmp/a.lock /opt/a").nonblocking_lock);
  CHECK(analyze_command("/usr/bin/flock -xn /tmp/a.lock /opt/a").nonblocking_lock);
  CHECK(analyze_command("flock --nonblock /tmp/a.lock /opt/a").nonblocking_lock);
  CHECK(analyze_command("flock -x -n -E 0 /tmp/a.lock -c 'php artisan x'").nonblocking_lock);
  CHECK(analyze_command("lckdo /var/lock/a /opt/a").nonblocking_lock);
  CHECK(analyze_command("run-one /opt/a").nonblocking_lock);
  CHECK(analyze_command("setlock -n /var/lock/a /opt/a").nonblocking_lock);
  // The descriptor form: the lock is taken by a helper, the job is the next command.
  const CommandAnalysis fd =
      analyze_command("( flock -n 9 || exit 1; /opt/job/run ) 9>/var/lock/job");
  CHECK(fd.nonblocking_lock);
  CHECK(fd.target == "/opt/job/run");
  CHECK(fd.lock_file == "9");

  CHECK_FALSE(analyze_command("flock /tmp/a.lock /opt/a").nonblocking_lock);
  CHECK_FALSE(analyze_command("flock -w 30 /tmp/a.lock /opt/a").nonblocking_lock);
  CHECK_FALSE(analyze_command("lckdo -w /var/lock/a /opt/a").nonblocking_lock);
  CHECK_FALSE(analyze_command("setlock /var/lock/a /opt/a").nonblocking_lock);
  CHECK(analyze_command("flock -w 30 /tmp/a.lock /opt/a").lock_file == "/tmp/a.lock");
}

TEST_CASE("output redirections are reported", "[cron][command]") {
  const CommandAnalysis quiet = analyze_command("/opt/a >/dev/null 2>&1");
  CHECK(quiet.redirects_output);
  CHECK(quiet.discards_output);
  CHECK(quiet.output_files.empty());

  const CommandAnalysis logged = analyze_command("/opt/a >> /var/log/a.log 2>&1");
  CHECK(logged.redirects_output);
  CHECK_FALSE(logged.discards_output);
  CHECK(logged.output_files == std::vector<std::string>{"/var/log/a.log"});

  // Only stderr discarded: cron still mails whatever the job prints.
  const CommandAnalysis errors_only = analyze_command("/opt/a 2>/dev/null");
  CHECK(errors_only.redirects_output);
  CHECK_FALSE(errors_only.discards_output);

  CHECK(analyze_command("/opt/a &>/dev/null").discards_output);
  CHECK(analyze_command("( cd /x && ./a ) > /dev/null 2>&1").discards_output);
  CHECK(analyze_command("sh -c '/opt/a > /var/log/a.log'").output_files ==
        std::vector<std::string>{"/var/log/a.log"});
  CHECK_FALSE(analyze_command("/opt/a < /etc/a.conf").redirects_output);
  CHECK_FALSE(analyze_command("/opt/a").redirects_output);
}

TEST_CASE("the chain counts every simple command of the job", "[cron][command]") {
  CHECK(analyze_command("/opt/a").chain == 1);
  CHECK(analyze_command("cd /x && ./a").chain == 2);
  CHECK(analyze_command("a | b | c").chain == 3);
  CHECK(analyze_command("test -x /a || ( cd / && run-parts /etc/cron.daily )").chain == 3);
  CHECK(analyze_command("a; b && c || d").chain == 4);
  // A shell string replaces its wrapper command: 1 outer + 2 inner - 1.
  CHECK(analyze_command("bash -c 'cd /x && ./a'").chain == 2);
  CHECK(analyze_command("").chain == 0);
}

TEST_CASE("framework tasks, modules and URLs are kept", "[cron][command]") {
  const CommandAnalysis artisan = analyze_command("cd /srv/app && php artisan schedule:run");
  CHECK(artisan.framework == "laravel");
  CHECK(artisan.subcommand == "schedule:run");
  CHECK(artisan.working_dir == "/srv/app");
  CHECK(artisan.program == "php");
  CHECK(artisan.arguments == std::vector<std::string>{"artisan", "schedule:run"});

  const CommandAnalysis django = analyze_command("python manage.py clearsessions --verbosity 0");
  CHECK(django.framework == "django");
  CHECK(django.subcommand == "clearsessions");

  const CommandAnalysis module = analyze_command("python3.11 -u -m mypkg.cli sync --all");
  CHECK(module.module == "mypkg.cli");
  CHECK(module.target == "mypkg.cli");
  CHECK(module.subcommand == "sync");

  const CommandAnalysis wp = analyze_command("wp cron event run --due-now");
  CHECK(wp.framework == "wordpress");
  CHECK(wp.subcommand == "cron event run");

  CHECK(analyze_command("/usr/bin/drush -r /var/www/drupal cron").subcommand == "cron");
  CHECK(analyze_command("wp --path=/var/www/site cron event run --due-now").subcommand ==
        "cron event run");
  CHECK(analyze_command("php -d memory_limit=1G bin/magento cron:run").subcommand == "cron:run");
  CHECK_FALSE(analyze_command("php artisan").subcommand);

  const CommandAnalysis curl =
      analyze_command("curl -s 'https://x.example/wp-cron.php?doing_wp_cron'");
  CHECK(curl.url == "https://x.example/wp-cron.php?doing_wp_cron");
  CHECK(curl.framework == "wordpress");
  CHECK_FALSE(analyze_command("curl -s https://x.example/ping").framework);

  const CommandAnalysis symfony = analyze_command("php /srv/shop/bin/console app:sync");
  CHECK(symfony.framework == "symfony");
  CHECK(symfony.subcommand == "app:sync");
  CHECK(analyze_command("bin/rails runner 'X.y'").framework == "rails");
  CHECK(analyze_command("php /srv/app/vendor/bin/drush cron").framework == "drupal");
  // `exec` with only redirections sends the rest of the job's output to a log.
  const CommandAnalysis logged = analyze_command("exec >> /var/log/x.log 2>&1; /opt/job");
  CHECK(logged.target == "/opt/job");
  CHECK(logged.output_files == std::vector<std::string>{"/var/log/x.log"});
  CHECK_FALSE(analyze_command("python /opt/job.py").framework);
}

TEST_CASE("run-parts, containers and working directories", "[cron][command]") {
  CHECK(analyze_command("cd / && run-parts --report /etc/cron.daily").run_parts_dir ==
        "/etc/cron.daily");
  CHECK(analyze_command("run-parts -a start --report /etc/cron.weekly").run_parts_dir ==
        "/etc/cron.weekly");

  const CommandAnalysis docker = analyze_command("docker exec -w /var/www app php artisan inspire");
  CHECK(docker.container == "app");
  CHECK(docker.target == "/var/www/artisan");

  CHECK(analyze_command("sudo -D /srv/app -u app ./job.sh").target == "/srv/app/job.sh");
  CHECK(analyze_command("env -C /srv/app python3 job.py").target == "/srv/app/job.py");
  // A cd inside a subshell does not reach the commands after it.
  CHECK(analyze_command("(cd /tmp && mkdir -p work); ./run.sh").target == "./run.sh");
  CHECK(analyze_command("cd /srv && cd app && ./run.sh").target == "/srv/app/run.sh");
  CHECK(analyze_command("cd - && ./run.sh").target == "./run.sh");
  CHECK(analyze_command("cd && ./run.sh").target == "~/run.sh");
}

TEST_CASE("run_as follows the innermost user switch", "[cron][command]") {
  CHECK(analyze_command("sudo /opt/a").run_as == "root");
  CHECK(analyze_command("sudo -u app sudo -u web /opt/a").run_as == "web");
  CHECK(analyze_command("su -c '/opt/a' deploy").run_as == "deploy");
  CHECK(analyze_command("su -c '/opt/a'").run_as == "root");
  CHECK(analyze_command("doas -u app /opt/a").run_as == "app");
  CHECK(analyze_command("su - app -c \"sudo -u web /opt/a\"").run_as == "web");
  CHECK_FALSE(analyze_command("/opt/a").run_as);
  CHECK_FALSE(analyze_command("sudo -l").run_as); // lists rights, runs nothing
}

TEST_CASE("inline code and computed programs", "[cron][command]") {
  const CommandAnalysis inline_php = analyze_command("php -r 'file_get_contents(\"http://x\");'");
  CHECK(inline_php.language == Language::php);
  CHECK(inline_php.evidence == "interpreter php inline -r");
  CHECK(analyze_command("python3 -c 'import app; app.run()'").language == Language::python);

  const CommandAnalysis computed = analyze_command("$HOME/bin/$JOB --now");
  CHECK(computed.language == Language::unknown);
  CHECK(computed.evidence == "program chosen at run time");
  // An extension still tells the language when only the directory is a variable.
  CHECK(analyze_command("$HOME/bin/job.py").language == Language::python);
}

TEST_CASE("a CRLF command is named but flagged as broken", "[cron][command]") {
  const CommandAnalysis crlf = analyze_command("/opt/job.sh --all\r");
  CHECK(crlf.carriage_return);
  CHECK(crlf.target == "/opt/job.sh");
  CHECK(crlf.arguments == std::vector<std::string>{"--all"});
  CHECK_FALSE(analyze_command("/opt/job.sh --all").carriage_return);
}
