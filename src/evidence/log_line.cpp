#include "digger/evidence/log_line.hpp"

#include "digger/util/enum_names.hpp"

#include <array>
#include <charconv>

#include "civil_time.hpp"

namespace digger::evidence {

namespace {

constexpr std::array<std::string_view, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Exactly `count` digits at `pos`, or -1.
int digits_at(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) {
    return -1;
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) {
      return -1;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty() || text.size() > 18) {
    return std::nullopt;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

bool valid_clock(const LocalTime& t) {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 && t.hour >= 0 &&
         t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 && t.second <= 60;
}

// "HH:MM:SS" at pos.
bool read_clock(std::string_view text, std::size_t pos, LocalTime& t) {
  t.hour = digits_at(text, pos, 2);
  t.minute = digits_at(text, pos + 3, 2);
  t.second = digits_at(text, pos + 6, 2);
  return pos + 8 <= text.size() && text[pos + 2] == ':' && text[pos + 5] == ':';
}

// "Nov 25 10:01:01 " (day may be space-padded). Returns the length consumed, or 0.
std::size_t read_traditional(std::string_view line, const FileClock& clock, LocalTime& t) {
  if (line.size() < 16 || line[3] != ' ' || line[6] != ' ' || line[15] != ' ') {
    return 0;
  }
  t.month = 0;
  for (std::size_t i = 0; i < month_names.size(); ++i) {
    if (line.substr(0, 3) == month_names[i]) {
      t.month = static_cast<int>(i) + 1;
    }
  }
  const int tens = line[4] == ' ' ? 0 : digits_at(line, 4, 1);
  const int ones = digits_at(line, 5, 1);
  if (t.month == 0 || tens < 0 || ones < 0 || !read_clock(line, 7, t)) {
    return 0;
  }
  t.day = tens * 10 + ones;
  // No year in the line: the file's own. A line's month after the file's mtime month can only
  // be from the year before (a file spanning New Year).
  t.year = t.month > clock.month ? clock.year - 1 : clock.year;
  return 16;
}

// "2024-11-25T10:01:01.123456+09:00 ". Returns the length consumed, or 0; offset in seconds.
std::size_t read_rfc3339(std::string_view line, LocalTime& t, int& offset) {
  t.year = digits_at(line, 0, 4);
  t.month = digits_at(line, 5, 2);
  t.day = digits_at(line, 8, 2);
  if (t.year < 0 || line.size() < 20 || line[4] != '-' || line[7] != '-' || line[10] != 'T' ||
      !read_clock(line, 11, t)) {
    return 0;
  }
  std::size_t pos = 19;
  if (pos < line.size() && line[pos] == '.') {
    ++pos;
    while (pos < line.size() && is_digit(line[pos])) {
      ++pos;
    }
  }
  if (pos < line.size() && line[pos] == 'Z') {
    offset = 0;
    ++pos;
  } else if (pos < line.size() && (line[pos] == '+' || line[pos] == '-')) {
    const int hours = digits_at(line, pos + 1, 2);
    const int minutes = digits_at(line, pos + 4, 2);
    if (hours < 0 || minutes < 0 || pos + 3 >= line.size() || line[pos + 3] != ':') {
      return 0;
    }
    offset = (line[pos] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    pos += 6;
  } else {
    return 0;
  }
  return pos < line.size() && line[pos] == ' ' ? pos + 1 : 0;
}

// "host CROND[4242]: msg" -> ident, pid, msg.
bool split_tag(std::string_view rest, std::string_view& ident, std::optional<std::int64_t>& pid,
               std::string_view& message) {
  const auto host_end = rest.find(' ');
  if (host_end == std::string_view::npos) {
    return false;
  }
  rest.remove_prefix(host_end + 1);
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return false;
  }
  std::string_view tag = rest.substr(0, colon);
  message = rest.substr(colon + 1);
  if (!message.empty() && message.front() == ' ') {
    message.remove_prefix(1);
  }
  if (tag.back() == ']') {
    const auto open = tag.rfind('[');
    if (open == std::string_view::npos) {
      return false;
    }
    pid = to_int(tag.substr(open + 1, tag.size() - open - 2));
    tag = tag.substr(0, open);
  }
  ident = tag;
  return !ident.empty() && ident.find_first_of(" []") == std::string_view::npos;
}

std::optional<LogEvent> parse_anacron(std::string_view ident, std::string_view message) {
  // anacron/runjob.c: "Job `%s' started", "Job `%s' terminated[ (exit status: %d)][ (mailing
  // output)]".
  constexpr std::string_view prefix = "Job `";
  const auto quote = message.find('\'');
  if (!message.starts_with(prefix) || quote == std::string_view::npos) {
    return std::nullopt;
  }
  LogEvent event;
  event.ident = std::string(ident);
  event.detail = std::string(message.substr(prefix.size(), quote - prefix.size()));
  const std::string_view rest = message.substr(quote + 1);
  if (rest == " started") {
    event.kind = EventKind::anacron_started;
  } else if (rest.starts_with(" terminated")) {
    event.kind = EventKind::anacron_terminated;
    constexpr std::string_view status = " (exit status: ";
    const auto at = rest.find(status);
    if (at != std::string_view::npos) {
      const auto close = rest.find(')', at);
      const auto value = close == std::string_view::npos
                             ? std::nullopt
                             : to_int(rest.substr(at + status.size(), close - at - status.size()));
      if (value && *value <= 255) {
        event.exit_status = static_cast<int>(*value);
      }
    } else {
      event.exit_status = 0; // anacron says "terminated" alone for exit status 0
    }
  } else {
    return std::nullopt;
  }
  event.event = std::string(event_kind_name(event.kind));
  return event;
}

EventKind kind_of(std::string_view user, std::string_view word, std::string_view detail) {
  if (word == "CMD") {
    return EventKind::cmd;
  }
  if (word == "CMDEND") {
    return EventKind::cmd_end;
  }
  if (word == "CMDOUT") {
    return EventKind::cmd_out;
  }
  if (word == "END") {
    return EventKind::end;
  }
  if (word == "MAIL") {
    return EventKind::mail;
  }
  if (user == "CRON" && word == "info" && detail.starts_with("No MTA installed")) {
    return EventKind::no_mta;
  }
  if (user == "CRON" && word == "error" && detail.starts_with("grandchild #")) {
    return EventKind::job_failed;
  }
  return EventKind::other;
}

// Debian -L 4: "grandchild #4243 failed with exit status 1".
void read_failure(LogEvent& event) {
  constexpr std::string_view status = " failed with exit status ";
  const std::string_view detail = event.detail;
  const auto at = detail.find(status);
  if (at == std::string_view::npos) {
    return;
  }
  event.job_pid = to_int(detail.substr(12, at - 12));
  const auto value = to_int(detail.substr(at + status.size()));
  if (value && *value <= 255) {
    event.exit_status = static_cast<int>(*value);
  }
}

// Debian -L 8: "[4243] command".
void read_job_pid(LogEvent& event) {
  const std::string_view detail = event.detail;
  const auto close = detail.find("] ");
  if (!detail.starts_with('[') || close == std::string_view::npos) {
    return;
  }
  const auto pid = to_int(detail.substr(1, close - 1));
  if (pid) {
    event.job_pid = pid;
    event.detail.erase(0, close + 2);
  }
}

constexpr util::EnumNames<EventKind, EventKind::other> event_kind_names{
    {"CMD", "CMDEND", "CMDOUT", "END", "MAIL", "no-mta", "job-failed", "anacron-started",
     "anacron-terminated", "other"}};

} // namespace

std::string_view event_kind_name(EventKind kind) {
  return event_kind_names.name_of(kind, "other");
}

std::optional<LogEvent> parse_cron_message(std::string_view ident, std::string_view message) {
  if (message.starts_with("Job `")) {
    return parse_anacron(ident, message);
  }
  // "(user) EVENT (detail)" (cronie src/misc.c, Debian misc.c log_it); cronie may append
  // ": strerror" after the detail. The detail runs to the last ')' (commands hold parentheses).
  const auto user_end = message.find(") ");
  const auto detail_open = user_end == std::string_view::npos ? std::string_view::npos
                                                              : message.find(" (", user_end + 2);
  const auto detail_close = message.rfind(')');
  if (!message.starts_with('(') || detail_open == std::string_view::npos ||
      detail_close == std::string_view::npos || detail_close <= detail_open) {
    return std::nullopt;
  }
  LogEvent event;
  event.ident = std::string(ident);
  event.user = std::string(message.substr(1, user_end - 1));
  event.event = std::string(message.substr(user_end + 2, detail_open - user_end - 2));
  event.detail = std::string(message.substr(detail_open + 2, detail_close - detail_open - 2));
  if (event.event.empty() || event.user.find('(') != std::string::npos) {
    return std::nullopt;
  }
  event.kind = kind_of(event.user, event.event, event.detail);
  if (event.kind == EventKind::job_failed) {
    read_failure(event);
  } else if (event.kind == EventKind::cmd || event.kind == EventKind::end) {
    read_job_pid(event);
  }
  return event;
}

FileClock file_clock(std::int64_t mtime, std::optional<int> utc_offset) {
  const LocalTime wall = civil_from_epoch(mtime + utc_offset.value_or(0));
  return {wall.year, wall.month, utc_offset};
}

std::optional<LogEvent> parse_syslog_line(std::string_view line, const FileClock& clock) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  LocalTime local;
  std::optional<int> offset = clock.utc_offset_seconds;
  std::size_t consumed = 0;
  if (!line.empty() && is_digit(line.front())) {
    int written_offset = 0;
    consumed = read_rfc3339(line, local, written_offset);
    offset = written_offset;
  } else {
    consumed = read_traditional(line, clock, local);
  }
  if (consumed == 0 || !valid_clock(local)) {
    return std::nullopt;
  }
  std::string_view ident, message;
  std::optional<std::int64_t> pid;
  if (!split_tag(line.substr(consumed), ident, pid, message)) {
    return std::nullopt;
  }
  auto event = parse_cron_message(ident, message);
  if (!event) {
    return std::nullopt;
  }
  event->pid = pid;
  event->local = local;
  if (offset) {
    event->epoch = epoch_of(local) - *offset;
  }
  return event;
}

} // namespace digger::evidence
