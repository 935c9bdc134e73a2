// The collector lists atd's spools at their real paths: both layouts, fast and portable paths,
// as root and as a user without access. The spools are built on a tmpfs over /var/spool in a
// private mount namespace (unshare -m): nothing on this machine changes. Skipped (with a
// warning) when not root or without unshare/setpriv.
#include "digger/collect/decode.hpp"
#include "digger/collect/script.hpp"

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

const char* const spool_layout = R"(set -e
[ -d /var/spool ] && [ ! -L /var/spool ] || exit 3
mount -t tmpfs digger-test /var/spool
mkdir -p /var/spool/cron/atjobs /var/spool/at/spool
chmod 1770 /var/spool/cron/atjobs
chmod 700 /var/spool/at
printf "#!/bin/sh\n# atrun uid=0 gid=0\n# mail root 0\numask 22\nTOKEN=CANARY; export TOKEN\ncd /root || {\n\t echo x >&2\n\t exit 1\n}\n\${SHELL:-/bin/sh} << 'marcinDELIMITER00c0ffee'\n/usr/bin/python3 /opt/x.py\n\nmarcinDELIMITER00c0ffee\n" > /var/spool/cron/atjobs/a0000701cabf56
chmod 700 /var/spool/cron/atjobs/a0000701cabf56
printf "7\n" > /var/spool/cron/atjobs/.SEQ
printf "#!/bin/sh\n# atrun uid=0 gid=0\n# mail root 0\ncd /root || {\n\t echo x >&2\n\t exit 1\n}\n/opt/y.sh\n" > /var/spool/at/b0000a01c8ec94
chmod 600 /var/spool/at/b0000a01c8ec94
printf "out\n" > /var/spool/at/spool/a0000301c8ec94
printf "0\n" > /var/spool/at/.SEQ
)";

using Outputs = std::map<std::string, std::string>;

std::optional<Outputs> run_in_spool_layout() {
  if (::geteuid() != 0 || std::system("command -v unshare >/dev/null 2>&1") != 0 ||
      std::system("command -v setpriv >/dev/null 2>&1") != 0) {
    return std::nullopt;
  }
  auto dir = std::filesystem::temp_directory_path() / fmt::format("digger-at-{}", ::getpid());
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::all);
  std::ofstream(dir / "fast.sh") << collector_command(false, {}, ScriptMode::automatic);
  std::ofstream(dir / "portable.sh") << collector_command(false, {}, ScriptMode::portable);
  std::ofstream(dir / "run.sh")
      << spool_layout << "set +e\n"
      << "sh \"$1/fast.sh\" > \"$1/fast.out\" 2>/dev/null\n"
      << "sh \"$1/portable.sh\" > \"$1/portable.out\" 2>/dev/null\n"
      << "setpriv --reuid=65534 --regid=65534 --clear-groups sh \"$1/fast.sh\" 2>/dev/null"
      << " > \"$1/nobody.out\"\n";
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

std::map<std::string, const CronSource*> at_files(const HostSnapshot& snapshot) {
  std::map<std::string, const CronSource*> out;
  for (const auto& s : snapshot.sources) {
    if (s.kind == SourceKind::at_job) {
      out[s.path] = &s;
    }
  }
  return out;
}

} // namespace

TEST_CASE("collector script: atd's spools of both layouts, as root and without access",
          "[collect][script][at]") {
  const auto outputs = run_in_spool_layout();
  if (!outputs) {
    WARN("not root, or no unshare/setpriv: the at spool listing was not exercised");
    return;
  }
  for (const auto* run : {"fast", "portable"}) {
    CAPTURE(run);
    const auto decoded = decode_collector_output(outputs->at(run));
    REQUIRE(decoded.error.empty());
    const auto files = at_files(decoded.snapshot);
    // Job files only: not .SEQ, not the output files of spool/ (a directory, not listed).
    REQUIRE(files.size() == 2);
    const auto* debian = files.at("/var/spool/cron/atjobs/a0000701cabf56");
    CHECK(debian->mode == 0700);
    CHECK(debian->file_owner == "root");
    CHECK(debian->content.find("/usr/bin/python3 /opt/x.py") != std::string::npos);
    const auto* rhel = files.at("/var/spool/at/b0000a01c8ec94");
    CHECK(rhel->mode == 0600);
    CHECK(rhel->content.ends_with("/opt/y.sh\n"));
  }
  // Without root the spools cannot be listed: each is one "permission denied" note, and the
  // host's scan goes on.
  const auto nobody = decode_collector_output(outputs->at("nobody"));
  REQUIRE(nobody.error.empty());
  CHECK(nobody.complete);
  CHECK(at_files(nobody.snapshot).empty());
  int denied = 0;
  for (const auto& note : nobody.snapshot.unreadable) {
    if (note.kind == SourceKind::at_job) {
      CHECK(note.reason == "permission denied");
      ++denied;
    }
  }
  CHECK(denied == 2);
}
