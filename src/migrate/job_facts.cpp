#include "digger/migrate/job_facts.hpp"

#include "digger/migrate/names.hpp"
#include "digger/migrate/secret_store.hpp"
#include "digger/util/words.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <charconv>

namespace digger::migrate {
namespace {

std::optional<std::string> last_env(const crontab::Job& job, std::string_view name) {
  std::optional<std::string> value;
  for (const auto& env : job.environment) {
    if (env.name == name) {
      value = env.value;
    }
  }
  return value;
}

std::optional<int> parse_minutes(const std::optional<std::string>& text) {
  if (!text) {
    return std::nullopt;
  }
  int value = 0;
  const auto* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc{} || ptr != end || value <= 0) {
    return std::nullopt; // cronie ignores a RANDOM_DELAY it cannot read
  }
  return value;
}

} // namespace

bool runs_under_nonblocking_flock(std::string_view command) {
  const auto words = util::blank_words(command);
  bool in_flock = false;
  for (std::string_view word : words) {
    if (!in_flock) {
      const auto slash = word.find_last_of('/');
      const auto name = slash == std::string_view::npos ? word : word.substr(slash + 1);
      in_flock = name == "flock";
      continue;
    }
    if (word == "--nonblock" || word == "--no-wait") {
      return true;
    }
    if (word.size() > 1 && word[0] == '-' && word[1] != '-' &&
        word.find('n') != std::string_view::npos) {
      return true; // -n, -xn, -en ...
    }
    if (!word.starts_with('-')) {
      in_flock = false; // past flock's options: its lock file, then the command
    }
  }
  return false;
}

bool is_portable_user_name(std::string_view name) {
  if (name.ends_with('$')) {
    name.remove_suffix(1);
  }
  return !name.empty() && name.size() <= 256 && name.front() != '-' &&
         name.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
             std::string_view::npos;
}

std::string stdin_text(const crontab::Job& job) {
  std::string text = job.stdin_data.value_or("");
  if (!text.empty() && text.back() != '\n') {
    text += '\n';
  }
  return text;
}

std::string command_with_stdin(const crontab::Job& job) {
  if (!job.stdin_data) {
    return job.command;
  }
  const std::string data = stdin_text(job);
  std::string delimiter = "DIGGER_STDIN";
  while (data.find(delimiter) != std::string::npos) {
    delimiter += "_";
  }
  return fmt::format("{{ {}\n}} <<'{}'\n{}{}\n", job.command, delimiter, data, delimiter);
}

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string shell_word(std::string_view text) {
  const bool plain =
      !text.empty() && text.find_first_not_of(
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-") ==
                           std::string_view::npos;
  return plain ? std::string(text) : shell_quote(text);
}

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  return out;
}

std::string base64(std::string_view data) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(data[i]) << 16) |
                   (static_cast<unsigned char>(data[i + 1]) << 8) |
                   static_cast<unsigned char>(data[i + 2]);
    for (int shift : {18, 12, 6, 0}) {
      out += alphabet[static_cast<size_t>((n >> shift) & 63)];
    }
  }
  const size_t rest = data.size() - i;
  if (rest > 0) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(data[i])) << 16;
    if (rest == 2) {
      n |= static_cast<unsigned>(static_cast<unsigned char>(data[i + 1])) << 8;
    }
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += rest == 2 ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string host_script(const crontab::Job& job, const JobFacts& facts) {
  // Secrets come from SSM on the host and reach the job through the environment (never the
  // command line, which other users see in ps).
  std::string line = fetch_secrets_from_ssm(facts);
  if (facts.run_as != "root") {
    const std::string keep = facts.secrets.empty()
                                 ? ""
                                 : fmt::format("--preserve-env={} ", fmt::join(facts.secrets, ","));
    line += fmt::format("sudo -H {}-u {} -- ", keep, shell_quote(facts.run_as));
  }
  if (!job.environment.empty()) {
    line += "env";
    for (const auto& env : job.environment) {
      // Two appends, not `" " + string`: GCC 12 at -O3 warns (-Wrestrict, GCC bug 105329)
      // inside that operator+.
      line += ' ';
      line += shell_quote(env.name + "=" + env.value);
    }
    line += " ";
  }
  return line +
         fmt::format("{} -c {}", shell_word(facts.shell), shell_quote(command_with_stdin(job)));
}

JobFacts job_facts(const crontab::Job& job, const JobContext& context) {
  JobFacts facts;
  facts.host = context.host;
  facts.owner = context.owner;
  facts.run_as = job.user.value_or(context.owner.empty() ? "root" : context.owner);
  if (facts.run_as == "root") {
    facts.uid = 0;
  } else if (auto it = context.uids.find(facts.run_as); it != context.uids.end()) {
    facts.uid = it->second;
  }
  facts.zone = job.cron_tz.empty() ? context.host_zone : job.cron_tz;
  facts.zone_facts = zone_facts(facts.zone, context.reference);
  facts.mailto = context.no_mail ? std::optional<std::string>("") : last_env(job, "MAILTO");
  facts.random_delay_minutes = parse_minutes(last_env(job, "RANDOM_DELAY"));
  facts.shell = last_env(job, "SHELL").value_or("/bin/sh");
  if (facts.shell.empty()) {
    facts.shell = "/bin/sh";
  }
  facts.nonblocking_lock = runs_under_nonblocking_flock(job.command);
  facts.secrets = context.secrets;
  std::string base;
  for (const std::string& part : {context.host, facts.run_as, program_name(job.command)}) {
    if (!part.empty()) {
      base += base.empty() ? part : "-" + part;
    }
  }
  facts.base_name = base;
  // One line of plain text: it lands in unit files, Groovy comments and descriptions.
  facts.description =
      printable(fmt::format("digger: '{}' of {} on {}", job.schedule_text, facts.run_as,
                            context.host.empty() ? "unknown host" : context.host));
  facts.batch_timeout_seconds = std::max(60, context.batch_timeout_seconds);
  facts.timer_triggers = context.timer_triggers;
  facts.run_once = context.run_once;
  facts.catch_up = context.catch_up;
  return facts;
}

} // namespace digger::migrate
