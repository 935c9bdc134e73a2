// `digger-scan next 'EXPR'`: when a cron expression fires next, and what it means in words.

#include "digger/cli/command.hpp"
#include "digger/crontab/schedule.hpp"
#include "digger/timing/describe.hpp"
#include "digger/timing/next_runs.hpp"

#include <date/tz.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace digger::cli {
namespace {

struct NextOptions {
  std::vector<std::string> words; // the expression, quoted as one argument or not
  std::string from;
  std::size_t count = 5;
  std::string time_zone;
  std::string format = "text";
};

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    out += out.empty() ? w : " " + w;
  }
  return out;
}

// The machine's zone as cron would use it (/etc/localtime); UTC when it cannot be told.
std::string machine_time_zone() {
  try {
    return date::current_zone()->name();
  } catch (const std::exception&) {
    return "UTC";
  }
}

int usage_error(const std::string& message) {
  fmt::print(stderr, "digger-scan next: {}\n", message);
  return exit_usage;
}

int run_next(const NextOptions& options) {
  const std::string expression = join(options.words);
  auto schedule = crontab::parse_schedule(expression);
  if (!schedule) {
    return usage_error(fmt::format("invalid expression '{}': {}", expression, schedule.error()));
  }
  const std::string zone_name = options.time_zone.empty() ? machine_time_zone() : options.time_zone;
  auto zone = timing::find_time_zone(zone_name);
  if (!zone) {
    return usage_error(zone.error());
  }
  std::chrono::sys_seconds from =
      date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (!options.from.empty()) {
    auto parsed = timing::parse_iso8601(options.from, **zone);
    if (!parsed) {
      return usage_error(parsed.error());
    }
    from = *parsed;
  }
  const auto times = timing::next_fire_times(*schedule, from, **zone, options.count);
  std::vector<std::string> lines;
  for (const auto& t : times) {
    lines.push_back(timing::to_iso8601(t));
  }
  const std::string description = timing::describe(*schedule);
  if (options.format == "json") {
    const nlohmann::ordered_json out = {{"expression", expression},
                                        {"description", description},
                                        {"tz", zone_name},
                                        {"randomized", schedule->randomized},
                                        {"next", lines}};
    fmt::print("{}\n", out.dump());
    return exit_ok;
  }
  fmt::print("{}\n", description);
  for (const auto& line : lines) {
    fmt::print("{}\n", line);
  }
  return exit_ok;
}

} // namespace

void add_next_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<NextOptions>();
  CLI::App* next = app.add_subcommand(
      "next", "Print when a cron expression fires next (cronie's rules, DST included)");
  next->add_option("expression", options->words,
                   "Five fields or a @macro, e.g. '15 3 * * 1-5' (quote it)")
      ->required();
  next->add_option("--from", options->from,
                   "Start after this time: 2024-01-01T00:00:00, with Z or +HH:MM or as wall "
                   "time in --tz (default: now)");
  next->add_option("--count", options->count, "How many times to print")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  next->add_option("--tz", options->time_zone,
                   "Time zone of the cron daemon, e.g. Europe/Berlin (default: this machine's)");
  next->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  next->callback([options, &action] { action = [options] { return run_next(*options); }; });
}

} // namespace digger::cli
