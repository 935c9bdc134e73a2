// parse_crontab: every line of a crontab file classified as cronie's user.c (load_user) reads
// it, with Debian's Vixie cron verdicts beside it. See docs/cron-semantics.md.

#include "digger/crontab/crontab.hpp"

#include "digger/util/enum_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "crontab_detail.hpp"

namespace digger::crontab {

namespace {

constexpr util::EnumNames<LineKind, LineKind::invalid> line_kind_names{
    {"job", "env", "disabled-job", "comment", "blank", "invalid"}};

} // namespace

std::string_view line_kind_name(LineKind kind) {
  return line_kind_names.name_of(kind, "invalid");
}

namespace {

using detail::Daemon;

constexpr std::string_view nul_error = "NUL byte in line";

// Jobs share the snapshot of the env in effect; a hostile file alternating env lines and
// jobs would otherwise copy env x jobs settings. Past this budget, jobs carry no env.
constexpr std::size_t env_copy_budget_bytes = 64U << 20;

// The env lines read so far, with cronie's env_set semantics (replace in place, else append).
class EnvState {
public:
  void set(EnvSetting setting) {
    if (setting.name == "CRON_TZ") {
      cron_tz_ = setting.value;
    }
    bytes_ += size_of(setting);
    auto found = index_.find(setting.name);
    if (found != index_.end()) {
      bytes_ -= size_of(settings_[found->second]);
      settings_[found->second] = std::move(setting);
    } else {
      index_.emplace(setting.name, settings_.size());
      settings_.push_back(std::move(setting));
    }
    snapshot_valid_ = false;
  }

  const std::string& cron_tz() const { return cron_tz_; }
  bool over_budget() const { return over_budget_; }

  EnvironmentList snapshot() {
    if (!snapshot_valid_) {
      if (copied_ + bytes_ > env_copy_budget_bytes) {
        over_budget_ = true;
        return {};
      }
      copied_ += bytes_;
      snapshot_ = EnvironmentList(settings_);
      snapshot_valid_ = true;
    }
    return snapshot_;
  }

private:
  static std::size_t size_of(const EnvSetting& s) {
    return s.name.size() + s.value.size() + sizeof(EnvSetting);
  }

  std::vector<EnvSetting> settings_;
  std::unordered_map<std::string, std::size_t> index_;
  std::string cron_tz_;
  EnvironmentList snapshot_;
  bool snapshot_valid_ = true; // the empty list
  std::size_t bytes_ = 0;
  std::size_t copied_ = 0;
  bool over_budget_ = false;
};

void append_note(std::string& notes, std::string_view note) {
  if (note.empty()) {
    return;
  }
  if (!notes.empty()) {
    notes += "; ";
  }
  notes += note;
}

std::string_view after_blanks(std::string_view raw) {
  return raw.substr(detail::skip_blanks(raw, 0));
}

// Example lines that distributions ship inside comments: /etc/crontab's field legend and the
// template `crontab -e` writes on Debian. They parse as jobs but were never meant to run.
bool is_shipped_example(std::string_view body) {
  static constexpr std::string_view examples[] = {
      "* * * * * user-name command to be executed",
      "0 5 * * 1 tar -zcf /var/backups/home.tgz /home/",
  };
  std::string squeezed;
  for (char c : body) {
    if (!detail::is_blank(c)) {
      squeezed.push_back(c);
    } else if (!squeezed.empty() && squeezed.back() != ' ') {
      squeezed.push_back(' ');
    }
    if (squeezed.size() > 64) {
      return false;
    }
  }
  while (!squeezed.empty() && squeezed.back() == ' ') {
    squeezed.pop_back();
  }
  return std::find(std::begin(examples), std::end(examples), squeezed) != std::end(examples);
}

bool is_garbage(const Line& line) {
  return line.kind == LineKind::blank || line.kind == LineKind::comment ||
         line.kind == LineKind::disabled_job;
}

// Tallies what cronie's load_user counts in a user crontab, in file order.
struct CronieLimits {
  std::size_t entries = 0;
  std::size_t envs = 0;
  std::size_t garbage = 0; // bytes skip_comments() read since the last entry
  std::string refusal;     // the first limit hit

