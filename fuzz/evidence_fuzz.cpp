// Any bytes as a cron log line (traditional, RFC 3339), a journal JSON object, a mail
// spool's filtered headers or systemd's timer table: no crash, no leak, no hang; attribution over
// what parsed keeps its invariants.

#include "digger/evidence/attribution.hpp"
#include "digger/evidence/log_key.hpp"
#include "digger/evidence/log_line.hpp"
#include "digger/evidence/mail_headers.hpp"
#include "digger/evidence/timer_list.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace digger::evidence;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const FileClock clock{2024, 11, 3600};
  std::vector<LogEvent> events;
  if (auto event = parse_syslog_line(text, clock)) {
    check(event->local.has_value());
    check(event->detail.size() <= text.size());
    events.push_back(std::move(*event));
  }
  if (auto event = parse_journal_json(text, clock)) {
    events.push_back(std::move(*event));
  }
  // The transform never grows a byte into more than four, and cutting never grows the text.
  check(cut_command(text, Daemon::debian).size() <= text.size());
  check(mkprints(text).size() <= 4 * text.size());
  std::vector<EntryRef> entries(2);
  entries[0].user = entries[1].user = events.empty() ? "" : events.front().user;
  entries[0].command = entries[1].command = std::string(text.substr(0, 64));
  std::vector<JobEvidence> evidence;
  attribute(entries, events, evidence);
  check(evidence.size() == entries.size());
  for (const auto& e : evidence) {
    check(e.runs + e.ambiguous_runs <= static_cast<std::int64_t>(events.size()));
  }
  // The same bytes as a spool's filtered headers: every mail is one "From " line's, and each
  // counts at most once per entry.
  const auto mails = parse_mail_headers(text, 3600);
  std::size_t separators = text.starts_with("From ") ? 1 : 0;
  for (std::size_t at = text.find("\nFrom "); at != std::string_view::npos;
       at = text.find("\nFrom ", at + 1)) {
    ++separators;
  }
  check(mails.size() <= separators);
  for (const auto& mail : mails) {
    check(mail.command.size() <= text.size());
    entries[0].user = mail.user;
    entries[0].command = mail.command;
  }
  std::vector<MailEvidence> counted;
  attribute_mails(entries, mails, "", counted);
  check(counted.size() == entries.size());
  for (const auto& c : counted) {
    check(c.mails <= static_cast<std::int64_t>(mails.size()));
  }
  // The same bytes as `systemctl list-timers`: at most one timer per line, each named *.timer.
  const auto timers = parse_timer_list(text, 3600);
  check(timers.size() <= static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  for (const auto& timer : timers) {
    check(timer.unit.ends_with(".timer") && timer.unit.size() <= text.size());
  }
  return 0;
}
