#include "digger/migrate/builders.hpp"
#include "digger/migrate/zone.hpp"

#include <fmt/format.h>

namespace digger::migrate {
namespace {

bool is_aws(Target t) {
  return t == Target::eventbridge || t == Target::eventbridge_rule || t == Target::batch;
}

void add(Conversion& out, std::string feature, LossLevel level, std::string detail) {
  out.lost.push_back({std::move(feature), level, std::move(detail)});
}

void add_command_and_host(const JobFacts& facts, Target target, Conversion& out) {
  const std::string host = facts.host.empty() ? std::string("the host") : facts.host;
  switch (target) {
  case Target::eventbridge:
  case Target::eventbridge_rule:
    add(out, "command", LossLevel::workaround,
        "EventBridge runs no command itself: the definition sends the command line to SSM "
        "Run Command (AWS-RunShellScript), with the user, environment and stdin written into "
        "the script; fill in the role ARN");
    add(out, "host-binding", LossLevel::workaround,
        fmt::format("SSM selects the instance by the tag Name={}: the instance must carry it "
                    "and run the SSM agent",
                    host));
    break;
  case Target::batch:
    add(out, "host-binding", LossLevel::impossible,
        fmt::format("Batch runs the job in a container of a compute environment, not on {}: "
                    "the host's files, services and credentials are not there; fill in the "
                    "image and job queue",
                    host));
    break;
  case Target::jenkins:
    add(out, "host-binding", LossLevel::workaround,
        fmt::format("the pipeline runs on an agent labelled '{}': an agent must run on that "
                    "host with that label",
                    host));
    break;
  case Target::kubernetes:
    add(out, "host-binding", LossLevel::impossible,
        fmt::format("the pod runs in a container on any node, not on {}: the host's files and "
                    "services are not there (a nodeSelector only picks the node); fill in the "
                    "image",
                    host));
    break;
  case Target::systemd:
    break;
  }
}

void add_user(const JobFacts& facts, Target target, Conversion& out) {
  switch (target) {
  case Target::jenkins:
    add(out, "run-as-user", LossLevel::workaround,
        fmt::format("Jenkins runs the step as the agent's user, not as {}: run the agent as "
                    "that user or add sudo -u to the step",
                    facts.run_as));
    break;
  case Target::kubernetes:
    if (!facts.uid) {
      add(out, "run-as-user", LossLevel::workaround,
          fmt::format("runAsUser takes a UID and the UID of {} is not known: set "
                      "securityContext.runAsUser by hand",
                      facts.run_as));
    }
    break;
  case Target::batch:
    if (facts.run_as != "root") {
      add(out, "run-as-user", LossLevel::workaround,
          fmt::format("containerProperties.user is {}: that user must exist in the image",
                      facts.run_as));
    }
    break;
  default:
    break; // EventBridge: sudo -u in the SSM script; systemd: User=
  }
}

void add_stdin_and_mail(const crontab::Job& job, const JobFacts& facts, Target target,
                        Conversion& out) {
  if (job.stdin_data && target != Target::systemd) {
    add(out, "stdin", LossLevel::workaround,
        fmt::format("the text after '%' in the command is cron's stdin for the job; {} has no "
                    "stdin input, so the command reads it from a here-doc",
                    target_name(target)));
  }
  if (facts.mailto && facts.mailto->empty()) {
    return; // MAILTO="" : cron mails nothing, nothing is lost
  }
  const std::string to = facts.mailto ? *facts.mailto : facts.run_as;
  const std::string when =
      job.mail_on_error_only ? "when the job fails (-n)" : "when it prints anything";
  std::string how;
  LossLevel level = LossLevel::workaround;
  if (is_aws(target)) {
    how = "EventBridge only reports failed invocations (DLQ); route job state events to SNS";
  } else if (target == Target::jenkins) {
    how = "add a post { } mail step to the pipeline";
  } else if (target == Target::kubernetes) {
    how = "Kubernetes has no mail; collect the pod logs instead";
    level = LossLevel::impossible;
  } else {
    how = "add OnFailure= with a mail unit (systemd-cron's cron-mail@) or read the journal";
  }
  add(out, "mail", level, fmt::format("cron mails the job's output to {} {}: {}", to, when, how));
}

void add_overlap_and_delay(const JobFacts& facts, Target target, Conversion& out) {
  if (target == Target::systemd && !facts.nonblocking_lock) {
    add(out, "overlapping-runs", LossLevel::impossible,
        "cron starts a run even while the previous one is still running; systemd does not "
        "start a service that is still active, so that run is skipped");
  }
  if (!facts.random_delay_minutes) {
    return;
  }
  const int minutes = *facts.random_delay_minutes;
  if (target == Target::eventbridge_rule) {
    add(out, "random-delay", LossLevel::impossible,
        fmt::format("RANDOM_DELAY={} delays each run by up to {} minutes; rules have no "
                    "flexible window (EventBridge Scheduler has one)",
                    minutes, minutes));
  } else if (target == Target::jenkins || target == Target::kubernetes) {
    add(out, "random-delay", LossLevel::impossible,
        fmt::format("RANDOM_DELAY={} delays each run by up to {} minutes; {} has no random "
                    "delay (Jenkins H is a fixed hash, not a delay)",
                    minutes, minutes, target_name(target)));
  } else if (minutes > 1440 && is_aws(target)) {
    add(out, "random-delay", LossLevel::workaround,
        fmt::format("RANDOM_DELAY={} is cut to the flexible window's maximum of 1440 minutes",
                    minutes));
  }
}

void add_zone(const JobFacts& facts, Target target, Conversion& out) {
  if (!facts.zone.empty() || target == Target::systemd) {
    return; // systemd with no zone suffix reads the calendar in the host's own zone
  }
  std::string_view used = "UTC";
  if (target == Target::jenkins) {
    used = "the Jenkins controller's JVM zone";
  } else if (target == Target::kubernetes) {
    used = "the kube-controller-manager's zone";
  }
  add(out, "time-zone", LossLevel::workaround,
      fmt::format("the job has no CRON_TZ and the host's zone is unknown (pass --tz): the "
                  "definition is read in {}",
                  used));
}

void add_dst(const crontab::Job& job, const JobFacts& facts, Target target,
             std::chrono::sys_seconds reference, Conversion& out) {
  if (!facts.zone_facts.has_dst || target == Target::eventbridge_rule) {
    return;
  }
  const DstImpact impact = dst_impact(job.schedule, facts.zone, reference);
  if (impact.fixed_in_gap) {
    add(out, "dst-catch-up", LossLevel::impossible,
        fmt::format("{} {} does not exist (clocks go forward): cron runs the job right after the "
                    "jump, {} skips it",
                    *impact.fixed_in_gap, facts.zone, target_name(target)));
  }
  const bool runs_twice = target == Target::jenkins || target == Target::kubernetes;
  if (impact.fixed_in_overlap && runs_twice) {
    add(out, "dst-repeated-hour", LossLevel::impossible,
        fmt::format("{} {} happens twice (clocks go back): cron runs this fixed-time job once, "
                    "{} runs it twice",
                    *impact.fixed_in_overlap, facts.zone, target_name(target)));
  }
  if (impact.wildcard_in_overlap && !runs_twice) {
    add(out, "dst-repeated-hour", LossLevel::impossible,
        fmt::format("{} {} happens twice (clocks go back): cron runs this job on both passes, "
                    "{} only once{}",
                    *impact.wildcard_in_overlap, facts.zone, target_name(target),
                    target == Target::systemd ? " or not at all (systemd#8647)" : ""));
  }
}

} // namespace

void add_common_losses(const crontab::Job& job, const JobFacts& facts, Target target,
                       std::chrono::sys_seconds reference, Conversion& out) {
  if (job.schedule.is_reboot() && target == Target::systemd) {
    add(out, "reboot", LossLevel::workaround,
        "cron runs @reboot jobs when crond starts after a boot; OnBootSec=1min counts from the "
        "boot itself");
  }
  add_command_and_host(facts, target, out);
  add_user(facts, target, out);
  add_stdin_and_mail(job, facts, target, out);
  add_overlap_and_delay(facts, target, out);
  add_zone(facts, target, out);
  add_dst(job, facts, target, reference, out);
}

} // namespace digger::migrate
