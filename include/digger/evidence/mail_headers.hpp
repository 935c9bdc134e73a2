#pragma once

// Cron mails in a mail spool, from their headers alone (docs/evidence.md, "Mail spool"). Pure:
// the collector filters each mbox on the host down to its `From ` separator lines and the
// `Subject:` and `Date:` headers (bodies and X-Cron-Env never leave the host); this turns that
// text into per-entry counts. No subject is ever kept: it holds the command, which may hold a
// secret.

#include "digger/evidence/attribution.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::evidence {

// One message of the filtered stream whose Subject is cron's `Cron <user@host> command`.
struct CronMail {
  std::string user;                  // the run-as user cron names
  std::string host;                  // the first label of the sending host's name
  std::string command;               // as cron ran it (cut at '%', not mkprints-escaped)
  bool failed = false;               // Debian's " (failed)" suffix (-L 4 saw a non-zero exit)
  std::optional<std::int64_t> epoch; // the Date: header, else the `From ` line's time
  friend bool operator==(const CronMail&, const CronMail&) = default;
};

// The Subject value (unfolded) as cron wrote it: "Cron <app@web1> /opt/job.sh"; nullopt when
// it is not a cron mail.
std::optional<CronMail> parse_cron_subject(std::string_view subject);

// RFC 5322 date ("Mon, 7 Dec 2026 12:00:01 +0000 (UTC)", the day name optional, obsolete
// zones GMT/UT/UTC/Z) as epoch seconds.
std::optional<std::int64_t> parse_mail_date(std::string_view value);

// The mbox separator "From sender Mon Dec  7 12:00:01 2026": asctime in the host's local time,
// so only with its UTC offset.
std::optional<std::int64_t> parse_from_line(std::string_view line,
                                            std::optional<int> utc_offset_seconds);

// Every cron mail of one filtered stream (lines: "From ...", "Subject: ...", folded
// continuation lines, "Date: ..."; anything else is ignored).
std::vector<CronMail> parse_mail_headers(std::string_view filtered,
                                         std::optional<int> utc_offset_seconds);

// Per entry: how many cron mails the spool holds for it, and the last one's time.
struct MailEvidence {
  std::int64_t mails = 0;
  std::optional<std::int64_t> last_mail;
  friend bool operator==(const MailEvidence&, const MailEvidence&) = default;
};

// Adds each mail to every entry of the same user whose command cron would write into the
// subject (either daemon's form); mails of another host (a relay's spool) count for none.
// `short_host` is the scanned host's name up to its first '.' ("" accepts any host).
void attribute_mails(const std::vector<EntryRef>& entries, const std::vector<CronMail>& mails,
                     std::string_view short_host, std::vector<MailEvidence>& evidence);

} // namespace digger::evidence
