// /etc/anacrontab, read the way cronie's anacron reads it (anacron/readtab.c): read_tab_line
// joins lines, parse_tab_line tries, in order, blank/comment, env assignment, numeric job and
// named-period job; anything else is "Invalid syntax" and skipped.

#include "digger/units/anacrontab.hpp"

#include <climits>
#include <fmt/format.h>

namespace digger::units {
namespace {

bool blank(char c) {
  return c == ' ' || c == '\t';
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}

std::size_t skip_blanks(std::string_view s, std::size_t i) {
  while (i < s.size() && blank(s[i])) {
    ++i;
  }
  return i;
}

// One logical line as read_tab_line builds it: a backslash before a newline joins the lines
// with a space; any other backslash is dropped, except one right before the end of the file.
struct Logical {
  std::string text;
  std::size_t begin = 0, end = 0; // raw byte span, without the final newline
  int lines = 1;
};

Logical read_logical(std::string_view in, std::size_t pos) {
  Logical out;
  out.begin = pos;
  int prev = 0;
  std::size_t i = pos;
  while (true) {
    const int c = i < in.size() ? static_cast<unsigned char>(in[i]) : -1;
    if ((c == '\n' && prev != '\\') || c == -1) {
      if (prev != 0) {
        out.text += static_cast<char>(prev);
      }
      out.end = i;
      break;
    }
    if (prev != '\\' && prev != 0 && prev != '\n') {
      out.text += static_cast<char>(prev);
    } else if (prev == '\n') {
      out.text += ' ';
    }
    if (c == '\n') {
      ++out.lines;
    }
    prev = c;
    ++i;
  }
  // anacron works on C strings: a NUL byte ends the line for the parser.
  if (const auto nul = out.text.find('\0'); nul != std::string::npos) {
    out.text.resize(nul);
  }
  return out;
}

// A run of digits as anacron's conv2int sees it: -1 when above INT_MAX.
int to_int(std::string_view digits) {
  long long v = 0;
  for (char c : digits) {
    v = v * 10 + (c - '0');
    if (v > INT_MAX) {
      return -1;
    }
  }
  return static_cast<int>(v);
}

bool all_digits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!digit(c)) {
      return false;
    }
  }
  return true;
}

// ^[ \t]*([^ \t=]+)[ \t]*=(.*)$
std::optional<crontab::EnvSetting> match_env(std::string_view line) {
  std::size_t i = skip_blanks(line, 0);
  const std::size_t name_begin = i;
  while (i < line.size() && !blank(line[i]) && line[i] != '=') {
    ++i;
  }
  if (i == name_begin) {
    return std::nullopt;
  }
  const std::size_t name_end = i;
  i = skip_blanks(line, i);
  if (i >= line.size() || line[i] != '=') {
    return std::nullopt;
  }
  return crontab::EnvSetting{std::string(line.substr(name_begin, name_end - name_begin)),
                             std::string(line.substr(i + 1))};
}

struct JobFields {
  std::string_view period, delay, ident, command;
};