  void count(const Line& line, bool terminated) {
    if (!refusal.empty()) {
      return;
    }
    if (is_garbage(line)) {
      garbage += line.raw.size() + (terminated ? 1 : 0);
    } else if (terminated) {
      garbage += detail::skip_blanks(line.raw, 0) + 1;
      if (garbage <= cronie_max_garbage) {
        const bool env = line.kind == LineKind::env;
        ++(env ? envs : entries);
        if (entries > cronie_max_user_entries) {
          refusal =
              fmt::format("more than {} entries (line {})", cronie_max_user_entries, line.number);
        } else if (envs > cronie_max_user_envs) {
          refusal = fmt::format("more than {} environment settings (line {})", cronie_max_user_envs,
                                line.number);
        }
      }
    }
    if (refusal.empty() && garbage > cronie_max_garbage) {
      refusal = fmt::format("more than {} bytes of comments and blank lines in a row (line {})",
                            cronie_max_garbage, line.number);
    }
    if (!is_garbage(line)) {
      garbage = 0;
    }
  }
};

class CrontabParser {
public:
  explicit CrontabParser(const ParseOptions& options) : options_(options) {}

  void reserve(std::size_t lines) { result_.lines.reserve(lines); }

  void add_line(int number, std::string_view raw, bool terminated) {
    Line& line = result_.lines.emplace_back();
    line.number = number;
    line.raw = std::string(raw);
    classify(line);
    if (!terminated && !is_garbage(line)) {
      line.cronie_ignores = true;
      append_note(line.daemon_note, "no newline at end of file: cronie ignores this line and "
                                    "Debian cron the whole file");
      unterminated_line_ = number;
    }
    if (options_.flavor == CrontabFlavor::user) {
      limits_.count(line, terminated);
    }
  }

  ParsedCrontab finish() && {
    judge_cronie();
    judge_vixie();
    return std::move(result_);
  }

private:
  void classify(Line& line) {
    const std::string_view text = after_blanks(line.raw);
    if (text.empty()) {
      line.kind = LineKind::blank;
    } else if (text.front() == '#') {
      classify_comment(line, text);
    } else if (std::memchr(text.data(), '\0', text.size()) != nullptr) {
      line.kind = LineKind::invalid;
      line.error = std::string(nul_error);
      auto reading = detail::read_nul_segments(text, options_);
      line.vixie_error = std::move(reading.vixie_error);
      line.daemon_note = std::move(reading.note);
    } else if (auto env = detail::parse_env_line(text, Daemon::cronie)) {
      classify_env(line, text, std::move(*env));
    } else {
      classify_job(line, text);
    }
  }

  void classify_comment(Line& line, std::string_view text) {
    line.kind = LineKind::comment;
    const std::string_view body = after_blanks(text.substr(1));
    if (body.empty() || std::memchr(body.data(), '\0', body.size()) != nullptr ||
        is_shipped_example(body)) {
      return;
    }
    auto outcome = detail::parse_cronie_job(body, options_);
    if (outcome.job) {
      line.kind = LineKind::disabled_job;
      line.job = std::move(outcome.job);
      attach_environment(*line.job);
    }
  }

  void classify_env(Line& line, std::string_view text, EnvSetting env) {
    line.kind = LineKind::env;
    auto vixie = detail::parse_env_line(text, Daemon::vixie);
    if (!vixie) {
      line.vixie_error = detail::vixie_job_error(text, options_);
      append_note(line.daemon_note, env.value.empty()
                                        ? "Debian cron does not read an empty value as a "
                                          "setting"
                                        : "Debian cron does not read this as a setting");
    } else if (vixie->value != env.value) {
      append_note(line.daemon_note,
                  env.value.starts_with(vixie->value)
                      ? "Debian cron keeps only the first 999 bytes of this line"
                      : fmt::format("Debian cron strips one more layer of quotes: {}={}",
                                    vixie->name, vixie->value));
    }
    if (env.name == "CRON_TZ") {
      append_note(line.daemon_note, "Debian cron has no CRON_TZ: its jobs use the host's zone");
    }
    env_.set(env);
    line.env = std::move(env);
  }

