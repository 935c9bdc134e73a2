#pragma once

#include "digger/crontab/schedule.hpp"

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::crontab {

// User crontabs (spool, file name = owner) have 5 fields + command; system crontabs
// (/etc/crontab, /etc/cron.d/*) have a user column after the time fields.
enum class CrontabFlavor { user, system };

enum class LineKind { job, env, disabled_job, comment, blank, invalid };
std::string_view line_kind_name(LineKind kind); // "job", "env", "disabled-job", ...

struct EnvSetting {
  std::string name;
  std::string value;

  friend bool operator==(const EnvSetting&, const EnvSetting&) = default;
};

// The environment a job sees, read like a std::vector<EnvSetting>. Jobs that follow the same
// env lines share one copy: a file of many env lines and many jobs must not cost
// env-lines x jobs memory (crontabs are untrusted input).
class EnvironmentList {
public:
  using const_iterator = std::vector<EnvSetting>::const_iterator;

  EnvironmentList() = default;
  EnvironmentList(std::initializer_list<EnvSetting> settings);
  explicit EnvironmentList(std::vector<EnvSetting> settings);

  const_iterator begin() const { return items().begin(); }
  const_iterator end() const { return items().end(); }
  std::size_t size() const { return items().size(); }
  bool empty() const { return items().empty(); }
  const EnvSetting& operator[](std::size_t i) const { return items()[i]; }
  const std::vector<EnvSetting>& items() const;

  // The value of `name`, or nullopt when it is not set.
  std::optional<std::string_view> get(std::string_view name) const;
  // Like cronie's env_set: replaces an existing setting in place, else appends.
  void set(EnvSetting setting);
  void push_back(EnvSetting setting) { set(std::move(setting)); }

  friend bool operator==(const EnvironmentList& a, const EnvironmentList& b) {
    return a.items() == b.items();
  }

private:
  std::shared_ptr<const std::vector<EnvSetting>> items_;
};

struct Job {
  Schedule schedule;
  std::string schedule_text;             // the time fields or macro exactly as written
  std::optional<std::string> user;       // system crontabs: the user column
  std::string command;                   // up to the first unescaped '%', with "\%" unescaped
  std::optional<std::string> stdin_data; // after that '%', each later '%' a newline
  bool no_syslog = false;                // cronie's leading '-'
  bool mail_on_error_only = false;       // cronie's "-n" option
  std::string cron_tz;                   // CRON_TZ in effect; empty = the host's zone
  EnvironmentList environment;           // env in effect: every env line above the job, in order of
                                         // first appearance, a later setting of a name replacing it
};

struct Line {
  int number = 0; // 1-based
  LineKind kind = LineKind::blank;
  std::string raw;        // without the line terminator
  std::optional<Job> job; // job and disabled_job
  std::optional<EnvSetting> env;
  std::string error; // invalid: the reason cron gives ("bad minute", ...)

  // How the daemons treat the line beyond its kind (kind, job and error follow cronie):
  bool cronie_ignores = false; // cronie skips a line that parses (e.g. no newline at EOF)
  std::string vixie_error;     // Debian's cron rejects the line (and so the whole file)
  std::string daemon_note;     // one readable sentence on how cronie / Debian cron differ
};

struct ParsedCrontab {
  std::vector<Line> lines;
  bool loads_under_cronie = true;      // cronie skips bad lines only (but see user limits)
  bool loads_under_vixie = true;       // Debian's cron drops the whole file on any error
  std::vector<std::string> load_notes; // why a daemon ignores the file or lines, one each
};

struct ParseOptions {
  CrontabFlavor flavor = CrontabFlavor::user;
  bool privileged_owner = false; // root's user crontab may use cronie's '-' prefix
  // System crontabs: the accounts of the host. When given, Debian's cron rejects a user
  // column naming none of them ("bad username"); cronie only checks when the job runs.
  std::optional<std::vector<std::string>> known_users;
};

// Reads any bytes in one linear pass; never throws on content. Memory: every line is kept
// (about 500 bytes plus its text), so callers bound the size of what they pass in.
ParsedCrontab parse_crontab(std::string_view text, const ParseOptions& options);

// The limits cron applies, exposed for tests and documentation.
inline constexpr std::size_t cronie_max_command = 131072; // MAX_COMMAND (with the NUL)
inline constexpr std::size_t cronie_max_envstr = 131072;  // MAX_ENVSTR (with the NUL)
inline constexpr std::size_t cronie_max_user_entries = 10000;
inline constexpr std::size_t cronie_max_user_envs = 1000;
inline constexpr std::size_t cronie_max_garbage = 32768; // comment/blank bytes between entries
inline constexpr std::size_t vixie_max_command = 1000;   // a command of 999+ bytes is refused
inline constexpr std::size_t vixie_max_envstr = 1000;
inline constexpr std::size_t vixie_max_lines = 10000;

} // namespace digger::crontab
