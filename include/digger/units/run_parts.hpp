#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::units {

// Which run-parts runs /etc/cron.{hourly,daily,weekly,monthly}:
//  debian: debianutils' run-parts (C), called by /etc/crontab and anacrontab without
//          --lsbsysinit, so names must match ^[a-zA-Z0-9_-]+$.
//  cronie: the run-parts shell script of the crontabs package (Fedora, RHEL, SUSE).
enum class RunPartsFlavor { debian, cronie };

// The cronie script's jobs.deny / jobs.allow files of the directory (one name per line), when
// they exist and were read; Debian's run-parts has no such lists.
struct RunPartsLists {
  std::optional<std::vector<std::string>> deny;
  std::optional<std::vector<std::string>> allow;
};

// nullopt: run-parts would run this file; else the reason it skips it, in words
// ("name has a '.': Debian's run-parts skips it", "not executable"). `mode` is st_mode (only
// the permission bits are read) of the file run-parts would stat, following symlinks;
// `regular_file` false for directories and other non-regular files. run-parts runs as root,
// so any execute bit is enough.
std::optional<std::string> run_parts_skip_reason(std::string_view file_name, std::uint32_t mode,
                                                 bool regular_file, RunPartsFlavor flavor,
                                                 const RunPartsLists& lists = {});

// The directories a crontab or anacrontab command hands to run-parts, in order:
// "cd / && run-parts --report /etc/cron.daily" -> {"/etc/cron.daily"};
// "test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.weekly; }" too.
// Options (with their values for -u/--umask, -a/--arg, --regex) are skipped; a trailing
// '/' is dropped. Words only: variables and quoting are not expanded.
std::vector<std::string> run_parts_directories(std::string_view command);

} // namespace digger::units
