// The lost items every target shares, read from the target's spec (target_spec.hpp); what only
// one target loses (host binding, run-as user, overlap) is added by its builder.

#include "digger/migrate/builders.hpp"
#include "digger/migrate/zone.hpp"

#include <fmt/format.h>

namespace digger::migrate {
namespace {

void add(Conversion& out, std::string feature, LossLevel level, std::string detail) {
  out.lost.push_back({std::move(feature), level, std::move(detail)});
}

void add_stdin_and_mail(const crontab::Job& job, const JobFacts& facts, const TargetSpec& spec,
                        Conversion& out) {
  if (job.stdin_data && !spec.native_stdin) {
    add(out, "stdin", LossLevel::workaround,
        fmt::format("the text after '%' in the command is cron's stdin for the job; {} has no "
                    "stdin input, so the command reads it from a here-doc",
                    spec.name));
  }
  if (facts.mailto && facts.mailto->empty()) {
    return; // MAILTO="" : cron mails nothing, nothing is lost
  }
  const std::string to = facts.mailto ? *facts.mailto : facts.run_as;
  const std::string when =
      job.mail_on_error_only ? "when the job fails (-n)" : "when it prints anything";
  add(out, "mail", spec.mail_level,
      fmt::format("cron mails the job's output to {} {}: {}", to, when, spec.mail_route));
}

void add_delay(const JobFacts& facts, const TargetSpec& spec, Conversion& out) {
  if (!facts.random_delay_minutes) {
    return;
  }
  const int minutes = *facts.random_delay_minutes;
  switch (spec.random_delay) {
  case RandomDelay::impossible:
    add(out, "random-delay", LossLevel::impossible,
        fmt::format("RANDOM_DELAY={} delays each run by up to {} minutes; {} has no random delay",
                    minutes, minutes, spec.name));
    break;
  case RandomDelay::capped_at_1440:
    if (minutes > 1440) {
      add(out, "random-delay", LossLevel::workaround,
          fmt::format("RANDOM_DELAY={} is cut to the flexible window's maximum of 1440 minutes",
                      minutes));
    }
    break;
  case RandomDelay::native:
    break;
  }
}

void add_zone(const JobFacts& facts, const TargetSpec& spec, Conversion& out) {
  if (!facts.zone.empty() || spec.default_zone.empty()) {
    return; // an empty default_zone: the target reads the calendar in the host's own zone
  }
  add(out, "time-zone", LossLevel::workaround,
      fmt::format("the job has no CRON_TZ and the host's zone is unknown (pass --tz): the "
                  "definition is read in {}",
                  spec.default_zone));
}

void add_dst(const crontab::Job& job, const JobFacts& facts, const TargetSpec& spec,
             std::chrono::sys_seconds reference, Conversion& out) {
  if (!facts.zone_facts.has_dst || spec.repeated_hour == RepeatedHour::not_applicable ||
      !facts.timer_triggers.empty()) {
    return; // a timer's own lines keep systemd's own DST behaviour
  }
  const DstImpact impact = dst_impact(job.schedule, facts.zone, reference);
  if (impact.fixed_in_gap) {
    add(out, "dst-catch-up", LossLevel::impossible,
        fmt::format("{} {} does not exist (clocks go forward): cron runs the job right after the "
                    "jump, {} skips it",
                    *impact.fixed_in_gap, facts.zone, spec.name));
  }
  const bool runs_twice = spec.repeated_hour == RepeatedHour::twice;
  if (impact.fixed_in_overlap && runs_twice) {
    add(out, "dst-repeated-hour", LossLevel::impossible,
        fmt::format("{} {} happens twice (clocks go back): cron runs this fixed-time job once, "
                    "{} runs it twice",
                    *impact.fixed_in_overlap, facts.zone, spec.name));
  }
  if (impact.wildcard_in_overlap && !runs_twice) {
    add(out, "dst-repeated-hour", LossLevel::impossible,
        fmt::format("{} {} happens twice (clocks go back): cron runs this job on both passes, "
                    "{} only once{}",
                    *impact.wildcard_in_overlap, facts.zone, spec.name, spec.repeated_hour_note));
  }
}

void add_catch_up(const JobFacts& facts, const TargetSpec& spec, Conversion& out) {
  if (facts.catch_up && !spec.catches_up) {
    add(out, "catch-up", LossLevel::impossible,
        fmt::format("anacron runs a run missed while the host was down as soon as it is up "
                    "again; {} runs at the scheduled time only",
                    spec.name));
  }
}

} // namespace

void add_common_losses(const crontab::Job& job, const JobFacts& facts, Target target,
                       std::chrono::sys_seconds reference, Conversion& out) {
  const TargetSpec& spec = target.spec();
  add_stdin_and_mail(job, facts, spec, out);
  add_delay(facts, spec, out);
  add_zone(facts, spec, out);
  add_dst(job, facts, spec, reference, out);
  add_catch_up(facts, spec, out);
}

} // namespace digger::migrate
