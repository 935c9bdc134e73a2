#include "digger/units/run_parts.hpp"

#include <catch2/catch.hpp>

using namespace digger::units;

TEST_CASE("run-parts: Debian runs executable regular files with plain names", "[run_parts]") {
  const auto debian = RunPartsFlavor::debian;
  CHECK_FALSE(run_parts_skip_reason("logrotate", 0100755, true, debian));
  CHECK_FALSE(run_parts_skip_reason("0anacron", 0100700, true, debian));
  CHECK_FALSE(run_parts_skip_reason("man-db_2", 0100744, true, debian)); // owner x: root runs it
  CHECK(run_parts_skip_reason("backup.sh", 0100755, true, debian) ==
        "name has a '.': Debian's run-parts skips it");
  CHECK(run_parts_skip_reason("apt~", 0100755, true, debian)->find("'~'") != std::string::npos);
  CHECK(run_parts_skip_reason("script", 0100644, true, debian) == "not executable");
  CHECK(run_parts_skip_reason("subdir", 040755, false, debian) == "not a regular file");
  CHECK(run_parts_skip_reason("", 0100755, true, debian));
}

TEST_CASE("run-parts: cronie's script skips backups and honours jobs.deny/allow", "[run_parts]") {
  const auto cronie = RunPartsFlavor::cronie;
  CHECK_FALSE(run_parts_skip_reason("backup.sh", 0100755, true, cronie));
  CHECK_FALSE(run_parts_skip_reason("0anacron", 0100755, true, cronie));
  CHECK(run_parts_skip_reason("job.rpmnew", 0100755, true, cronie) ==
        "name ends in '.rpmnew': the run-parts script skips it");
  CHECK(run_parts_skip_reason("job.swp", 0100755, true, cronie));
  CHECK(run_parts_skip_reason("job.cfsaved", 0100755, true, cronie));
  CHECK(run_parts_skip_reason("job~", 0100755, true, cronie));
  CHECK(run_parts_skip_reason("job,", 0100755, true, cronie));
  CHECK(run_parts_skip_reason(".hidden", 0100755, true, cronie));
  CHECK(run_parts_skip_reason("two words", 0100755, true, cronie));
  CHECK(run_parts_skip_reason("job", 0100644, true, cronie) == "not executable");
  RunPartsLists lists;
  lists.deny = std::vector<std::string>{"noisy"};
  CHECK(run_parts_skip_reason("noisy", 0100755, true, cronie, lists) == "listed in jobs.deny");
  CHECK_FALSE(run_parts_skip_reason("quiet", 0100755, true, cronie, lists));
  lists.allow = std::vector<std::string>{"only"};
  CHECK(run_parts_skip_reason("quiet", 0100755, true, cronie, lists) == "not listed in jobs.allow");
  CHECK_FALSE(run_parts_skip_reason("only", 0100755, true, cronie, lists));
}

TEST_CASE("run-parts: the directories a cron command runs", "[run_parts]") {
  using V = std::vector<std::string>;
  CHECK(run_parts_directories("cd / && run-parts --report /etc/cron.hourly") ==
        V{"/etc/cron.hourly"});
  CHECK(run_parts_directories("test -x /usr/sbin/anacron || { cd / && run-parts --report "
                              "/etc/cron.weekly; }") == V{"/etc/cron.weekly"});
  CHECK(run_parts_directories("run-parts /etc/cron.hourly/") == V{"/etc/cron.hourly"});
  CHECK(run_parts_directories("nice /bin/run-parts -u 022 --arg=x -- /srv/jobs") == V{"/srv/jobs"});
  CHECK(run_parts_directories("(run-parts /a) && run-parts /b") == V{"/a", "/b"});
  CHECK(run_parts_directories("echo run-parts").empty());
  CHECK(run_parts_directories("/usr/bin/backup --all").empty());
}
