#include "digger/collect/load_rules.hpp"

#include <catch2/catch.hpp>

using namespace digger::collect;

namespace {
CronSource source(SourceKind kind, std::string path, std::uint32_t mode = 0600,
                  std::string file_owner = "root") {
  CronSource s;
  s.kind = kind;
  s.path = std::move(path);
  s.mode = mode;
  s.file_owner = std::move(file_owner);
  s.uid = s.file_owner == "root" ? 0 : 1000;
  return s;
}
} // namespace

TEST_CASE("names cron skips are flagged, not dropped", "[collect][load]") {
  using K = SourceKind;
  CHECK(daemon_loads(source(K::cron_d, "/etc/cron.d/sysstat", 0644), "vixie").loaded);
  CHECK_FALSE(daemon_loads(source(K::cron_d, "/etc/cron.d/.placeholder", 0644), "vixie").loaded);
  CHECK_FALSE(daemon_loads(source(K::cron_d, "/etc/cron.d/php.dpkg-old", 0644), "cronie").loaded);
  CHECK_FALSE(daemon_loads(source(K::cron_d, "/etc/cron.d/job~", 0644), "cronie").loaded);
  CHECK_FALSE(daemon_loads(source(K::cron_d, "/etc/cron.d/a.rpmnew", 0644), "cronie").loaded);
  // Dots are fine for cronie but not for Debian's run-parts rule.
  CHECK(daemon_loads(source(K::cron_d, "/etc/cron.d/php.cron", 0644), "cronie").loaded);
  auto vixie = daemon_loads(source(K::cron_d, "/etc/cron.d/php.cron", 0644), "vixie");
  CHECK_FALSE(vixie.loaded);
  CHECK(vixie.reason.find("A-Za-z0-9") != std::string::npos);
}

TEST_CASE("modes and owners cron refuses", "[collect][load]") {
  using K = SourceKind;
  CHECK_FALSE(daemon_loads(source(K::cron_d, "/etc/cron.d/x", 0666), "vixie").loaded);
  CHECK_FALSE(
      daemon_loads(source(K::user_crontab, "/var/spool/cron/app", 0622, "app"), "cronie").loaded);
  CHECK(daemon_loads(source(K::user_crontab, "/var/spool/cron/app", 0600, "app"), "cronie").loaded);
  CHECK_FALSE(
      daemon_loads(source(K::user_crontab, "/var/spool/cron/app", 0600, "mallory"), "cronie")
          .loaded);
  CHECK_FALSE(daemon_loads(source(K::user_crontab, "/var/spool/cron/app", 0600), "vixie").loaded);
  CHECK(
      daemon_loads(source(K::user_crontab, "/var/spool/cron/crontabs/app", 0600), "vixie").loaded);
  CHECK_FALSE(daemon_loads(source(K::system_crontab, "/etc/crontab", 0644), "busybox").loaded);
}
