// The env-line state machine of cronie's and Debian cron's env.c (load_env).

#include "crontab_detail.hpp"

namespace digger::cron::detail {
namespace {

enum class EnvState { name_start, name, eq1, eq2, value_start, value, fini, error };

struct EnvMachine {
  EnvState state = EnvState::name_start;
  char quote = '\0';
  std::string name;
  std::string value;

  std::string& target() { return state <= EnvState::eq1 ? name : value; }

  // One step of load_env's loop; returns how many characters it consumed (0 or 1).
  std::size_t step(char c) {
    switch (state) {
    case EnvState::name_start:
    case EnvState::value_start:
      state = state == EnvState::name_start ? EnvState::name : EnvState::value;
      if (c == '\'' || c == '"') {
        quote = c;
        return 1;
      }
      return in_word(c);
    case EnvState::name:
    case EnvState::value:
      return in_word(c);
    case EnvState::eq1:
      if (c == '=') {
        state = EnvState::eq2;
        quote = '\0';
      } else if (!is_c_space(c)) {
        state = EnvState::error;
      }
      return 1;
    case EnvState::eq2:
    case EnvState::fini:
      if (is_c_space(c)) {
        return 1;
      }
      state = state == EnvState::eq2 ? EnvState::value_start : EnvState::error;
      return 0;
    case EnvState::error:
      return 0;
    }
    return 0;
  }

  std::size_t in_word(char c) {
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
      if (is_c_space(c)) {
        state = EnvState::eq1;
        return 1;
      }
      if (c == '=') {
        state = EnvState::eq1;
        return 0;
      }
    }
    target().push_back(c);
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
  EnvMachine machine;
  std::size_t pos = 0;
  while (machine.state != EnvState::error && pos < text.size()) {
    pos += machine.step(text[pos]);
  }
  const bool unquoted_value = machine.state == EnvState::value && machine.quote == '\0';
  // cronie >= 1.6 also accepts "NAME=" with nothing after it; Debian's cron does not.
  const bool empty_value = daemon == Daemon::cronie && machine.state == EnvState::eq2;
  if (machine.state != EnvState::fini && !unquoted_value && !empty_value) {
    return std::nullopt;
  }
  if (unquoted_value) {
    while (!machine.value.empty() && is_c_space(machine.value.back())) {
      machine.value.pop_back();
    }
  }
  if (daemon == Daemon::vixie) {
    machine.value = std::string(strip_matching_quotes(machine.value));
  }
  return EnvSetting{std::move(machine.name), std::move(machine.value)};
}

} // namespace digger::cron::detail