// ^[ \t]*(PERIOD)[ \t]+([[:digit:]]+)[ \t]+([^ \t/]+)[ \t]+([^ \t].*)$ where PERIOD is
// [[:digit:]]+ or @[^ \t]+.
std::optional<JobFields> match_job(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t i = skip_blanks(line, 0);
  for (int f = 0; f < 3; ++f) {
    const std::size_t b = i;
    while (i < line.size() && !blank(line[i])) {
      ++i;
    }
    if (i == b || i >= line.size()) {
      return std::nullopt; // each of the three fields needs blanks after it
    }
    fields.push_back(line.substr(b, i - b));
    i = skip_blanks(line, i);
  }
  if (i >= line.size()) {
    return std::nullopt;
  }
  JobFields job{fields[0], fields[1], fields[2], line.substr(i)};
  const bool period_ok = all_digits(job.period) || (job.period.size() > 1 && job.period[0] == '@');
  if (!period_ok || !all_digits(job.delay) || job.ident.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return job;
}

// register_period_job's prefix tests (strncmp): "@monthlyX" is monthly, "@annualy" too.
std::string named_period(std::string_view period) {
  const auto starts = [period](std::string_view p) { return period.substr(0, p.size()) == p; };
  if (starts("@monthly")) {
    return "monthly";
  }
  if (starts("@yearly") || starts("@annually") || starts("@annualy")) {
    return "yearly";
  }
  if (starts("@daily")) {
    return "daily";
  }
  if (starts("@weekly")) {
    return "weekly";
  }
  return "";
}

class Reader {
public:
  void line(AnacronLine& out, std::string_view text) {
    const std::size_t first = skip_blanks(text, 0);
    if (first >= text.size() || text[first] == '#') {
      out.kind = first < text.size() ? crontab::LineKind::comment : crontab::LineKind::blank;
      return;
    }
    if (auto env = match_env(text)) {
      assignment(out, std::move(*env));
      return;
    }
    if (auto fields = match_job(text)) {
      job(out, *fields);
      return;
    }
    invalid(out, "Invalid syntax in anacrontab on line {} - skipping this line");
  }

  ParsedAnacrontab result;

private:
  void invalid(AnacronLine& out, std::string_view message) {
    out.kind = crontab::LineKind::invalid;
    out.error = fmt::format(fmt::runtime(message), out.number);
  }

  void assignment(AnacronLine& out, crontab::EnvSetting env) {
    const auto starts = [&env](std::string_view p) {
      return env.name.compare(0, p.size(), p) == 0;
    };
    if (starts("START_HOURS_RANGE")) {
      const auto dash = env.value.find('-');
      if (dash == std::string::npos || !all_digits(std::string_view(env.value).substr(0, dash)) ||
          !all_digits(std::string_view(env.value).substr(dash + 1))) {
        return invalid(out, "Invalid syntax in anacrontab on line {} - skipping this line");
      }
      const int from = to_int(env.value.substr(0, dash));
      const int to = to_int(env.value.substr(dash + 1));
      if (to < from) {
        result.start_hours_range = std::pair{0, 0};
        return invalid(out, "Invalid syntax in anacrontab on line {} - skipping this line "
                            "(reversed START_HOURS_RANGE: anacron now starts no job)");
      }
      result.start_hours_range = std::pair{from, to};
    } else if (starts("RANDOM_DELAY")) {
      if (!all_digits(env.value)) {
        return invalid(out, "Invalid syntax in anacrontab on line {} - skipping this line");
      }
      random_delay_ = std::max(0, to_int(env.value));
      result.random_delay_minutes = random_delay_;
    } else if (starts("PREFERRED_HOUR") && all_digits(env.value)) {
      const int hour = to_int(env.value);
      if (hour < 0 || hour > 24) {
        return invalid(out, "Invalid syntax in anacrontab on line {} - skipping this line");
      }
    }
    out.kind = crontab::LineKind::env;
    out.env = env;
    result.environment.set(std::move(env));
  }

  void job(AnacronLine& out, const JobFields& f) {
    AnacronJob job;
    job.period_text = std::string(f.period);
    job.job_id = std::string(f.ident);
    job.command = std::string(f.command);
    job.random_delay_minutes = random_delay_;
    job.delay_text = std::string(f.delay);
    job.delay_minutes = to_int(f.delay);
    if (f.period[0] == '@') {
      job.period_macro = named_period(f.period);
      if (job.delay_minutes >= 0 && job.period_macro.empty()) {
        return invalid(out, "Unknown named period on line {}, skipping");
      }
      job.period_days = job.period_macro == "daily" ? 1 : job.period_macro == "weekly" ? 7 : 0;
    } else {
      job.period_days = to_int(f.period);
    }
    if (job.delay_minutes < 0 || job.period_days < 0) {
      return invalid(out, "number out of range on line {}, skipping");
    }
    out.kind = crontab::LineKind::job;
    out.job = std::move(job);
  }

  int random_delay_ = 0;
};

std::string plural(int n, std::string_view unit) {
  return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
}

std::string period_words(const AnacronJob& job) {
  if (job.period_macro == "monthly") {
    return "once a month";
  }
  if (job.period_macro == "yearly") {
    return "once a year";
  }
  switch (job.period_days) {
  case 0:
    return "every time anacron runs";
  case 1:
    return "once a day";
  case 7:
    return "once a week";
  default:
    return fmt::format("once every {}", plural(job.period_days, "day"));
  }
}

} // namespace

ParsedAnacrontab parse_anacrontab(std::string_view text) {
  Reader reader;
  std::size_t pos = 0;
  int number = 1;
  while (pos < text.size()) {
    const Logical logical = read_logical(text, pos);
    AnacronLine line;
    line.number = number;
    line.last_number = number + logical.lines - 1;
    line.raw = std::string(text.substr(logical.begin, logical.end - logical.begin));
    reader.line(line, logical.text);
    reader.result.lines.push_back(std::move(line));
    number += logical.lines;
    pos = logical.end + 1;
  }
  return std::move(reader.result);
}

std::string anacron_schedule_text(const AnacronJob& job) {
  return fmt::format("{} {} {}", job.period_text, job.delay_text, job.job_id);
}

std::string normalized_anacron_schedule(const AnacronJob& job) {
  const std::string period = job.period_macro == "monthly" || job.period_macro == "yearly"
                                 ? job.period_macro
                                 : fmt::format("{}d", job.period_days);
  return fmt::format("anacron period={} delay={}m", period, job.delay_minutes);
}

std::string describe_anacron_job(const AnacronJob& job, const ParsedAnacrontab& file) {
  std::string text = period_words(job);
  text += job.delay_minutes == 0
              ? ", as soon as anacron starts"
              : fmt::format(", {} after anacron starts", plural(job.delay_minutes, "minute"));
  if (file.start_hours_range) {
    const auto [from, to] = *file.start_hours_range;
    text += from == to ? ", never (empty START_HOURS_RANGE)"
                       : fmt::format(", between {:02}:00 and {:02}:00", from, to);
  }
  if (job.random_delay_minutes > 0) {
    text += fmt::format(", plus up to {} random {}", job.random_delay_minutes,
                        job.random_delay_minutes == 1 ? "minute" : "minutes");
  }
  return text;
}

} // namespace digger::units
