#include "digger/migrate/builders.hpp"
#include "digger/migrate/export_files.hpp"
#include "digger/migrate/expressions.hpp"
#include "digger/migrate/names.hpp"
#include "digger/migrate/secret_store.hpp"

#include <fmt/format.h>

namespace digger::migrate {
namespace {

// '%' starts a unit-file specifier everywhere; escape it in free text.
std::string escape_specifiers(std::string_view text) {
  std::string out;
  for (char c : text) {
    out += c == '%' ? std::string("%%") : std::string(1, c);
  }
  return out;
}

// A double-quoted unit-file word: C escapes for quotes, backslashes and control characters,
// "%%" against specifiers, and (for ExecStart=) "$$" against variable expansion.
std::string unit_quote(std::string_view text, bool exec_line) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '%') {
      out += "%%";
    } else if (c == '$' && exec_line) {
      out += "$$";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string timer_unit(const std::vector<std::string>& triggers, const JobFacts& facts) {
  std::string text =
      fmt::format("[Unit]\nDescription={}\n\n[Timer]\n", escape_specifiers(facts.description));
  for (const auto& trigger : triggers) {
    text += trigger + "\n";
  }
  // The default AccuracySec=1min lets a timer fire up to a minute late; cron runs at :00.
  text += "AccuracySec=1s\n";
  if (facts.random_delay_minutes) {
    text += fmt::format("RandomizedDelaySec={}min\n", *facts.random_delay_minutes);
  }
  if (facts.catch_up) {
    text += "Persistent=true\n"; // anacron's promise: a run missed while down runs at boot
  }
  // Not enabled by installing the file: `systemctl enable --now` is the cut-over step.
  return text + "\n[Install]\nWantedBy=timers.target\n";
}

std::string service_unit(const crontab::Job& job, const JobFacts& facts) {
  std::string text = fmt::format("[Unit]\nDescription={}\n\n[Service]\nType=oneshot\n",
                                 escape_specifiers(facts.description));
  if (facts.run_as != "root") {
    text += fmt::format("User={}\n", escape_specifiers(facts.run_as));
  }
  for (const auto& env : job.environment) {
    text += fmt::format("Environment={}\n", unit_quote(env.name + "=" + env.value, false));
  }
  // Secrets as systemd credentials: files only this service reads, under
  // $CREDENTIALS_DIRECTORY; the command's shell exports them before running the job.
  for (const auto& variable : facts.secrets) {
    text +=
        fmt::format("LoadCredential={}:{}\n", variable, systemd_credential_path(facts, variable));
  }
  const bool plain_shell =
      facts.shell.find_first_not_of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-") ==
          std::string::npos &&
      facts.shell.starts_with('/');
  text +=
      fmt::format("ExecStart={} -c {}\n", plain_shell ? facts.shell : unit_quote(facts.shell, true),
                  unit_quote(read_systemd_credentials(facts) + job.command, true));
  if (job.stdin_data) {
    text += fmt::format("StandardInput=data\nStandardInputData={}\n", base64(stdin_text(job)));
  }
  return text;
}

std::vector<std::string> triggers_of(const crontab::Job& job, const JobFacts& facts,
                                     Conversion& out) {
  std::vector<std::string> triggers;
  if (!facts.timer_triggers.empty()) {
    out.schedules = facts.timer_triggers; // a timer's own lines: exact by definition
    return facts.timer_triggers;
  }
  if (facts.run_once) { // a calendar with the full date and time elapses once
    std::string time = run_once_utc(*facts.run_once);
    time[10] = ' ';
    out.schedules = {time + " UTC"};
    return {"OnCalendar=" + out.schedules.front()};
  }
  if (job.schedule.is_reboot()) {
    out.schedules = {"OnBootSec=1min"};
    out.lost.push_back({"reboot", LossLevel::workaround,
                        "cron runs @reboot jobs when crond starts after a boot; OnBootSec=1min "
                        "counts from the boot itself"});
    return out.schedules;
  }
  out.schedules = systemd_calendars(job.schedule, facts.zone);
  for (const auto& calendar : out.schedules) {
    triggers.push_back("OnCalendar=" + calendar);
  }
  return triggers;
}

std::optional<Lost> build_systemd(const BuildInput& in, Conversion& out) {
  const std::vector<std::string> triggers = triggers_of(in.job, in.facts, out);
  // The timer and its service share one name; the name is reserved once for both.
  const std::string name =
      unique_name("digger-" + in.facts.base_name, in.used_names, in.target->names);
  out.definitions.push_back({"systemd-timer", name + ".timer", timer_unit(triggers, in.facts)});
  out.definitions.push_back({"systemd-service", name + ".service", service_unit(in.job, in.facts)});
  if (!in.facts.nonblocking_lock) {
    out.lost.push_back({"overlapping-runs", LossLevel::impossible,
                        "cron starts a run even while the previous one is still running; "
                        "systemd does not start a service that is still active, so that run is "
                        "skipped"});
  }
  return std::nullopt;
}

// The unit name is the file name: the timer activates the service of the same name.
void systemd_layout(const ExportPlan& plan, ExportFiles& out) {
  add_definition_files(plan, out, [](const Definition& d) {
    return Placement{"systemd/", "", "", content_text(d)};
  });
}

std::vector<std::string> enable_timers(const Conversion& conversion) {
  std::vector<std::string> out;
  for (const auto& d : conversion.definitions) {
    if (d.kind == "systemd-timer") {
      out.push_back(fmt::format("systemctl enable --now {}", d.name));
    }
  }
  return out;
}

} // namespace

const TargetSpec systemd_target = {
    .name = "systemd",
    .summary = "systemd timer and service units on the host",
    .names = {240, "-_.", false}, // unit names: 255 with the ".service"/".timer" suffix
    .boot_trigger = true,
    .ands_day_fields = true, // systemd ANDs the weekday and the date
    .takes_timer_triggers = true,
    .catches_up = true,    // Persistent=true
    .takes_one_off = true, // OnCalendar= with the full date elapses once
    .native_stdin = true,
    .mail_route = "add OnFailure= with a mail unit (systemd-cron's cron-mail@) or read the journal",
    .random_delay = RandomDelay::native,
    .default_zone = "",
    .repeated_hour = RepeatedHour::once,
    .repeated_hour_note = " or not at all (systemd#8647)",
    .build = build_systemd,
    .layout = systemd_layout,
    .enable = enable_timers,
    .disabled_as = "timers are installed but not enabled",
    .secret_store = "the systemd credential file /etc/credstore/digger.<job>.<NAME> "
                    "(LoadCredential=, mode 0600)",
};

} // namespace digger::migrate
