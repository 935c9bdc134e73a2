#pragma once

// Options given before a subcommand (`digger-scan --db x report`) and the config file
// (`--config`, $DIGGER_CONFIG, ~/.config/digger/config.toml): both set the app's own options,
// which are the scan's; a subcommand that has an option of the same name takes the value.

#include <CLI/CLI.hpp>

#include <set>
#include <string>

namespace digger::cli {

// $DIGGER_CONFIG when set and not empty, else $XDG_CONFIG_HOME/digger/config.toml (or
// ~/.config/digger/config.toml). A default file that does not exist is not an error.
std::string default_config_path();

// "FILE:LINE: unknown option 'x'" for CLI11's error about a key of the config file at `path`.
std::string describe_config_error(const std::string& path, const CLI::ConfigError& error);

class GlobalOptions {
public:
  // Adds --config to the app and notes, for every subcommand, which options the command line
  // itself gave (before the config file and the environment are applied).
  void attach(CLI::App& app);
  // Hands the app's options to the chosen subcommand: command line before the subcommand, then
  // the config file's top-level keys. Throws util::UsageError for a command-line option the
  // subcommand does not have; the config file's scan-only keys are left to the scan.
  void carry(CLI::App& app) const;

private:
  std::set<const CLI::Option*> from_command_line_;
  const CLI::Option* config_ = nullptr;
};

} // namespace digger::cli