  void classify_job(Line& line, std::string_view text) {
    auto outcome = detail::parse_cronie_job(text, options_);
    // Debian's cron keeps only 999 bytes of a line for its env check, so in contrived cases
    // it reads as a setting what cronie reads as a job. A shorter line is no setting for it
    // either: its env parser accepts a subset of cronie's.
    std::string vixie_note;
    if (text.size() < vixie_max_envstr - 1 || !detail::parse_env_line(text, Daemon::vixie)) {
      line.vixie_error = detail::vixie_job_error(text, options_, &vixie_note);
    }
    if (outcome.job) {
      line.kind = LineKind::job;
      line.job = std::move(outcome.job);
      attach_environment(*line.job);
      append_note(line.daemon_note, outcome.note);
      append_note(line.daemon_note, vixie_note);
      if (!line.vixie_error.empty()) {
        append_note(line.daemon_note,
                    fmt::format("Debian cron refuses this line ({})", line.vixie_error));
      }
      return;
    }
    line.kind = LineKind::invalid;
    line.error = std::move(outcome.error);
    append_note(line.daemon_note, outcome.note);
    if (line.vixie_error.empty()) {
      append_note(line.daemon_note, "Debian cron accepts this line");
    }
    if (line.raw.size() > cronie_max_command) {
      append_note(line.daemon_note, "cronie skips only 131072 bytes of a bad line: it reads "
                                    "the rest as another entry");
    }
  }

  void attach_environment(Job& job) {
    job.cron_tz = env_.cron_tz();
    job.environment = env_.snapshot();
  }

  void judge_cronie() {
    std::vector<std::string> skipped;
    std::vector<std::string> split;
    for (const Line& line : result_.lines) {
      if (line.kind == LineKind::invalid && !line.cronie_ignores) {
        (line.error == nul_error ? split : skipped)
            .push_back(fmt::format("{} ({})", line.number, line.error));
      }
    }
    add_list_note("cronie: skips line", skipped);
    add_list_note("cronie: reads as several lines (split at NUL bytes) line", split);
    if (unterminated_line_ != 0) {
      result_.load_notes.push_back(
          fmt::format("cronie: ignores line {}: no newline at end of file", unterminated_line_));
    }
    if (!limits_.refusal.empty()) {
      result_.loads_under_cronie = false;
      result_.load_notes.push_back("cronie: refuses the whole user crontab: " + limits_.refusal);
    }
    if (env_.over_budget()) {
      result_.load_notes.push_back(
          "digger: the environment is too large to record for every job; later jobs carry "
          "none");
    }
  }

  void judge_vixie() {
    std::vector<std::string> errors;
    for (const Line& line : result_.lines) {
      if (!line.vixie_error.empty() && !line.cronie_ignores) {
        errors.push_back(fmt::format("{} ({})", line.number, line.vixie_error));
      }
    }
    if (!errors.empty()) {
      result_.loads_under_vixie = false;
      add_list_note("Debian cron: ignores the whole file: syntax error on line", errors);
    }
    if (unterminated_line_ != 0) {
      result_.loads_under_vixie = false;
      result_.load_notes.push_back(
          fmt::format("Debian cron: ignores the whole file: no newline at end of file (line {})",
                      unterminated_line_));
    }
    if (result_.lines.size() > vixie_max_lines) {
      result_.loads_under_vixie = false;
      result_.load_notes.push_back(
          fmt::format("Debian cron: ignores the whole file: more than {} lines", vixie_max_lines));
    }
  }

  // One note naming the first few items; a broken file must not yield thousands of notes.
  void add_list_note(std::string_view prefix, const std::vector<std::string>& items) {
    constexpr std::size_t shown = 10;
    if (items.empty()) {
      return;
    }
    std::string note = fmt::format("{}{} ", prefix, items.size() > 1 ? "s" : "");
    for (std::size_t i = 0; i < std::min(items.size(), shown); ++i) {
      note += i == 0 ? items[i] : ", " + items[i];
    }
    if (items.size() > shown) {
      note += fmt::format(" and {} more", items.size() - shown);
    }
    result_.load_notes.push_back(std::move(note));
  }

  const ParseOptions& options_;
  ParsedCrontab result_;
  EnvState env_;
  CronieLimits limits_;
  int unterminated_line_ = 0;
};

} // namespace

ParsedCrontab parse_crontab(std::string_view text, const ParseOptions& options) {
  CrontabParser parser(options);
  parser.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::size_t pos = 0;
  int number = 0;
  while (pos < text.size()) {
    const std::size_t newline = text.find('\n', pos);
    const bool terminated = newline != std::string_view::npos;
    const std::size_t end = terminated ? newline : text.size();
    parser.add_line(++number, text.substr(pos, end - pos), terminated);
    pos = end + 1;
  }
  return std::move(parser).finish();
}

} // namespace digger::crontab
