// `digger-scan parse [--system] [--format text|json] FILE...`: how cron reads local crontab
// files, line by line, without touching any host.

#include "digger/cli/command.hpp"
#include "digger/cli/parse_output.hpp"
#include "digger/collect/job.hpp"
#include "digger/collect/load_rules.hpp"
#include "digger/collect/readers.hpp"
#include "digger/crontab/crontab.hpp"
#include "digger/timing/describe.hpp"
#include "digger/util/printable.hpp"
#include "digger/util/result.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace digger::cli {
namespace {

using util::printable;

namespace fs = std::filesystem;
using crontab::LineKind;

// Crontabs are a few KB; every parsed line costs about 500 bytes of memory.
constexpr std::uintmax_t max_file_bytes = 16U << 20;

struct ParseArgs {
  bool system = false;
  std::string format = "text";
  std::vector<std::string> files;
};

// Reads a file, or stdin for "-".
util::Result<std::string> read_file(const std::string& name) {
  std::error_code ec;
  if (name != "-" && fs::is_directory(name, ec)) {
    return util::Error{"is a directory", util::ErrorKind::io};
  }
  std::ifstream file;
  if (name != "-") {
    file.open(name, std::ios::binary);
    if (!file) {
      return util::Error{std::error_code(errno, std::generic_category()).message(),
                         util::ErrorKind::io};
    }
  }
  std::istream& in = name == "-" ? std::cin : file;
  // Read at most one byte past the limit: the file may be a pipe or a device with no size.
  std::string text;
  std::array<char, 65536> chunk{};
  while (in && text.size() <= max_file_bytes) {
    in.read(chunk.data(), chunk.size());
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    return util::Error{"read error", util::ErrorKind::io};
  }
  if (text.size() > max_file_bytes) {
    return util::Error{fmt::format("larger than {} MiB", max_file_bytes >> 20),
                       util::ErrorKind::io};
  }
  return text;
}

// One line through the scan's pipeline (the crontab reader's line, then enrich()).
catalog::EntryRow enriched_job(const crontab::Line& line, std::string_view owner) {
  collect::Job job = collect::crontab_line_job(line, owner);
  collect::enrich(job);
  return std::move(job.row);
}

// Where cron reads crontabs, the kind of file this path would be; nullopt elsewhere.
std::optional<collect::SourceKind> cron_location(const std::string& path) {
  const fs::path p(path);
  if (p.parent_path().filename() == "cron.d") {
    return collect::SourceKind::cron_d;
  }
  if (p.filename() == "crontab") {
    return collect::SourceKind::system_crontab;
  }
  if (path.find("/var/spool/cron/") != std::string::npos) {
    return collect::SourceKind::user_crontab;
  }
  return std::nullopt;
}

void add_note(FileLoad& load, std::string note) {
  if (std::find(load.notes.begin(), load.notes.end(), note) == load.notes.end()) {
    load.notes.push_back(std::move(note));
  }
}

} // namespace

FileLoad local_file_load(const std::string& path, std::uint32_t mode) {
  FileLoad load;
  const auto kind = cron_location(path);
  if (!kind) {
    return load;
  }
  collect::CronSource source;
  source.path = path;
  source.kind = *kind;
  source.owner = std::string(collect::base_name(path));
  source.mode = mode;
  const auto cronie = collect::daemon_loads(source, "cronie");
  const auto vixie = collect::daemon_loads(source, "vixie");
  load.cronie = cronie.loaded;
  load.vixie = vixie.loaded;
  for (const auto* verdict : {&cronie, &vixie}) {
    if (!verdict->loaded) {
      add_note(load, verdict->reason);
    }
  }
  return load;
}

bool implies_system_crontab(const std::string& path) {
  const fs::path p(path);
  return p.filename() == "crontab" || p.parent_path().filename() == "cron.d";
}

std::string crontab_owner(const std::string& path) {
  // A user crontab is named after its owner; system crontabs name the user on each line.
  return std::filesystem::path(path).filename().string();
}

