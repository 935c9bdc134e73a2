#include "digger/evidence/mail_headers.hpp"

#include <catch2/catch.hpp>

using namespace digger::evidence;

namespace {

EntryRef entry(std::string user, std::string command) {
  EntryRef ref;
  ref.user = std::move(user);
  ref.command = std::move(command);
  return ref;
}

// What the collector's awk keeps of a spool: separators, Subject (with folds) and Date only.
constexpr std::string_view two_cron_mails = "From root@web1  Mon Dec  7 10:00:01 2026\n"
                                            "Subject: Cron <app@web1> /opt/app/report.sh --daily\n"
                                            "Date: Mon, 7 Dec 2026 10:00:01 +0000 (UTC)\n"
                                            "From root@web1  Mon Dec  7 11:00:02 2026\n"
                                            "Date: Mon, 7 Dec 2026 12:00:02 +0100\n"
                                            "Subject: Cron <app@web1> /opt/app/report.sh --daily\n";

} // namespace

TEST_CASE("evidence: cron's mail subject, cronie and Debian", "[evidence][mail]") {
  const auto mail = parse_cron_subject("Cron <app@web1> /opt/job.sh > /var/log/j.log 2>&1");
  REQUIRE(mail);
  CHECK(mail->user == "app");
  CHECK(mail->host == "web1");
  CHECK(mail->command == "/opt/job.sh > /var/log/j.log 2>&1");
  CHECK_FALSE(mail->failed);
  // Debian -L 4 appends " (failed)" after a non-zero exit.
  const auto failed = parse_cron_subject("Cron <root@db> backup (failed)");
  REQUIRE(failed);
  CHECK(failed->failed);
  CHECK(failed->command == "backup (failed)");
  // A command holding "> " and '@' after the first "> ": the host part ends at the first one.
  const auto odd = parse_cron_subject("Cron <u@h> echo a> b@c");
  REQUIRE(odd);
  CHECK(odd->host == "h");
  CHECK(odd->command == "echo a> b@c");
  CHECK_FALSE(parse_cron_subject("Re: Cron <app@web1> x"));
  CHECK_FALSE(parse_cron_subject("Cron <app web1> x"));
  CHECK_FALSE(parse_cron_subject("Cron <@web1> x"));
  CHECK_FALSE(parse_cron_subject("Cron <app@web1>"));
  CHECK_FALSE(parse_cron_subject("Anacron job 'cron.daily' on web1"));
}

TEST_CASE("evidence: RFC 5322 dates of mail headers", "[evidence][mail]") {
  CHECK(parse_mail_date(" Mon, 7 Dec 2026 10:00:01 +0000 (UTC)") == 1796637601);
  CHECK(parse_mail_date("7 Dec 2026 19:00:01 +0900") == 1796637601); // no day name
  CHECK(parse_mail_date("Mon, 07 Dec 2026 05:00:01 -0500") == 1796637601);
  CHECK(parse_mail_date("Mon, 7 Dec 2026 10:00:01 GMT") == 1796637601);
  CHECK(parse_mail_date("Mon, 7 Dec 26 10:00 UT") == 1796637600); // obsolete forms
  CHECK_FALSE(parse_mail_date("Mon, 7 Dez 2026 10:00:01 +0000"));
  CHECK_FALSE(parse_mail_date("Mon, 32 Dec 2026 10:00:01 +0000"));
  CHECK_FALSE(parse_mail_date("Mon, 7 Dec 2026 25:00:01 +0000"));
  CHECK_FALSE(parse_mail_date("Mon, 7 Dec 2026 10:00:01 +9999"));
  CHECK_FALSE(parse_mail_date("yesterday"));
  CHECK_FALSE(parse_mail_date(""));
}

TEST_CASE("evidence: the mbox separator's date is the host's local time", "[evidence][mail]") {
  const std::string_view line = "From root@web1  Mon Dec  7 19:00:01 2026";
  CHECK(parse_from_line(line, 9 * 3600) == 1796637601);
  CHECK_FALSE(parse_from_line(line, std::nullopt)); // no zone known: no time
  // A zone written before the year wins; a sender that looks like a date does not confuse it.
  CHECK(parse_from_line("From Mon@x Mon Dec  7 10:00:01 +0000 2026", std::nullopt) == 1796637601);
  CHECK_FALSE(parse_from_line("From root@web1", 0));
}

