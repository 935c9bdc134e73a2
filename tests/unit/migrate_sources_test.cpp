// Jobs that are not crontab lines, as the cron job they amount to (export_sources.cpp).

#include "digger/crontab/schedule.hpp"
#include "digger/migrate/export_sources.hpp"

#include <catch2/catch.hpp>

#include <memory>

#include "source_kind_fixture.hpp"

using namespace digger;
using namespace digger::migrate;

namespace {

std::string as_cron(std::string_view calendar, std::string* zone_out = nullptr) {
  std::string zone;
  const auto schedule = calendar_as_schedule(calendar, zone);
  if (zone_out != nullptr) {
    *zone_out = zone;
  }
  return schedule ? schedule->normalized() : std::string("none");
}

std::string cron_normalized(std::string_view expression) {
  return crontab::parse_schedule(expression)->normalized();
}

} // namespace

TEST_CASE("a timer calendar becomes cron fields only when they fire at the same minutes",
          "[migrate][sources]") {
  CHECK(as_cron("*-*-* 02:00:00") == cron_normalized("0 2 * * *"));
  CHECK(as_cron("Mon..Fri *-*-* 06:15:00") == cron_normalized("15 6 * * 1-5"));
  CHECK(as_cron("*-*-1,15 12:00") == cron_normalized("0 12 1,15 * *"));
  CHECK(as_cron("hourly") == cron_normalized("0 * * * *"));
  CHECK(as_cron("*:0/15") == cron_normalized("*/15 * * * *"));
  std::string zone;
  CHECK(as_cron("Sun *-*-* 03:00 Europe/Paris", &zone) == cron_normalized("0 3 * * 0"));
  CHECK(zone == "Europe/Paris");
  // systemd ANDs the weekday and the date; cron does so when a day field starts with '*'.
  std::string ignored;
  const auto friday13 = calendar_as_schedule("Fri *-*-13 00:00", ignored);
  REQUIRE(friday13);
  CHECK(friday13->dom_star);
  CHECK_FALSE(friday13->dow_star);
  CHECK(friday13->days_of_month.count() == 1);
  // No cron form: seconds, years, the last days of a month, an unparsable calendar.
  CHECK(as_cron("*-*-* *:00:30") == "none");
  CHECK(as_cron("2027-*-* 02:00:00") == "none");
  CHECK(as_cron("*-*~01 02:00:00") == "none");
  CHECK(as_cron("not a calendar") == "none");
}

TEST_CASE("anacron lines become a daily, weekly or monthly job with catch-up",
          "[migrate][sources]") {
  ExportJob job;
  job.host = "web-01";
  digger::report::test::set_source_kind(job, "anacrontab");
  job.file = "/etc/anacrontab";
  job.line = 5; // lines 3 and 4 were a comment and a blank: the catalog keeps neither
  job.normalized_schedule = "anacron period=7d delay=10m";
  job.file_lines = std::make_shared<const std::vector<CrontabLine>>(
      std::vector<CrontabLine>{{1, true, "START_HOURS_RANGE=3-22"},
                               {2, true, "PATH=/usr/bin:/bin"},
                               {5, false, "7 10 app.weekly /opt/weekly.sh"},
                               {6, false, "3 5 every3 /opt/x.sh"}});
  const auto weekly = read_source_job(job);
  REQUIRE(weekly);
  // START_HOURS_RANGE=3-22: anacron starts at 03:01 (cronie's hourly run), plus 10 minutes.
  CHECK(weekly->job.schedule.normalized() == cron_normalized("11 3 * * 0"));
  CHECK(weekly->job.command == "/opt/weekly.sh");
  CHECK(weekly->context.catch_up);
  CHECK_FALSE(weekly->context.schedule_refusal);
  REQUIRE(weekly->job.environment.size() == 1); // START_HOURS_RANGE is anacron's, not the job's
  CHECK(weekly->job.environment.get("PATH") == std::optional<std::string>("/usr/bin:/bin"));
  job.line = 6;
  const auto every3 = read_source_job(job);
  REQUIRE(every3);
  REQUIRE(every3->context.schedule_refusal);
  CHECK(every3->context.schedule_refusal->feature == "anacron-period");
  job.line = 9;
  const auto missing = read_source_job(job);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("line 9") != std::string::npos);
}
