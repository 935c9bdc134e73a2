// The collector reads the mail spool's cron headers at its real path, filtering on the host: a
// tmpfs over /var/mail in a private mount namespace (unshare -m) holds an mbox whose bodies and
// X-Cron-Env lines carry a canary, a FIFO and a link. Nothing on this machine changes. Skipped
// (with a warning) when not root or without unshare/setpriv.
#include "digger/collect/decode.hpp"
#include "digger/collect/script.hpp"
#include "digger/evidence/mail_headers.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <unistd.h>

using namespace digger::collect;

namespace {

// Two cron mails (the second with a folded subject) and a bounce; bodies and X-Cron-Env hold
// the canary, and one body holds a forged header block that the MDA quoted (">From ").
const char* const spool_layout = R"(set -e
[ -d /var/mail ] && [ ! -L /var/mail ] || exit 3
mount -t tmpfs digger-test /var/mail
m() {
  printf "From root@web1  %s\nFrom: root (Cron Daemon)\nTo: app\nSubject: %s\n" "$1" "$2"
  printf "X-Cron-Env: <DB_PASSWORD=CANARY-ENV>\nDate: %s\n\n%s\n\n" "$3" "$4"
}
{
  m "Mon Nov 30 08:15:01 2026" "Cron <app@web1> /opt/report.sh" "Mon, 30 Nov 2026 08:15:01 +0000" \
    "CANARY-BODY
>From root@web1  Mon Nov 30 08:15:01 2026
Subject: Cron <app@web1> /opt/report.sh"
  m "Tue Dec  1 08:15:02 2026" "Cron <app@web1> /opt/report.sh
	--all" "Tue, 1 Dec 2026 08:15:02 +0000" "CANARY-BODY"
  m "Tue Dec  1 09:00:00 2026" "Undelivered Mail" "Tue, 1 Dec 2026 09:00:00 +0000" "CANARY"
} > /var/mail/app
chmod 660 /var/mail/app
mkfifo /var/mail/fifo
ln -s /etc/shadow /var/mail/evil
)";

using Outputs = std::map<std::string, std::string>;

std::optional<Outputs> run_in_mail_layout() {
  if (::geteuid() != 0 || std::system("command -v unshare >/dev/null 2>&1") != 0 ||
      std::system("command -v setpriv >/dev/null 2>&1") != 0) {
    return std::nullopt;
  }
  auto dir = std::filesystem::temp_directory_path() / fmt::format("digger-mail-{}", ::getpid());
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::all);
  std::ofstream(dir / "fast.sh") << collector_command(false, {}, ScriptMode::automatic);
  std::ofstream(dir / "portable.sh") << collector_command(false, {}, ScriptMode::portable);
  std::ofstream(dir / "run.sh") << spool_layout << "set +e\n"
                                << "timeout 60 sh \"$1/fast.sh\" > \"$1/fast.out\" 2>/dev/null\n"
                                << "timeout 60 sh \"$1/portable.sh\" > \"$1/portable.out\" "
                                   "2>/dev/null\n"
                                << "setpriv --reuid=65534 --regid=65534 --clear-groups timeout 60 "
                                   "sh \"$1/fast.sh\" 2>/dev/null > \"$1/nobody.out\"\n";
  for (const auto* name : {"fast.sh", "portable.sh", "run.sh"}) {
    std::filesystem::permissions(dir / name, std::filesystem::perms::all);
  }
  const int rc = std::system(fmt::format("unshare -m --propagation private sh '{0}/run.sh' '{0}' "
                                         ">/dev/null 2>&1",
                                         dir.string())
                                 .c_str());
  std::optional<Outputs> out;
  if (rc == 0) {
    out.emplace();
    for (const auto* run : {"fast", "portable", "nobody"}) {
      std::ifstream in(dir / fmt::format("{}.out", run), std::ios::binary);
      (*out)[run] = std::string(std::istreambuf_iterator<char>(in), {});
    }
  }
  std::filesystem::remove_all(dir);
  return out;
}

std::string note_for(const HostSnapshot& snapshot, std::string_view path) {
  for (const auto& [p, why] : snapshot.mail_notes) {
    if (p == path) {
      return why;
    }
  }
  return {};
}

} // namespace

TEST_CASE("the collector sends only cron headers of the mail spool, never bodies or X-Cron-Env",
          "[collect][mail]") {
  const auto outputs = run_in_mail_layout();
  if (!outputs) {
    WARN("skipped: needs root, unshare and setpriv");
    return;
  }
  for (const auto* run : {"fast", "portable"}) {
    INFO(run);
    const auto& raw = outputs->at(run);
    CHECK(raw.find("CANARY") == std::string::npos); // filtered on the host
    CHECK(raw.find("X-Cron-Env") == std::string::npos);
    const auto decoded = decode_collector_output(raw);
    CHECK(decoded.complete);
    const auto& snap = decoded.snapshot;
    REQUIRE(snap.mails.size() == 1); // /var/spool/mail is /var/mail here: read once
    CHECK(snap.mails[0].path == "/var/mail/app");
    CHECK(snap.mails[0].from == 0);
    const auto mails = digger::evidence::parse_mail_headers(snap.mails[0].headers, 0);
    REQUIRE(mails.size() == 2); // the quoted ">From " block in a body is not a message
    CHECK(mails[0].command == "/opt/report.sh");
    CHECK(mails[1].command == "/opt/report.sh\t--all");
    CHECK(mails[1].epoch == 1796112902);
    CHECK(note_for(snap, "/var/mail/fifo").find("not a regular file") != std::string::npos);
    CHECK(note_for(snap, "/var/mail/evil").find("not a regular file") != std::string::npos);
  }
  const auto nobody = decode_collector_output(outputs->at("nobody")).snapshot;
  CHECK(nobody.mails.empty());
  CHECK(note_for(nobody, "/var/mail/app") == "permission denied");
}