nlohmann::ordered_json crontab_entry_json(const crontab::Line& line, std::string_view file_owner) {
  nlohmann::ordered_json entry = {{"line", line.number},
                                  {"kind", crontab::line_kind_name(line.kind)}};
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
    // The scan's own enrichment: the same target, language and fingerprint as a scan record.
    const auto enriched = enriched_job(line, file_owner);
    entry["target"] = enriched.target;
    entry["language"] = enriched.language;
    entry["evidence"] = enriched.evidence;
    entry["description"] = timing::describe(job.schedule);
    entry["fingerprint"] = enriched.fingerprint;
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

void print_text(const std::string& file, const crontab::ParsedCrontab& parsed,
                const std::string& owner) {
  auto yes_no = [](bool b) { return b ? "yes" : "no"; };
  fmt::print("{}: loads under cronie: {}, under Debian cron: {}\n", printable(file),
             yes_no(parsed.loads_under_cronie), yes_no(parsed.loads_under_vixie));
  for (const auto& note : parsed.load_notes) {
    fmt::print("  note: {}\n", note);
  }
  for (const auto& line : parsed.lines) {
    fmt::print("  {:>5} {:<12} {}\n", line.number, crontab::line_kind_name(line.kind),
               describe(line));
    if (line.job) {
      const auto job = enriched_job(line, owner);
      fmt::print("  {:>5} {:<12} {} {} ({}); {}\n", "", "", job.language, printable(job.target),
                 printable(job.evidence), job.description);
    }
    if (!line.daemon_note.empty()) {
      fmt::print("  {:>5} {:<12} ({})\n", "", "", printable(line.daemon_note));
    }
  }
}

// The permission bits of a local file (0: stdin, or stat failed after the read).
std::uint32_t file_mode(const std::string& name) {
  struct stat info {};
  if (name == "-" || ::stat(name.c_str(), &info) != 0) {
    return 0;
  }
  return static_cast<std::uint32_t>(info.st_mode) & 07777;
}

// The file rules the scan applies, on top of what the content says.
void apply_file_load(crontab::ParsedCrontab& parsed, const std::string& file) {
  if (file == "-") {
    return;
  }
  auto load = local_file_load(file, file_mode(file));
  parsed.loads_under_cronie = parsed.loads_under_cronie && load.cronie;
  parsed.loads_under_vixie = parsed.loads_under_vixie && load.vixie;
  parsed.load_notes.insert(parsed.load_notes.begin(), load.notes.begin(), load.notes.end());
}

int run_parse(const ParseArgs& args) {
  bool unreadable = false;
  bool ignored = false;
  for (const auto& file : args.files) {
    auto text = read_file(file);
    if (!text) {
      fmt::print(stderr, "digger-scan parse: cannot read {}: {}\n", printable(file), text.error());
      unreadable = true;
      continue;
    }
    crontab::ParseOptions options;
    const bool system = args.system || (file != "-" && implies_system_crontab(file));
    options.flavor = system ? crontab::CrontabFlavor::system : crontab::CrontabFlavor::user;
    // A spool crontab is named after its owner; root's may use cronie's '-' prefix.
    options.privileged_owner = fs::path(file).filename() == "root";
    auto parsed = crontab::parse_crontab(*text, options);
    apply_file_load(parsed, file);
    ignored = ignored || !parsed.loads_under_cronie || !parsed.loads_under_vixie;
    if (args.format == "json") {
      fmt::print("{}\n",
                 crontab_file_json(file, parsed)
                     .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    } else {
      print_text(file, parsed, crontab_owner(file));
    }
  }
  if (unreadable) {
    return exit_usage;
  }
  return ignored ? exit_file_ignored : exit_ok;
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
  command->add_option("files", args->files, "Crontab files ('-' reads stdin)")->required();
  command->callback([args, &action] { action = [args] { return run_parse(*args); }; });
}

} // namespace digger::cli
