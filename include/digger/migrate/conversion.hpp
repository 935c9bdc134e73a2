#pragma once

#include "digger/crontab/crontab.hpp"
#include "digger/migrate/target.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace digger::migrate {

// Where the job comes from: what the crontab line alone does not say.
struct JobContext {
  std::string host;  // inventory name of the host
  std::string owner; // crontab owner (the spool file name), or "root" for system crontabs
  // The host's zone, used when the job has no CRON_TZ. Empty: unknown.
  std::string host_zone;
  std::map<std::string, long> uids; // user name -> UID, where known (root is always 0)
  // Start of the year scanned for DST effects; callers pass "now" (pure logic has no clock).
  std::chrono::sys_seconds reference{};
  int batch_timeout_seconds = 3600; // AWS Batch attemptDurationSeconds (cron has no limit)

  // Jobs that are not crontab lines (the export fills these in):
  // a systemd timer's own trigger lines ("OnCalendar=..."), kept verbatim by targets that
  // take them (TargetSpec::takes_timer_triggers);
  std::vector<std::string> timer_triggers;
  // why the job's schedule has no exact cron form (a timer's calendar with seconds, ...):
  // every target that does not take the triggers refuses the job with it;
  std::optional<Lost> schedule_refusal;
  // anacron: a run missed while the host was down starts when it is up again;
  bool catch_up = false;
  // a systemd timer: nothing mails its output, so no mail is lost;
  bool no_mail = false;
  // an at job: the one time it runs (UTC). Targets with a one-off schedule
  // (TargetSpec::takes_one_off) write that time; the others refuse the job, since a recurring
  // schedule would run it again;
  std::optional<std::chrono::sys_seconds> run_once;
  // what the job's kind loses on every target (anacron's start time).
  std::vector<Lost> origin_losses;
  // Variables whose values the scan removed (secret env lines, and the $DIGGER_SECRET_n that
  // replace `***` in the command): every target reads them from its secret store
  // (secret_store.hpp), never from the definition.
  std::vector<std::string> secrets;
};

// One resource to create on the target. `content` is the target's own format: API input
// JSON for AWS, a manifest for Kubernetes, unit-file or Jenkinsfile text in a string.
struct Definition {
  std::string kind; // "scheduler-schedule", "events-rule", "batch-job-definition",
                    // "jenkins-pipeline", "k8s-cronjob", "systemd-timer", "systemd-service"
  std::string name;
  nlohmann::ordered_json content;
};

struct Conversion {
  Target target;
  // False when the schedule cannot be expressed on the target: then schedules and
  // definitions are empty and `lost` says why (level impossible). Never a guessed schedule.
  bool converted = false;
  std::vector<std::string> schedules; // one per definition that fires, in target syntax
  std::vector<Definition> definitions;
  std::vector<Lost> lost;
};

// An at job's time as "2026-12-08T03:00:00" (UTC): EventBridge's at() form.
std::string run_once_utc(std::chrono::sys_seconds time);

// Converts one parsed job. `used_names` holds the names already given on this target (all
// jobs of one export share it); the new names are added to it.
Conversion convert_job(const crontab::Job& job, const JobContext& context, Target target,
                       std::set<std::string>& used_names);

nlohmann::ordered_json to_json(const Conversion& conversion);

} // namespace digger::migrate
