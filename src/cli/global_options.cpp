#include "digger/cli/global_options.hpp"

#include "digger/util/result.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>

namespace digger::cli {

namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

void note_given(const CLI::App& app, std::set<const CLI::Option*>& given) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->count() > 0) {
      given.insert(option);
    }
  }
}

void hand_over(const CLI::Option& from, CLI::Option& to) {
  to.clear();
  for (const std::string& value : from.results()) {
    to.add_result(value);
  }
  to.run_callback();
}

} // namespace

std::string default_config_path() {
  if (std::string path = environment("DIGGER_CONFIG"); !path.empty()) {
    return path;
  }
  if (std::string xdg = environment("XDG_CONFIG_HOME"); !xdg.empty()) {
    return xdg + "/digger/config.toml";
  }
  std::string home = environment("HOME");
  return home.empty() ? "" : home + "/.config/digger/config.toml";
}

void GlobalOptions::attach(CLI::App& app) {
  // option_text keeps this user's home directory (the default) out of --help and the man page.
  CLI::Option* config =
      app.set_config("--config", "",
                     "TOML/INI file of default options (default $DIGGER_CONFIG, else "
                     "~/.config/digger/config.toml); [report] etc. for a subcommand's");
  config->option_text("FILE");
  if (std::string path = default_config_path(); !path.empty()) {
    config->default_str(path);
  }
  config_ = config;
  // A key no command has is a mistake to report, not a default to drop silently.
  app.allow_config_extras(CLI::config_extras_mode::error);
  // A subcommand's parse-complete callback runs once the command line is read and before
  // CLI11 applies the config file: what is set then came from the command line.
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    sub->allow_config_extras(CLI::config_extras_mode::error);
    sub->parse_complete_callback([this, &app, sub] {
      note_given(app, from_command_line_);
      note_given(*sub, from_command_line_);
    });
  }
}

void GlobalOptions::carry(CLI::App& app) const {
  const auto chosen = app.get_subcommands();
  if (chosen.empty() || chosen.front()->get_name() == "scan") {
    return; // the scan itself (or its alias) owns the app's options
  }
  CLI::App* sub = chosen.front();
  for (const CLI::Option* option : app.get_options()) {
    if (option->count() == 0 || option == app.get_help_ptr() || option == app.get_version_ptr() ||
        option == config_) {
      continue;
    }
    const bool typed = from_command_line_.contains(option);
    CLI::Option* same = sub->get_option_no_throw(option->get_name());
    if (same == nullptr) {
      if (typed) {
        throw util::UsageError(
            fmt::format("{} is an option of the scan, not of `{}`; see `digger-scan {} --help`",
                        option->get_name(), sub->get_name(), sub->get_name()));
      }
      continue; // a scan default from the config file
    }
    // The subcommand's own value wins when typed; a typed global beats its config section.
    if (from_command_line_.contains(same) || (!typed && same->count() > 0)) {
      continue;
    }
    hand_over(*option, *same);
  }
}

} // namespace digger::cli

namespace digger::cli {

std::string describe_config_error(const std::string& path, const CLI::ConfigError& error) {
  // CLI11 names the key ("INI was not able to parse report.nosuch"); find its line.
  std::string what = error.what();
  const std::string prefix = "INI was not able to parse ";
  std::string key = what.starts_with(prefix) ? what.substr(prefix.size()) : "";
  key = key.substr(key.rfind('.') == std::string::npos ? 0 : key.rfind('.') + 1);
  std::ifstream in(path);
  std::string line;
  for (int number = 1; !key.empty() && std::getline(in, line); ++number) {
    std::string_view text(line);
    text.remove_prefix(std::min(text.find_first_not_of(" \t"), text.size()));
    if (text.starts_with(key) &&
        text.substr(key.size()).find_first_not_of(" \t") != std::string::npos &&
        text[text.find_first_not_of(" \t", key.size())] == '=') {
      return fmt::format("{}:{}: unknown option '{}'", path, number, key);
    }
  }
  return fmt::format("{}: {}", path, what);
}

} // namespace digger::cli
