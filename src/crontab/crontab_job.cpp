// One job line as cronie's entry.c (load_entry) reads it, and do_command.c's '%' split.

#include <algorithm>
#include <array>
#include <type_traits>

#include "crontab_detail.hpp"

namespace digger::crontab::detail {
namespace {

constexpr std::array<Field, 5> field_order = {Field::minute, Field::hour, Field::day_of_month,
                                              Field::month, Field::day_of_week};

JobOutcome refuse(std::string error, std::string note = {}) {
  JobOutcome out;
  out.error = std::move(error);
  out.note = std::move(note);
  return out;
}

std::string bad(Field field) {
  std::string text = "bad ";
  text += field_name(field);
  return text;
}

void store_field(Schedule& schedule, Field field, const FieldValue& value) {
  auto copy = [&](auto& bits) {
    using Bits = std::remove_reference_t<decltype(bits)>;
    bits = Bits(value.bits.to_ullong()); // keeps the low bits that fit
  };
  schedule.randomized = schedule.randomized || value.randomized;
  switch (field) {
  case Field::minute:
    copy(schedule.minutes);
    schedule.minute_star = value.star;
    break;
  case Field::hour:
    copy(schedule.hours);
    schedule.hour_star = value.star;
    break;
  case Field::day_of_month:
    copy(schedule.days_of_month);
    schedule.dom_star = value.star;
    break;
  case Field::month:
    copy(schedule.months);
    break;
  case Field::day_of_week:
    copy(schedule.days_of_week);
    schedule.dow_star = value.star;
    break;
  }
}

// The five time fields from `pos`; on success `pos` is past the blanks that follow them.
std::optional<std::string> read_fields(std::string_view text, std::size_t& pos, Job& job) {
  const std::size_t start = pos;
  std::size_t end_of_fields = pos;
  for (Field field : field_order) {
    const std::size_t token_end = skip_nonblanks(text, pos);
    if (token_end == pos) {
      return bad(field); // the line ended before this field
    }
    auto value = parse_field(field, text.substr(pos, token_end - pos));
    if (!value) {
      return bad(field);
    }
    store_field(job.schedule, field, value.value());
    end_of_fields = token_end;
    pos = skip_blanks(text, token_end);
  }
  job.schedule_text = std::string(text.substr(start, end_of_fields - start));
  return std::nullopt;
}

std::optional<std::string> read_macro(std::string_view text, std::size_t& pos, Job& job) {
  const std::size_t word_end = skip_nonblanks(text, pos);
  const std::string_view word = text.substr(pos, word_end - pos);
  auto schedule = schedule_from_macro(word);
  if (!schedule) {
    return std::string("bad time specifier");
  }
  job.schedule = std::move(schedule).value();
  job.schedule_text = std::string(word);
  pos = skip_blanks(text, word_end);
  if (pos == text.size()) {
    return std::string("bad command");
  }
  return std::nullopt;
}

// cronie >= 1.7 reads options before the command: only "-n" exists, followed by a blank.
std::optional<std::string> read_options(std::string_view text, std::size_t& pos, Job& job) {
  while (pos < text.size() && text[pos] == '-') {
    ++pos;
    if (pos >= text.size() || text[pos] != 'n' || job.mail_on_error_only) {
      return std::string("bad option");
    }
    job.mail_on_error_only = true;
    ++pos;
    if (pos >= text.size() || !is_blank(text[pos])) {
      return std::string("bad option");
    }
    pos = skip_blanks(text, pos);
    if (pos == text.size()) {
      return std::string("bad command");
    }
  }
  return std::nullopt;
}

} // namespace

JobOutcome parse_cronie_job(std::string_view text, const ParseOptions& options) {
  Job job;
  std::size_t pos = 0;
  if (!text.empty() && text[0] == '-') {
    if (options.flavor == CrontabFlavor::user && !options.privileged_owner) {
      return refuse("bad option", "only a privileged user can disable logging with '-'");
    }
    job.no_syslog = true;
    ++pos;
  }
  const bool is_macro = pos < text.size() && text[pos] == '@';
  auto error = is_macro ? read_macro(text, pos, job) : read_fields(text, pos, job);
  if (error) {
    return refuse(std::move(*error));
  }
  // "check for premature EOL and catch a common typo": a 6th time field or no command.
  if (pos == text.size() || text[pos] == '*') {
    return refuse("bad command", pos == text.size()
                                     ? "no command"
                                     : "a '*' where the command starts: a sixth time field?");
  }
  if (options.flavor == CrontabFlavor::system) {
    const std::size_t user_end = skip_nonblanks(text, pos);
    job.user = std::string(text.substr(pos, user_end - pos));
    pos = skip_blanks(text, user_end);
    if (pos == text.size()) {
      return refuse("bad command", "no command after the user");
    }
  }
  if (auto option_error = read_options(text, pos, job)) {
    return refuse(std::move(*option_error), "a command starting with '-' is read as options");
  }
  std::string_view command = text.substr(pos);
  JobOutcome out;
  if (command.size() > cronie_max_command - 1) {
    command = command.substr(0, cronie_max_command - 1);
    out.note = "cronie truncates the command to 131071 bytes";
  }
  auto parts = split_command(command);
  job.command = std::move(parts.command);
  job.stdin_data = std::move(parts.stdin_data);
  out.job = std::move(job);
  return out;
}

CommandParts split_command(std::string_view text) {
  CommandParts parts;
  // Most commands have neither '%' nor '\\'. (string_view::find_first_of would call memchr
  // once per character.)
  if (std::none_of(text.begin(), text.end(), [](char c) { return c == '%' || c == '\\'; })) {
    parts.command = std::string(text);
    return parts;
  }
  parts.command.reserve(text.size());
  bool escaped = false;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (escaped) {
      if (c == '%') {
        parts.command.back() = '%'; // "\%" becomes "%"
      } else {
        parts.command.push_back(c);
      }
      escaped = false;
      continue;
    }
    if (c == '%') {
      break;
    }
    escaped = c == '\\';
    parts.command.push_back(c);
  }
  if (i == text.size()) {
    return parts;
  }
  // The job's stdin: "\%" -> "%", "%" -> newline, "\x" -> "\x", a final newline added.
  std::string input;
  input.reserve(text.size() - i);
  bool need_newline = false;
  escaped = false;
  for (++i; i < text.size(); ++i) {
    char c = text[i];
    if (escaped && c != '%') {
      input.push_back('\\');
    } else if (!escaped && c == '%') {
      c = '\n';
    }
    escaped = c == '\\';
    if (!escaped) {
      input.push_back(c);
      need_newline = c != '\n';
    }
  }
  if (escaped) {
    input.push_back('\\');
  }
  if (need_newline) {
    input.push_back('\n');
  }
  parts.stdin_data = std::move(input);
  return parts;
}

} // namespace digger::crontab::detail
