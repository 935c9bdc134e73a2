#pragma once

// Internal to the migrate stage: the jobs of a scan that are not crontab lines (anacrontab
// lines, run-parts scripts, systemd timer triggers, at jobs) as the cron job they amount to, so
// every target's builder can write them (docs/migration.md#other-kinds-of-jobs). Pure: the lines
// come from the catalog.

#include "digger/crontab/crontab.hpp"
#include "digger/migrate/conversion.hpp"
#include "digger/migrate/export_plan.hpp"
#include "digger/units/at_job.hpp"
#include "digger/util/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace digger::migrate {

struct SourceJob {
  crontab::Job job;
  JobContext context; // host, zone and the fields for non-crontab jobs filled in
};

// The job of an anacrontab line, a run-parts script or a timer trigger; nullopt with
// `error` set when the catalog does not hold the lines it needs.
util::Result<SourceJob> read_source_job(const ExportJob& source);

// The queue, job number and run time an at job's spool file name holds (atd's own record).
std::optional<units::AtJobName> at_job_name(std::string_view spool_path);

// A systemd OnCalendar= value as cron fields, when they fire at the same minutes: no seconds
// other than :00, no years, no '~', and the weekday ANDed with the date (cron's '*' rule).
// nullopt when no cron schedule matches it exactly.
std::optional<crontab::Schedule> calendar_as_schedule(std::string_view calendar, std::string& zone);

} // namespace digger::migrate
