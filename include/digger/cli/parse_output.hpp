#pragma once

// How `digger-scan parse` renders parsed crontabs (implemented in src/cli/parse_command.cpp).

#include "digger/crontab/crontab.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace digger::cli {

// /etc/crontab and /etc/cron.d/* have a user column: a file named "crontab" or in a directory
// named "cron.d".
bool implies_system_crontab(const std::string& path);

// What the scan's file rules (names, permissions: collect/load_rules.hpp) say of a local file
// at `path` with permission bits `mode`, for each daemon. They apply only where cron reads
// files: a directory named "cron.d", a file named "crontab", the spool (/var/spool/cron/...).
struct FileLoad {
  bool cronie = true;
  bool vixie = true;
  std::vector<std::string> notes; // why not, one per distinct reason
};
FileLoad local_file_load(const std::string& path, std::uint32_t mode);

// Exit status of `parse` when cronie or Debian cron would ignore a whole file (its name, its
// permissions or its content): distinct from 0 (every file loads) and 2 (unreadable, usage).
inline constexpr int exit_file_ignored = 1;

// One line as JSON: line, kind, then only the fields that apply (schedule, macro, user,
// command, stdin, cron_tz, no_syslog, mail_on_error_only, name, value, error,
// cronie_ignores, vixie_error, note). The single place a Line becomes JSON.
// Jobs also get target, language, evidence, description and fingerprint (which needs the
// run-as user: the line's user column, else `file_owner`).
nlohmann::ordered_json crontab_entry_json(const crontab::Line& line, std::string_view file_owner);

// The owner of a user crontab: its file name.
std::string crontab_owner(const std::string& path);

// {"file":..,"loads":{"cronie":..,"vixie":..,"notes":[..]},"entries":[..]}
nlohmann::ordered_json crontab_file_json(const std::string& file,
                                         const crontab::ParsedCrontab& parsed);

} // namespace digger::cli
