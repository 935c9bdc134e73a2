// The env-line state machine of cronie's and Debian cron's env.c (load_env), and the
// EnvironmentList jobs carry.

#include <algorithm>
#include <memory>

#include "crontab_detail.hpp"

namespace digger::crontab::detail {
namespace {

enum class EnvState { name_start, name, eq1, eq2, value_start, value, fini, error };

// Name and value are each one contiguous run of the line (quotes excluded), so the machine
// records where they start and end instead of copying characters: most lines it sees are
// jobs, and those must cost no allocation.
struct EnvMachine {
  explicit EnvMachine(std::string_view line) : text(line) {}

  std::string_view text;
  EnvState state = EnvState::name_start;
  char quote = '\0';
  std::size_t name_begin = 0;
  std::size_t name_end = 0;
  std::size_t value_begin = 0;
  std::size_t value_end = 0;

  // One step of load_env's loop at `pos`; returns how many characters it consumed (0 or 1).
  std::size_t step(std::size_t pos) {
    const char c = text[pos];
    switch (state) {
    case EnvState::name_start:
    case EnvState::value_start: {
      const bool name = state == EnvState::name_start;
      state = name ? EnvState::name : EnvState::value;
      const std::size_t begin = c == '\'' || c == '"' ? pos + 1 : pos;
      (name ? name_begin : value_begin) = begin;
      (name ? name_end : value_end) = begin;
      if (begin != pos) {
        quote = c;
        return 1;
      }
      return in_word(pos);
    }
    case EnvState::name:
    case EnvState::value:
      return in_word(pos);
    case EnvState::eq1:
      if (c == '=') {
        state = EnvState::eq2;
        quote = '\0';
      } else if (!util::is_space(c)) {
        state = EnvState::error;
      }
      return 1;
    case EnvState::eq2:
    case EnvState::fini:
      if (util::is_space(c)) {
        return 1;
      }
      state = state == EnvState::eq2 ? EnvState::value_start : EnvState::error;
      return 0;
    case EnvState::error:
      return 0;
    }
    return 0;
  }

  std::size_t in_word(std::size_t pos) {
    const char c = text[pos];
    if (quote != '\0') {
      if (c == quote) {
        state = state == EnvState::name ? EnvState::eq1 : EnvState::fini;
        return 1;
      }
      if (state == EnvState::name && c == '=') {
        state = EnvState::error;
        return 0;
      }
    } else if (state == EnvState::name) {
      if (util::is_space(c)) {
        state = EnvState::eq1;
        return 1;
      }
      if (c == '=') {
        state = EnvState::eq1;
        return 0;
      }
    }
    (state == EnvState::name ? name_end : value_end) = pos + 1;
    return 1;
  }
};

std::string_view strip_matching_quotes(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

} // namespace

std::optional<EnvSetting> parse_env_line(std::string_view text, Daemon daemon) {
  // get_string() keeps MAX_ENVSTR - 1 bytes of the line and drops the rest.
  const std::size_t limit = daemon == Daemon::cronie ? cronie_max_envstr : vixie_max_envstr;
  if (text.size() > limit - 1) {
    text = text.substr(0, limit - 1);
  }
  EnvMachine machine(text);
  std::size_t pos = 0;
  while (machine.state != EnvState::error && pos < text.size()) {
    pos += machine.step(pos);
  }
  const bool unquoted_value = machine.state == EnvState::value && machine.quote == '\0';
  // cronie >= 1.6 also accepts "NAME=" with nothing after it; Debian's cron does not.
  const bool empty_value = daemon == Daemon::cronie && machine.state == EnvState::eq2;
  if (machine.state != EnvState::fini && !unquoted_value && !empty_value) {
    return std::nullopt;
  }
  std::string_view value;
  if (machine.state != EnvState::eq2) {
    value = text.substr(machine.value_begin, machine.value_end - machine.value_begin);
  }
  if (unquoted_value) {
    while (!value.empty() && util::is_space(value.back())) {
      value.remove_suffix(1);
    }
  }
  if (daemon == Daemon::vixie) {
    value = strip_matching_quotes(value);
  }
  return EnvSetting{
      std::string(text.substr(machine.name_begin, machine.name_end - machine.name_begin)),
      std::string(value)};
}

} // namespace digger::crontab::detail

namespace digger::crontab {

// EnvironmentList

EnvironmentList::EnvironmentList(std::initializer_list<EnvSetting> settings) {
  for (const auto& setting : settings) {
    set(setting);
  }
}

EnvironmentList::EnvironmentList(std::vector<EnvSetting> settings)
    : items_(std::make_shared<const std::vector<EnvSetting>>(std::move(settings))) {}

const std::vector<EnvSetting>& EnvironmentList::items() const {
  static const std::vector<EnvSetting> none;
  return items_ ? *items_ : none;
}

std::optional<std::string_view> EnvironmentList::get(std::string_view name) const {
  for (const auto& setting : items()) {
    if (setting.name == name) {
      return setting.value;
    }
  }
  return std::nullopt;
}

void EnvironmentList::set(EnvSetting setting) {
  auto copy = std::make_shared<std::vector<EnvSetting>>(items());
  auto found = std::find_if(copy->begin(), copy->end(),
                            [&](const EnvSetting& s) { return s.name == setting.name; });
  if (found != copy->end()) {
    *found = std::move(setting);
  } else {
    copy->push_back(std::move(setting));
  }
  items_ = std::move(copy);
}

} // namespace digger::crontab
