#include "digger/collect/decode.hpp"
#include "digger/collect/script.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

using namespace digger::collect;

namespace {
// Builds collector output the way the script frames it.
struct Framer {
  std::string out{start_marker};
  Framer& record(std::string_view type, std::initializer_list<std::string_view> fields) {
    out += std::string(type) + " " + std::to_string(fields.size()) + "\n";
    for (auto f : fields) {
      out += std::to_string(f.size()) + "\n" + std::string(f) + "\n";
    }
    return *this;
  }
  Framer& end() { return record("END", {"0"}); }
};
} // namespace

TEST_CASE("decoder reads facts, files and notes", "[collect][decode]") {
  const std::string content = std::string("0 3 * * * /bin/true\n\0binary\xff", 27);
  Framer f;
  f.record("FACT", {"hostname", "web-01"})
      .record("FACT", {"os_release", "NAME=\"Debian\"\nID=debian\nVERSION_ID=\"12\"\n"})
      .record("FACT", {"localtime", "/usr/share/zoneinfo/Europe/Berlin"})
      .record("FACT", {"daemon_cron", "/usr/sbin/cron"})
      .record("FILE", {"user", "/var/spool/cron/crontabs/app", "1001", "app", "600", "27",
                       "1700000000", content})
      .record("FILE", {"cron.d", "/etc/cron.d/odd\nname; $(x)", "0", "root", "644", "99",
                       "1700000001", "short"})
      .record("LINK", {"user", "/var/spool/cron/evil", "/etc/shadow"})
      .record("UNREADABLE", {"user", "/var/spool/cron/crontabs", "permission denied"})
      .end();
  auto decoded = decode_collector_output("motd noise\n" + f.out);
  REQUIRE(decoded.error.empty());
  CHECK(decoded.complete);
  const auto& snap = decoded.snapshot;
  CHECK(snap.facts.hostname == "web-01");
  CHECK(snap.facts.os_id == "debian");
  CHECK(snap.facts.os_version == "12");
  CHECK(snap.facts.timezone == "Europe/Berlin");
  CHECK(snap.facts.cron_daemon == "vixie");
  REQUIRE(snap.sources.size() == 2);
  CHECK(snap.sources[0].owner == "app");
  CHECK(snap.sources[0].mode == 0600);
  CHECK(snap.sources[0].content == content);
  CHECK_FALSE(snap.sources[0].truncated);
  CHECK(snap.sources[1].path == "/etc/cron.d/odd\nname; $(x)");
  CHECK(snap.sources[1].kind == SourceKind::cron_d);
  CHECK(snap.sources[1].owner == "root");
  CHECK(snap.sources[1].truncated); // 5 bytes sent of 99
  REQUIRE(snap.skipped.size() == 1);
  CHECK(snap.skipped[0].reason.find("/etc/shadow") != std::string::npos);
  REQUIRE(snap.unreadable.size() == 1);
  CHECK(snap.unreadable[0].path == "/var/spool/cron/crontabs");
  REQUIRE(snap.script_exit_status.has_value());
  CHECK(*snap.script_exit_status == 0);
}

TEST_CASE("decoder keeps what it read before a cut", "[collect][decode]") {
  Framer f;
  f.record("FACT", {"hostname", "db-02"})
      .record("FILE",
              {"user", "/var/spool/cron/root", "0", "root", "600", "10", "1", "0 * * * *\n"});
  std::string cut = f.out + "FILE 8\n4\nuser\n200\n/var/sp";
  auto decoded = decode_collector_output(cut);
  CHECK_FALSE(decoded.complete);
  CHECK_FALSE(decoded.error.empty());
  CHECK(decoded.snapshot.facts.hostname == "db-02");
  CHECK(decoded.snapshot.sources.size() == 1);
}

TEST_CASE("decoder rejects hostile framing without trusting lengths", "[collect][decode]") {
  for (const std::string tail :
       {"FILE 8\n99999999999999999999\nx\n", "FACT 2\n-1\n\n", "FACT 99\n", "END\n",
        "FACT 2\n3\nabcd\n", "WHAT 0\n", "FACT 2\n1\na\n18446744073709551615\n"}) {
    auto decoded = decode_collector_output(std::string(start_marker) + tail);
    CHECK_FALSE(decoded.complete);
    CHECK_FALSE(decoded.error.empty());
  }
  auto none = decode_collector_output("sudo: a password is required\n");
  CHECK_FALSE(none.started);
}

