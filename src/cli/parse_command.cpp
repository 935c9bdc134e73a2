// `digger-scan parse [--system] [--format text|json] FILE...`: how cron reads local crontab
// files, line by line, without touching any host.

#include "command.hpp"
#include "digger/cli/parse_output.hpp"
#include "digger/command/command.hpp"
#include "digger/crontab/crontab.hpp"
#include "digger/judge/fingerprint.hpp"
#include "digger/timing/describe.hpp"
#include "digger/util/printable.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace digger::cli {
namespace {

namespace fs = std::filesystem;
using crontab::LineKind;
using util::printable;

// Crontabs are a few KB; every parsed line costs about 500 bytes of memory.
constexpr std::uintmax_t max_file_bytes = 16U << 20;

struct ParseArgs {
  bool system = false;
  std::string format = "text";
  std::vector<std::string> files;
};

std::optional<std::string> read_file(const std::string& name, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(name, ec)) {
    error = "is a directory";
    return std::nullopt;
  }
  std::ifstream in(name, std::ios::binary);
  if (!in) {
    error = std::error_code(errno, std::generic_category()).message();
    return std::nullopt;
  }
  // Read at most one byte past the limit: the file may be a pipe or a device with no size.
  std::string text;
  std::array<char, 65536> chunk{};
  while (in && text.size() <= max_file_bytes) {
    in.read(chunk.data(), chunk.size());
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    error = "read error";
    return std::nullopt;
  }
  if (text.size() > max_file_bytes) {
    error = fmt::format("larger than {} MiB", max_file_bytes >> 20);
    return std::nullopt;
  }
  return text;
}

} // namespace

bool implies_system_crontab(const std::string& path) {
  const fs::path p(path);
  return p.filename() == "crontab" || p.parent_path().filename() == "cron.d";
}

std::string crontab_owner(const std::string& path) {
  // A user crontab is named after its owner; system crontabs name the user on each line.
  return std::filesystem::path(path).filename().string();
}

nlohmann::ordered_json crontab_entry_json(const crontab::Line& line, std::string_view file_owner) {
  nlohmann::ordered_json entry = {{"line", line.number}, {"kind", crontab::line_kind_name(line.kind)}};
  if (line.job) {
    const crontab::Job& job = *line.job;
    entry["schedule"] = job.schedule_text;
    if (job.schedule.macro != crontab::Macro::none) {
      entry["macro"] = crontab::macro_name(job.schedule.macro);
    }
    if (job.user) {
      entry["user"] = *job.user;
    }
    entry["command"] = job.command;
    if (job.stdin_data) {
      entry["stdin"] = *job.stdin_data;
    }
    if (!job.cron_tz.empty()) {
      entry["cron_tz"] = job.cron_tz;
    }
    if (job.no_syslog) {
      entry["no_syslog"] = true;
    }
    if (job.mail_on_error_only) {
      entry["mail_on_error_only"] = true;
    }
    const auto analysis = command::analyze_command(job.command);
    entry["target"] = analysis.target;
    entry["language"] = analysis.language_name();
    entry["evidence"] = analysis.evidence;
    entry["description"] = timing::describe(job.schedule);
    entry["fingerprint"] =
        judge::job_fingerprint(job.user.value_or(std::string(file_owner)), job.schedule, job.command);
  }
  if (line.env) {
    entry["name"] = line.env->name;
    entry["value"] = line.env->value;
  }
  if (line.kind == LineKind::invalid) {
    entry["error"] = line.error;
  }
  if (line.cronie_ignores) {
    entry["cronie_ignores"] = true;
  }
  if (!line.vixie_error.empty()) {
    entry["vixie_error"] = line.vixie_error;
  }
  if (!line.daemon_note.empty()) {
    entry["note"] = line.daemon_note;
  }
  return entry;
}

nlohmann::ordered_json crontab_file_json(const std::string& file,
                                         const crontab::ParsedCrontab& parsed) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const auto& line : parsed.lines) {
    entries.push_back(crontab_entry_json(line, crontab_owner(file)));
  }
  return {{"file", file},
          {"loads",
           {{"cronie", parsed.loads_under_cronie},
            {"vixie", parsed.loads_under_vixie},
            {"notes", parsed.load_notes}}},
          {"entries", std::move(entries)}};
}

namespace {

std::string describe(const crontab::Line& line) {
  switch (line.kind) {
  case LineKind::job:
  case LineKind::disabled_job: {
    const crontab::Job& job = *line.job;
    std::string text = printable(job.schedule_text);
    if (job.user) {
      text += fmt::format(" [{}]", printable(*job.user));
    }
    text += " " + printable(job.command);
    if (job.stdin_data) {
      text += fmt::format(" <stdin: {}>", printable(*job.stdin_data));
    }
    if (!job.cron_tz.empty()) {
      text += fmt::format(" (CRON_TZ={})", printable(job.cron_tz));
    }
    return text;
  }
  case LineKind::env:
    return printable(line.env->name) + "=" + printable(line.env->value);
  case LineKind::invalid:
    return fmt::format("{}: {}", line.error, printable(line.raw));
  case LineKind::comment:
    return printable(line.raw);
  case LineKind::blank:
    return {};
  }
  return {};
}

void print_text(const std::string& file, const crontab::ParsedCrontab& parsed) {
  auto yes_no = [](bool b) { return b ? "yes" : "no"; };
  fmt::print("{}: loads under cronie: {}, under Debian cron: {}\n", printable(file),
             yes_no(parsed.loads_under_cronie), yes_no(parsed.loads_under_vixie));
  for (const auto& note : parsed.load_notes) {
    fmt::print("  note: {}\n", note);
  }
  for (const auto& line : parsed.lines) {
    fmt::print("  {:>5} {:<12} {}\n", line.number, crontab::line_kind_name(line.kind), describe(line));
    if (line.job) {
      const auto analysis = command::analyze_command(line.job->command);
      fmt::print("  {:>5} {:<12} {} {} ({}); {}\n", "", "", analysis.language_name(),
                 printable(analysis.target), printable(analysis.evidence),
                 timing::describe(line.job->schedule));
    }
    if (!line.daemon_note.empty()) {
      fmt::print("  {:>5} {:<12} ({})\n", "", "", printable(line.daemon_note));
    }
  }
}

int run_parse(const ParseArgs& args) {
  int status = exit_ok;
  for (const auto& file : args.files) {
    std::string error;
    auto text = read_file(file, error);
    if (!text) {
      fmt::print(stderr, "digger-scan parse: cannot read {}: {}\n", printable(file), error);
      status = exit_usage;
      continue;
    }
    crontab::ParseOptions options;
    options.flavor = args.system || implies_system_crontab(file) ? crontab::CrontabFlavor::system
                                                                 : crontab::CrontabFlavor::user;
    // A spool crontab is named after its owner; root's may use cronie's '-' prefix.
    options.privileged_owner = fs::path(file).filename() == "root";
    const auto parsed = crontab::parse_crontab(*text, options);
    if (args.format == "json") {
      fmt::print("{}\n",
                 crontab_file_json(file, parsed)
                     .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    } else {
      print_text(file, parsed);
    }
  }
  return status;
}

} // namespace

void add_parse_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<ParseArgs>();
  auto* command = app.add_subcommand(
      "parse", "Show how cron reads local crontab files, line by line (no host is contacted)");
  command->add_flag("--system", args->system,
                    "Files have a user column (implied for 'crontab' and files in 'cron.d')");
  command->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command->add_option("files", args->files, "Crontab files")->required();
  command->callback([args, &action] { action = [args] { return run_parse(*args); }; });
}

} // namespace digger::cli
