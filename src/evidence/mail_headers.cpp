#include "digger/evidence/mail_headers.hpp"

#include "digger/evidence/log_key.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <utility>

#include "civil_time.hpp"

namespace digger::evidence {
namespace {

constexpr std::array<std::string_view, 12> months = {"jan", "feb", "mar", "apr", "may", "jun",
                                                     "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> days = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::string_view failed_suffix = " (failed)";

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && blank(s.front())) {
    s.remove_prefix(1);
  }
  return s;
}

// Whitespace- and comma-separated words, RFC 5322 comments "(UTC)" dropped.
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size() && out.size() < 16) {
    const char c = s[i];
    if (blank(c) || c == ',' || c == '\r') {
      ++i;
    } else if (c == '(') {
      const auto close = s.find(')', i);
      i = close == std::string_view::npos ? s.size() : close + 1;
    } else {
      std::size_t j = i;
      while (j < s.size() && !blank(s[j]) && s[j] != ',' && s[j] != '(' && s[j] != '\r') {
        ++j;
      }
      out.push_back(s.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

std::optional<int> number(std::string_view s) {
  int value = 0;
  if (s.empty() || s.size() > 4) {
    return std::nullopt;
  }
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc{} || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return value;
}

int month_of(std::string_view s) {
  for (std::size_t i = 0; i < months.size(); ++i) {
    if (iequals(s, months[i])) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

bool is_day_name(std::string_view s) {
  for (const auto day : days) {
    if (iequals(s, day)) {
      return true;
    }
  }
  return false;
}

// "12:00:01" or "12:00".
bool read_clock(std::string_view s, LocalTime& t) {
  const auto first = s.find(':');
  if (first == std::string_view::npos) {
    return false;
  }
  const auto second = s.find(':', first + 1);
  const auto h = number(s.substr(0, first));
  const auto m = number(s.substr(
      first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1));
  const auto sec =
      second == std::string_view::npos ? std::optional<int>(0) : number(s.substr(second + 1));
  if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60) {
    return false;
  }
  t.hour = *h;
  t.minute = *m;
  t.second = std::min(*sec, 59);
  return true;
}

// "+0900", "-0130", or an obsolete name: seconds east of UTC.
std::optional<int> zone_offset(std::string_view s) {
  if (iequals(s, "GMT") || iequals(s, "UT") || iequals(s, "UTC") || iequals(s, "Z")) {
    return 0;
  }
  if (s.size() != 5 || (s[0] != '+' && s[0] != '-')) {
    return std::nullopt;
  }
  const auto hhmm = number(s.substr(1));
  if (!hhmm || *hhmm % 100 > 59 || *hhmm / 100 > 23) {
    return std::nullopt;
  }
  return (s[0] == '-' ? -1 : 1) * (*hhmm / 100 * 3600 + *hhmm % 100 * 60);
}

bool valid_day(const LocalTime& t) {
  return t.year >= 1970 && t.year <= 9999 && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
         t.day <= 31;
}

std::optional<int> year_of(std::string_view s) {
  auto year = number(s);
  if (year && s.size() == 2) {
    *year += *year < 50 ? 2000 : 1900; // RFC 5322 obsolete two-digit years
  }
  return year;
}

struct Message {
  bool open = false;
  std::string from_line;
  std::optional<std::string> subject;
  std::optional<std::string> date;
  bool in_subject = false; // the last header line was the Subject: a fold continues it
};

void finish(Message& message, std::optional<int> offset, std::vector<CronMail>& out) {
  if (message.open && message.subject) {
    if (auto mail = parse_cron_subject(*message.subject)) {
      mail->epoch = message.date ? parse_mail_date(*message.date) : std::nullopt;
      if (!mail->epoch) {
        mail->epoch = parse_from_line(message.from_line, offset);
      }
      out.push_back(std::move(*mail));
    }
  }
  message = Message{};
}

void take_line(std::string_view line, Message& message, std::optional<int> offset,
               std::vector<CronMail>& out) {
  if (line.starts_with("From ")) {
    finish(message, offset, out);
    message.open = true;
    message.from_line = line;
    return;
  }
  if (!message.open) {
    return;
  }
  if (!line.empty() && blank(line.front())) {
    if (message.in_subject) {
      *message.subject += line; // unfolding drops the line break only (RFC 5322 2.2.3)
    }
    return;
  }
  message.in_subject = false;
  if (istarts_with(line, "Subject:") && !message.subject) {
    message.subject = std::string(trim_left(line.substr(8)));
    message.in_subject = true;
  } else if (istarts_with(line, "Date:") && !message.date) {
    message.date = std::string(line.substr(5));
  }
}

} // namespace

std::optional<CronMail> parse_cron_subject(std::string_view subject) {
  subject = trim_left(subject);
  while (!subject.empty() && (subject.back() == '\r' || subject.back() == '\n')) {
    subject.remove_suffix(1);
  }
  constexpr std::string_view prefix = "Cron <";
  if (!subject.starts_with(prefix)) {
    return std::nullopt;
  }
  subject.remove_prefix(prefix.size());
  // cronie and Debian: "Cron <%s@%s> %s", user name and first label of the host name, neither
  // of which can hold '>' or '@'.
  const auto close = subject.find("> ");
  const auto at = subject.find('@');
  if (close == std::string_view::npos || at == std::string_view::npos || at > close || at == 0) {
    return std::nullopt;
  }
  CronMail mail;
  mail.user = subject.substr(0, at);
  mail.host = subject.substr(at + 1, close - at - 1);
  mail.command = subject.substr(close + 2);
  mail.failed = mail.command.ends_with(failed_suffix);
  if (mail.command.empty()) {
    return std::nullopt;
  }
  return mail;
}

std::optional<std::int64_t> parse_mail_date(std::string_view value) {
  auto w = words(value);
  std::size_t i = 0;
  if (i < w.size() && is_day_name(w[i])) {
    ++i;
  }
  if (w.size() < i + 5) {
    return std::nullopt;
  }
  LocalTime t;
  const auto day = number(w[i]);
  const auto year = year_of(w[i + 2]);
  t.month = month_of(w[i + 1]);
  const auto zone = zone_offset(w[i + 4]);
  if (!day || !year || !zone) {
    return std::nullopt;
  }
  t.day = *day;
  t.year = *year;
  if (!valid_day(t) || !read_clock(w[i + 3], t)) {
    return std::nullopt;
  }
  return epoch_of(t) - *zone;
}

std::optional<std::int64_t> parse_from_line(std::string_view line,
                                            std::optional<int> utc_offset_seconds) {
  // "From SENDER Www Mmm dd hh:mm:ss [zone] yyyy [remote from x]": the date follows a day
  // name; the sender is free text, so the date is found by its shape.
  auto w = words(line);
  for (std::size_t i = 1; i + 4 < w.size(); ++i) {
    if (!is_day_name(w[i]) || month_of(w[i + 1]) == 0) {
      continue;
    }
    LocalTime t;
    t.month = month_of(w[i + 1]);
    const auto day = number(w[i + 2]);
    if (!day || !read_clock(w[i + 3], t)) {
      continue;
    }
    t.day = *day;
    std::optional<int> zone = utc_offset_seconds;
    std::size_t y = i + 4;
    if (auto named = zone_offset(w[y]); named && y + 1 < w.size()) {
      zone = named;
      ++y;
    }
    const auto year = number(w[y]);
    if (!year || !zone) {
      return std::nullopt;
    }
    t.year = *year;
    return valid_day(t) ? std::optional<std::int64_t>(epoch_of(t) - *zone) : std::nullopt;
  }
  return std::nullopt;
}

std::vector<CronMail> parse_mail_headers(std::string_view filtered,
                                         std::optional<int> utc_offset_seconds) {
  std::vector<CronMail> out;
  Message message;
  std::size_t pos = 0;
  while (pos < filtered.size()) {
    auto nl = filtered.find('\n', pos);
    nl = nl == std::string_view::npos ? filtered.size() : nl;
    auto line = filtered.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    take_line(line, message, utc_offset_seconds, out);
    pos = nl + 1;
  }
  finish(message, utc_offset_seconds, out);
  return out;
}

void attribute_mails(const std::vector<EntryRef>& entries, const std::vector<CronMail>& mails,
                     std::string_view short_host, std::vector<MailEvidence>& evidence) {
  evidence.resize(entries.size());
  // (user, command as either daemon writes it) -> the entries it names.
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>, std::less<>> index;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    for (const auto daemon : {Daemon::cronie, Daemon::debian}) {
      auto& list = index[{entries[i].user, daemon_command(entries[i].command, daemon)}];
      if (list.empty() || list.back() != i) {
        list.push_back(i);
      }
    }
  }
  for (const auto& mail : mails) {
    if (!short_host.empty() && !iequals(mail.host, short_host)) {
      continue;
    }
    auto it = index.find(std::pair{mail.user, mail.command});
    if (it == index.end() && mail.failed) {
      const auto cut = mail.command.substr(0, mail.command.size() - failed_suffix.size());
      it = index.find(std::pair{mail.user, cut});
    }
    if (it == index.end()) {
      continue;
    }
    for (const auto i : it->second) {
      auto& e = evidence[i];
      ++e.mails;
      if (mail.epoch && (!e.last_mail || *mail.epoch > *e.last_mail)) {
        e.last_mail = mail.epoch;
      }
    }
  }
}

} // namespace digger::evidence
