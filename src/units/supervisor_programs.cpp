// The process sections, read in supervisord's order (options.py process_groups_from_parser):
// [group:x] first, then [program:x] not in a group, [eventlistener:x], [fcgi-program:x]. The
// first refusal is what supervisord prints before it exits; Digger keeps reading the rest so the
// catalog still shows what the files ask for.
#include "supervisor_programs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace digger::units {
namespace {

// Options supervisord reads (and so expands) before the per-process loop, then inside it.
constexpr std::array<std::string_view, 20> section_keys{"priority",
                                                        "autostart",
                                                        "autorestart",
                                                        "startsecs",
                                                        "startretries",
                                                        "stopsignal",
                                                        "stopwaitsecs",
                                                        "stopasgroup",
                                                        "killasgroup",
                                                        "exitcodes",
                                                        "redirect_stderr",
                                                        "numprocs",
                                                        "numprocs_start",
                                                        "serverurl",
                                                        "stdout_capture_maxbytes",
                                                        "user",
                                                        "umask",
                                                        "stdout_events_enabled",
                                                        "stderr_events_enabled",
                                                        "stderr_capture_maxbytes"};
constexpr std::array<std::string_view, 9> process_keys{
    "directory",     "stdout_logfile", "stdout_logfile_backups", "stdout_logfile_maxbytes",
    "stdout_syslog", "stderr_logfile", "stderr_logfile_backups", "stderr_logfile_maxbytes",
    "stderr_syslog"};

class SectionReader {
public:
  SectionReader(const IniDocument& doc, std::span<const std::string> files,
                const IniSection& section, SupervisorProgram& program)
      : doc_(doc), files_(files), section_(section), program_(program) {}

  void fail(std::string reason) {
    if (program_.error.empty()) {
      program_.error = std::move(reason);
    }
  }

  const IniOption* raw(std::string_view key) const { return doc_.option(section_.name, key); }

  // `table` with %(here)s: the directory of the file `option` was read from.
  ExpansionTable here_for(const IniOption* option, ExpansionTable table) const {
    if (option != nullptr) {
      table["here"] = directory_of(files_[static_cast<std::size_t>(option->file)]);
    }
    return table;
  }

  // saneget(): the option expanded with `table` (and `here` of the option's own file).
  std::optional<std::string> get(std::string_view key, ExpansionTable table) {
    const IniOption* option = raw(key);
    if (option == nullptr) {
      return std::nullopt;
    }
    return expand(option->value, fmt::format("{}.{}", section_.name, key),
                  here_for(option, std::move(table)));
  }

  // expand(): `name` is what supervisord's message calls the value ("program:x.command", or
  // "environment" and "process_name", which it expands itself).
  std::string expand(std::string_view text, std::string_view name, const ExpansionTable& table) {
    auto result = expand_percent(text, table);
    if (!result.error.empty()) {
      const bool missing = result.error.starts_with("contains names");
      fail(fmt::format("Format string for '{}' {}{}", name,
                       missing ? "" : "is badly formatted: ", result.error));
    }
    for (auto& unknown : result.unresolved) {
      if (std::find(program_.unresolved.begin(), program_.unresolved.end(), unknown) ==
          program_.unresolved.end()) {
        program_.unresolved.push_back(std::move(unknown));
      }
    }
    return std::move(result.text);
  }

  std::int64_t integer(std::string_view key, const ExpansionTable& table, std::int64_t fallback) {
    return typed(key, table, fallback, supervisor_integer,
                 "invalid literal for int() with base 10");
  }

  bool boolean(std::string_view key, const ExpansionTable& table, bool fallback) {
    return typed(key, table, fallback, supervisor_boolean, "not a valid boolean value");
  }

private:
  // The option read by `parse` (a datatypes.* reader); `fallback` when it is absent, or when it
  // is invalid, which fails the section with supervisord's `complaint` and the value.
  template <class T>
  T typed(std::string_view key, const ExpansionTable& table, T fallback,
          std::optional<T> (*parse)(std::string_view), std::string_view complaint) {
    const auto text = get(key, table);
    if (!text) {
      return fallback;
    }
    const auto value = parse(*text);
    if (!value) {
      fail(fmt::format("{}: '{}'", complaint, text->substr(0, 40)));
    }
    return value.value_or(fallback);
  }

