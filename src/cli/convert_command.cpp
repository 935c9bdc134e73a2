// `digger-scan convert LINE... --target T [--system] [--tz ZONE] [--format text|json]`:
// what one crontab job becomes on another scheduler, and what does not carry over.

#include "digger/cli/command.hpp"
#include "digger/crontab/crontab.hpp"
#include "digger/migrate/conversion.hpp"
#include "digger/migrate/job_facts.hpp"
#include "digger/util/result.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <pwd.h>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace digger::cli {
namespace {

struct ConvertArgs {
  std::vector<std::string> lines;
  std::string target = std::string(migrate::target_name(migrate::Target())); // the first row
  bool system = false;
  std::string tz;
  std::string host;
  std::string owner = "root";
  std::optional<long> uid;
  std::string format = "text";
};

constexpr std::size_t max_input_bytes = 1U << 20; // one job and its env lines

std::string_view first_word(std::string_view text, size_t& end) {
  const size_t start = std::min(text.find_first_not_of(" \t"), text.size());
  end = std::min(text.find_first_of(" \t", start), text.size());
  return text.substr(start, end - start);
}

bool looks_like_user_name(std::string_view word) {
  return !word.empty() && word.size() <= 32 &&
         (std::islower(static_cast<unsigned char>(word[0])) || word[0] == '_') &&
         word.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-.") ==
             std::string_view::npos;
}

bool on_path(std::string_view word) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    const size_t colon = std::min(dirs.find(':'), dirs.size());
    const std::string file = fmt::format("{}/{}", dirs.substr(0, colon), word);
    if (::access(file.c_str(), X_OK) == 0) {
      return true;
    }
    dirs.remove_prefix(std::min(colon + 1, dirs.size()));
  }
  return false;
}

// A user-crontab line whose command starts with what is surely the user column of a system
// crontab ("0 3 * * * root /opt/x.sh"): converted as is, the definition would run the command
// "root". Surely: a user-name word that is no command on PATH, and either an account here or
// followed by an absolute path.
std::optional<std::string> user_column_word(const crontab::Job& job) {
  size_t end = 0;
  const std::string_view word = first_word(job.command, end);
  if (!looks_like_user_name(word) || on_path(word)) {
    return std::nullopt;
  }
  size_t next_end = 0;
  const std::string_view next = first_word(std::string_view(job.command).substr(end), next_end);
  if (::getpwnam(std::string(word).c_str()) != nullptr || next.starts_with('/')) {
    return std::string(word);
  }
  return std::nullopt;
}

// At most `limit` bytes of stdin (`convert -`: a line piped from crontab -l, grep...).
std::string read_stdin(std::size_t limit) {
  std::string text(limit, '\0');
  std::cin.read(text.data(), static_cast<std::streamsize>(limit));
  text.resize(static_cast<std::size_t>(std::cin.gcount()));
  return text;
}

// The one job among the given lines, read exactly as cron reads a crontab (env lines such
// as CRON_TZ= above it apply to it).
util::Result<crontab::Job> read_job(const ConvertArgs& args) {
  std::string text;
  if (args.lines == std::vector<std::string>{"-"}) {
    text = read_stdin(max_input_bytes + 1);
  } else {
    for (const auto& line : args.lines) {
      text += line + "\n";
    }
  }
  if (text.size() > max_input_bytes) {
    return util::Error{"the input is larger than 1 MiB"};
  }
  crontab::ParseOptions options;
  options.flavor = args.system ? crontab::CrontabFlavor::system : crontab::CrontabFlavor::user;
  options.privileged_owner = args.owner == "root";
  const crontab::ParsedCrontab parsed = crontab::parse_crontab(text, options);
  std::optional<crontab::Job> job;
  for (const auto& line : parsed.lines) {
    if (line.kind == crontab::LineKind::invalid) {
      return util::Error{fmt::format("line {}: {}", line.number, line.error)};
    }
    if (line.kind == crontab::LineKind::job) {
      if (job) {
        return util::Error{"give one job line (and the env lines above it)"};
      }
      job = line.job;
    }
  }
  if (!job) {
    return util::Error{"no job line in the input"};
  }
  return *job;
}

void print_text(const migrate::Conversion& conversion) {
  fmt::print("target: {}\nconverted: {}\n", migrate::target_name(conversion.target),
             conversion.converted ? "yes" : "no");
  if (!conversion.schedules.empty()) {
    fmt::print("schedules:\n");
    for (const auto& s : conversion.schedules) {
      fmt::print("  {}\n", s);
    }
  }
  for (const auto& d : conversion.definitions) {
    fmt::print("\n--- {} {}\n", d.kind, d.name);
    fmt::print("{}\n", d.content.is_string() ? d.content.get<std::string>() : d.content.dump(2));
  }
  if (!conversion.lost.empty()) {
    fmt::print("\nnot carried over:\n");
    for (const auto& l : conversion.lost) {
      fmt::print("  [{}] {}: {}\n", migrate::loss_level_name(l.level), l.feature, l.detail);
    }
  }
}

int run_convert(const ConvertArgs& args) {
  const auto target = migrate::parse_target(args.target);
  if (!target) {
    fmt::print(stderr, "digger-scan convert: unknown target '{}'\n", args.target);
    return exit_usage;
  }
  const auto job = read_job(args);
  if (!job) {
    fmt::print(stderr, "digger-scan convert: {}\n", job.error());
    return exit_usage;
  }
  if (!args.system) {
    if (auto user = user_column_word(*job)) {
      fmt::print(stderr,
                 "digger-scan convert: '{}' looks like the user column of /etc/crontab or "
                 "/etc/cron.d: add --system (without it the job would run the command '{}')\n",
                 migrate::printable(*user), migrate::printable(job->command));
      return exit_usage;
    }
  }
  migrate::JobContext context;
  context.host = args.host;
  context.owner = args.owner;
  context.host_zone = args.tz;
  if (args.uid) {
    context.uids[job->user.value_or(args.owner)] = *args.uid;
  }
  context.reference =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::set<std::string> used_names;
  const auto conversion = migrate::convert_job(*job, context, *target, used_names);
  if (args.format == "json") {
    fmt::print("{}\n", migrate::to_json(conversion).dump(2));
  } else {
    print_text(conversion);
  }
  return conversion.converted ? exit_ok : exit_partial;
}

} // namespace

void add_convert_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<ConvertArgs>();
  auto* cmd = app.add_subcommand(
      "convert", "Convert one crontab job to another scheduler and list what does not carry over");
  cmd->add_option("line", args->lines,
                  "The job line, optionally preceded by env lines (one per argument, or "
                  "separated by newlines; - reads them from stdin), e.g. 'CRON_TZ=Europe/Paris' "
                  "'0 3 * * * cmd'")
      ->required();
  cmd->add_option("--target", args->target, migrate::target_help("Target scheduler"))
      ->check(CLI::IsMember(migrate::target_choices()))
      ->capture_default_str();
  cmd->add_flag("--system", args->system,
                "The line comes from /etc/crontab or /etc/cron.d (it has a user column)");
  cmd->add_option("--tz", args->tz, "The host's time zone (IANA name) for jobs without CRON_TZ");
  cmd->add_option("--host", args->host, "Host name, used for names and host binding");
  cmd->add_option("--owner", args->owner, "Owner of the crontab (user crontabs)")
      ->capture_default_str();
  cmd->add_option("--uid", args->uid, "UID of the run-as user (Kubernetes runAsUser)");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([args, &action] { action = [args] { return run_convert(*args); }; });
}

} // namespace digger::cli