TEST_CASE("evidence: cron mails of a filtered spool", "[evidence][mail]") {
  const auto mails = parse_mail_headers(two_cron_mails, 0);
  REQUIRE(mails.size() == 2);
  CHECK(mails[0].command == "/opt/app/report.sh --daily");
  CHECK(mails[0].epoch == 1796637601);
  CHECK(mails[1].epoch == 1796641202); // Date: wins over the separator, whatever its place
  // Folded subject (an MTA wrapped a long line), CRLF lines, a mail that is not cron's, a
  // message without Date (the separator's time then), headers before any separator (ignored).
  const std::string_view mixed = "Subject: Cron <app@web1> stray\n"
                                 "From MAILER-DAEMON Mon Dec  7 09:00:00 2026\r\n"
                                 "Subject: Undelivered Mail\r\n"
                                 "From root@web1  Mon Dec  7 10:30:00 2026\n"
                                 "Subject: Cron <app@web1> /opt/a.sh --with-a-long\n"
                                 "\t--option\n"
                                 "From root@web1  Mon Dec  7 10:45:00 2026\n"
                                 "Date: broken\n"
                                 "Subject: Cron <app@web1> /opt/b.sh\n";
  const auto parsed = parse_mail_headers(mixed, 0);
  REQUIRE(parsed.size() == 2);
  CHECK(parsed[0].command == "/opt/a.sh --with-a-long\t--option");
  CHECK(parsed[0].epoch == 1796639400);
  CHECK(parsed[1].command == "/opt/b.sh");
  CHECK(parsed[1].epoch == 1796640300);
  CHECK(parse_mail_headers("", 0).empty());
  CHECK(parse_mail_headers("From \n\n\nSubject:\nDate:\n", std::nullopt).empty());
}

TEST_CASE("evidence: cron mails attributed to their entries", "[evidence][mail]") {
  std::vector<EntryRef> entries{
      entry("app", "/opt/app/report.sh --daily"),
      entry("root", "/opt/app/report.sh --daily"), // same command, another user
      entry("app", "date +%F"),                    // stored cut the cronie way: "\%" is "%"
      entry("app", "echo a\\\\b"),                 // Debian collapses "\\" in what it runs
      entry("app", "/opt/quiet.sh"),
  };
  std::vector<CronMail> mails = parse_mail_headers(two_cron_mails, 0);
  mails.push_back(*parse_cron_subject("Cron <app@web1> date +%F"));
  mails.push_back(*parse_cron_subject("Cron <app@web1> echo a\\b (failed)"));
  mails.push_back(*parse_cron_subject("Cron <app@web2> /opt/quiet.sh")); // a relay's spool
  mails.push_back(*parse_cron_subject("Cron <bob@web1> /opt/quiet.sh")); // another user's job
  std::vector<MailEvidence> evidence;
  attribute_mails(entries, mails, "WEB1", evidence);
  REQUIRE(evidence.size() == entries.size());
  CHECK(evidence[0] == MailEvidence{2, 1796641202});
  CHECK(evidence[1] == MailEvidence{});
  CHECK(evidence[2] == MailEvidence{1, std::nullopt}); // a subject alone carries no date
  CHECK(evidence[3].mails == 1);
  CHECK(evidence[4] == MailEvidence{});
  // No host name known: any host's mail counts (not another user's); a second pass adds up.
  attribute_mails(entries, mails, "", evidence);
  CHECK(evidence[0].mails == 4);
  CHECK(evidence[4].mails == 1);
}

TEST_CASE("evidence: two identical entries share their mails", "[evidence][mail]") {
  std::vector<EntryRef> entries{entry("app", "/opt/x.sh"), entry("app", "/opt/x.sh")};
  std::vector<MailEvidence> evidence;
  attribute_mails(entries, {*parse_cron_subject("Cron <app@h> /opt/x.sh")}, "h", evidence);
  CHECK(evidence[0].mails == 1);
  CHECK(evidence[1].mails == 1);
}
