#include "digger/migrate/builders.hpp"
#include "digger/migrate/expressions.hpp"
#include "digger/migrate/names.hpp"

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
  const bool plain_shell =
      facts.shell.find_first_not_of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-") ==
          std::string::npos &&
      facts.shell.starts_with('/');
  text +=
      fmt::format("ExecStart={} -c {}\n", plain_shell ? facts.shell : unit_quote(facts.shell, true),
                  unit_quote(job.command, true));
  if (job.stdin_data) {
    text += fmt::format("StandardInput=data\nStandardInputData={}\n", base64(stdin_text(job)));
  }
  return text;
}

} // namespace

void build_systemd(const crontab::Job& job, const JobFacts& facts,
                   std::set<std::string>& used_names, Conversion& out) {
  std::vector<std::string> triggers;
  if (job.schedule.is_reboot()) {
    out.schedules = {"OnBootSec=1min"};
    triggers = out.schedules;
  } else {
    out.schedules = systemd_calendars(job.schedule, facts.zone);
    for (const auto& calendar : out.schedules) {
      triggers.push_back("OnCalendar=" + calendar);
    }
  }
  // The timer and its service share one name; the name is reserved once for both.
  const std::string name =
      unique_name("digger-" + facts.base_name, used_names, name_rules(Target::systemd));
  out.definitions.push_back({"systemd-timer", name + ".timer", timer_unit(triggers, facts)});
  out.definitions.push_back({"systemd-service", name + ".service", service_unit(job, facts)});
}

} // namespace digger::migrate
