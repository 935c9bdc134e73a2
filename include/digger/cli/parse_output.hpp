#pragma once

// How `digger-scan parse` renders parsed crontabs (implemented in src/cli/parse_command.cpp).

#include "digger/crontab/crontab.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace digger::cli {

// /etc/crontab and /etc/cron.d/* have a user column: a file named "crontab" or in a directory
// named "cron.d".
bool implies_system_crontab(const std::string& path);

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