  const IniDocument& doc_;
  std::span<const std::string> files_;
  const IniSection& section_;
  SupervisorProgram& program_;
};

void read_processes(SectionReader& reader, SupervisorProgram& program,
                    const ExpansionTable& common) {
  const IniOption* environment = reader.raw("environment");
  const IniOption* name_option = reader.raw("process_name");
  const std::string name_template = name_option ? name_option->value : "%(program_name)s";
  if (const auto [name, error] = supervisor_name(name_template); !error.empty()) {
    reader.fail(error);
  }
  if (program.numprocs > 1 && name_template.find("%(process_num)") == std::string::npos) {
    reader.fail("%(process_num) must be present within process_name when numprocs > 1");
  }
  const auto count = static_cast<std::size_t>(std::max<std::int64_t>(program.numprocs, 0));
  for (std::size_t i = 0; i < std::min(count, max_process_names); ++i) {
    ExpansionTable table = common;
    table["process_num"] = program.numprocs_start + static_cast<std::int64_t>(i);
    table["numprocs"] = program.numprocs;
    program.process_names.push_back(
        reader.expand(name_template, "process_name", reader.here_for(name_option, table)));
    if (i > 0) {
      continue; // the options of the first process stand for all of them
    }
    if (environment) {
      auto pairs = supervisor_key_values(
          reader.expand(environment->value, "environment", reader.here_for(environment, table)));
      if (!pairs.error.empty()) {
        reader.fail(pairs.error);
      }
      program.environment = std::move(pairs.pairs);
    }
    for (auto key : process_keys) {
      auto value = reader.get(key, table);
      if (key == "directory") {
        program.directory = value.value_or("");
      }
    }
    if (const IniOption* command = reader.raw("command")) {
      program.command = reader.get("command", table).value_or("");
      program.command_line = command->line;
    } else {
      reader.fail(fmt::format("program section {}:{} does not specify a command", program.kind,
                              program.name));
    }
  }
}

SupervisorProgram read_section(const IniDocument& doc, std::span<const std::string> files,
                               const IniSection& section, std::string_view group,
                               std::string_view host) {
  SupervisorProgram program;
  const auto colon = section.name.find(':');
  program.kind = section.name.substr(0, colon);
  program.file = files[static_cast<std::size_t>(section.file)];
  program.line = section.line;
  SectionReader reader(doc, files, section, program);
  auto [name, name_error] = supervisor_name(section.name.substr(colon + 1));
  if (!name_error.empty()) {
    reader.fail(name_error);
  }
  program.name = name;
  program.group = group.empty() ? name : std::string(group);
  if (const IniOption* command = reader.raw("command")) {
    program.command_file = files[static_cast<std::size_t>(command->file)];
  }
  ExpansionTable common = supervisor_base_table("", host);
  common["program_name"] = program.name;
  common["group_name"] = program.group;
  for (auto key : section_keys) { // every option supervisord expands, for its errors
    (void)reader.get(key, common);
  }
  (void)reader.integer("priority", common, 999);
  program.autostart = reader.boolean("autostart", common, true);
  if (auto restart = reader.get("autorestart", common)) {
    auto policy = supervisor_autorestart(*restart);
    if (!policy) {
      reader.fail(fmt::format("invalid 'autorestart' value '{}'", restart->substr(0, 40)));
    }
    program.autorestart = policy.value_or("unexpected");
  }
  for (auto key : {"startsecs", "startretries", "stopwaitsecs"}) {
    (void)reader.integer(key, common, 0);
  }
  const bool stop_as_group = reader.boolean("stopasgroup", common, false);
  const bool kill_as_group = reader.boolean("killasgroup", common, stop_as_group);
  (void)reader.boolean("redirect_stderr", common, false);
  program.numprocs = reader.integer("numprocs", common, 1);
  program.numprocs_start = reader.integer("numprocs_start", common, 0);
  program.user = reader.get("user", common).value_or("");
  if (stop_as_group && !kill_as_group) {
    reader.fail("Cannot set stopasgroup=true and killasgroup=false");
  }
  read_processes(reader, program, common);
  if (!program.error.empty()) {
    program.error =
        fmt::format("{} in section '{}' (file: '{}')", program.error, section.name, program.file);
  }
  return program;
}

void add(SupervisorConfig& config, SupervisorProgram program) {
  if (config.rejected.empty() && !program.error.empty()) {
    config.rejected = program.error;
  }
  config.programs.push_back(std::move(program));
}

void refuse(SupervisorConfig& config, std::string reason) {
  if (config.rejected.empty()) {
    config.rejected = std::move(reason);
  }
}

} // namespace

void read_programs(const IniDocument& doc, std::span<const std::string> files,
                   std::string_view host, SupervisorConfig& config) {
  std::vector<std::string> grouped;
  for (const auto& section : doc.sections) {
    if (!section.name.starts_with("group:")) {
      continue;
    }
    const auto [group, error] = supervisor_name(section.name.substr(6));
    if (!error.empty()) {
      refuse(config, error);
    }
    const IniOption* programs = doc.option(section.name, "programs");
    for (const auto& member : supervisor_list(programs ? programs->value : "")) {
      const IniSection* target = doc.section("program:" + member);
      target = target ? target : doc.section("fcgi-program:" + member);
      if (target == nullptr) {
        refuse(config,
               fmt::format("[{}] names unknown program or fcgi-program {}", section.name, member));
        continue;
      }
      grouped.push_back(target->name);
      add(config, read_section(doc, files, *target, group, host));
    }
  }
  const auto ungrouped = [&](const IniSection& section, std::string_view prefix) {
    return section.name.starts_with(prefix) &&
           std::find(grouped.begin(), grouped.end(), section.name) == grouped.end();
  };
  for (std::string_view prefix : {"program:", "eventlistener:", "fcgi-program:"}) {
    for (const auto& section : doc.sections) {
      if (!ungrouped(section, prefix)) {
        continue;
      }
      if (prefix == "eventlistener:" && doc.option(section.name, "events") == nullptr) {
        refuse(config, fmt::format("[{}] section requires an \"events\" line", section.name));
      }
      if (prefix == "fcgi-program:" && doc.option(section.name, "socket") == nullptr) {
        refuse(config, fmt::format("[{}] section requires a \"socket\" line", section.name));
      }
      add(config, read_section(doc, files, section, "", host));
    }
  }
}

} // namespace digger::units