TEST_CASE("decoder reads anacrontab, run-parts, units, wants links and dpkg owners",
          "[collect][decode]") {
  Framer f;
  f.record("FILE", {"anacrontab", "/etc/anacrontab", "0", "root", "644", "12", "1", "1 5 x true\n"})
      .record("FILE",
              {"run-parts", "/etc/cron.daily/logrotate", "0", "root", "755", "9", "2", "#!/bin/sh"})
      .record("FILE", {"unit", "/usr/lib/systemd/system/fstrim.timer", "0", "root", "644", "7", "3",
                       "[Timer]"})
      .record("FILE", {"unit", "/etc/systemd/system/backup.service", "0", "root", "644", "9", "4",
                       "[Service]"})
      .record("FILE",
              {"user", "/var/spool/cron/crontabs/app", "1001", "app", "600", "2", "5", "#\n"})
      .record("LINK", {"run-parts", "/etc/cron.daily/evil", "/etc/shadow"})
      .record("WANTS", {"/etc/systemd/system/timers.target.wants/fstrim.timer",
                        "/lib/systemd/system/fstrim.timer"})
      .record("PKGS", {"dpkg", "/var/lib/dpkg/info/logrotate.list:/etc/cron.daily/logrotate\n"
                               "/var/lib/dpkg/info/util-linux:amd64.list:/lib/systemd/system/"
                               "fstrim.timer\n"
                               "/var/lib/dpkg/info/evil.list:/etc/passwd\n"
                               "/var/lib/dpkg/info/cron.list:/var/spool/cron/crontabs/app\n"
                               "garbage line\n"})
      .end();
  auto decoded = decode_collector_output(f.out);
  REQUIRE(decoded.error.empty());
  const auto& snap = decoded.snapshot;
  REQUIRE(snap.sources.size() == 5);
  CHECK(snap.sources[0].kind == SourceKind::anacrontab);
  CHECK(snap.sources[0].owner == "root");
  CHECK(snap.sources[1].kind == SourceKind::run_parts);
  CHECK(snap.sources[1].mode == 0755);
  CHECK(snap.sources[2].kind == SourceKind::systemd_unit);
  CHECK(snap.sources[3].kind == SourceKind::systemd_unit);
  REQUIRE(snap.skipped.size() == 1);
  CHECK(snap.skipped[0].kind == SourceKind::run_parts);
  REQUIRE(snap.enabled_units.size() == 1);
  CHECK(snap.enabled_units[0].link_path == "/etc/systemd/system/timers.target.wants/fstrim.timer");
  CHECK(snap.enabled_units[0].target == "/lib/systemd/system/fstrim.timer");
  // Only collected non-spool paths get an owner; the merged-/usr alias maps to /usr/lib.
  REQUIRE(snap.package_owners.size() == 2);
  CHECK(snap.package_owners[0].path == "/etc/cron.daily/logrotate");
  CHECK(snap.package_owners[0].package == "logrotate");
  CHECK(snap.package_owners[1].path == "/usr/lib/systemd/system/fstrim.timer");
  CHECK(snap.package_owners[1].package == "util-linux");
}

TEST_CASE("rpm owners are claimed only when every asked path has its line", "[collect][decode]") {
  auto with_rpm = [](std::string_view output) {
    Framer f;
    f.record("FILE", {"system", "/etc/crontab", "0", "root", "644", "1", "1", "#"})
        .record("FILE", {"user", "/var/spool/cron/root", "0", "root", "600", "1", "1", "#"})
        .record("FILE", {"cron.d", "/etc/cron.d/0hourly", "0", "root", "644", "1", "1", "#"})
        .record("FILE", {"cron.d", "/etc/cron.d/new\nline", "0", "root", "644", "1", "1", "#"})
        .record("FILE", {"cron.d", "/etc/cron.d/app", "0", "root", "644", "1", "1", "#"})
        .record("PKGS", {"rpm", output})
        .end();
    return decode_collector_output(f.out).snapshot.package_owners;
  };
  auto owners = with_rpm("crontabs\ncronie\nfile /etc/cron.d/app is not owned by any package");
  REQUIRE(owners.size() == 2);
  CHECK(owners[0].path == "/etc/crontab");
  CHECK(owners[0].package == "crontabs");
  CHECK(owners[1].path == "/etc/cron.d/0hourly");
  CHECK(owners[1].package == "cronie");
  // A path with two owners shifts the lines: better no owner than a wrong one.
  CHECK(with_rpm("crontabs\ncronie\ncronie-anacron\nfile /etc/cron.d/app is not owned by any "
                 "package")
            .empty());
}

TEST_CASE("anacron alone does not name the cron daemon", "[collect][decode]") {
  Framer f;
  f.record("FACT", {"daemon_anacron", "/usr/sbin/anacron"}).end();
  auto decoded = decode_collector_output(f.out);
  CHECK(decoded.snapshot.facts.cron_daemon.empty());
}

TEST_CASE("without a daemon binary the distribution names the cron daemon", "[collect][decode]") {
  auto daemon_for = [](std::string_view os_release, bool with_binary) {
    Framer f;
    f.record("FACT", {"os_release", os_release});
    if (with_binary) {
      f.record("FACT", {"daemon_crond", "/usr/sbin/crond"});
    }
    return decode_collector_output(f.end().out).snapshot.facts.cron_daemon;
  };
  CHECK(daemon_for("ID=debian\nVERSION_ID=\"12\"\n", false) == "vixie");
  CHECK(daemon_for("ID=\"rocky\"\nVERSION_ID=\"9.3\"\n", false) == "cronie");
  CHECK(daemon_for("ID=arch\n", false).empty());
  CHECK(daemon_for("ID=debian\n", true) == "cronie"); // a binary found beats the guess
}

TEST_CASE("decoder voids a file that changed after the listing", "[collect][decode]") {
  Framer f;
  f.record("FILE", {"user", "/var/spool/cron/crontabs/alice", "0", "root", "600", "4", "1", "x\n"})
      .record("FILE", {"unit", "/home/u/.config/systemd/user/s.timer", "1000", "u", "644", "4", "1",
                       std::string(4, '\0')})
      .record("UNREADABLE", {"unit", "/home/u/.config/systemd/user/s.timer",
                             "not read: changed after the listing"})
      .record("UNREADABLE", {"unit", "/home/u/.config/systemd/user",
                             "not all read: over 10000 entries in the directory"})
      .record("UNREADABLE", {"cron.d", "/var/spool/cron/crontabs/alice", "other kind: kept"})
      .end();
  auto decoded = decode_collector_output(f.out);
  REQUIRE(decoded.error.empty());
  const auto& snap = decoded.snapshot;
  REQUIRE(snap.sources.size() == 1); // the void FILE is gone, the other one kept
  CHECK(snap.sources[0].path == "/var/spool/cron/crontabs/alice");
  REQUIRE(snap.unreadable.size() == 3);
  CHECK(snap.unreadable[0].path == "/home/u/.config/systemd/user/s.timer");
  CHECK(snap.unreadable[1].reason == "not all read: over 10000 entries in the directory");
}
