// The collector script run locally on this machine (read-only, as the SSH server would run
// it): the fast path (GNU find/dd) and the portable path must report the same files.
#include "digger/collect/decode.hpp"
#include "digger/collect/script.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unistd.h>

#include "local_shell.hpp"

using namespace digger::collect;
using namespace digger::testing;

namespace {

std::string run_collector(ScriptMode mode) {
  TempDir dir;
  return run_shell(dir, collector_command(false, {}, mode), "");
}

using FileKey = std::tuple<int, std::string>;
struct FileFacts {
  std::uint32_t mode;
  std::int64_t size, mtime, uid;
  std::string owner, content;
  bool operator==(const FileFacts&) const = default;
};

std::map<FileKey, FileFacts> files_of(const HostSnapshot& snapshot) {
  std::map<FileKey, FileFacts> files;
  for (const auto& s : snapshot.sources) {
    files[{static_cast<int>(s.kind), s.path}] = {s.mode, s.size,       s.mtime,
                                                 s.uid,  s.file_owner, s.content};
  }
  return files;
}

std::string fact(const HostSnapshot& snapshot, std::string_view name) {
  for (const auto& [key, value] : snapshot.extra_facts) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

std::set<std::pair<std::string, std::string>> notes_of(const std::vector<PathNote>& notes) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& n : notes) {
    out.emplace(n.path, n.reason);
  }
  return out;
}

std::set<std::pair<std::string, std::string>> units_of(const HostSnapshot& snapshot) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& u : snapshot.enabled_units) {
    out.emplace(u.link_path, u.target);
  }
  return out;
}

// Hostile layouts for the collector, built on tmpfs in a private mount namespace (unshare -m:
// nothing on this machine changes), then both paths run there. Empty when that cannot be done
// here (not root, no unshare, a directory to cover is missing).
const char* const hostile_layout = R"(set -e
for d in /etc/cron.d /etc/systemd /home; do [ -d $d ] && [ ! -L $d ] || exit 3; done
mount -t tmpfs digger-test /etc/cron.d
mount -t tmpfs digger-test /etc/systemd
mount -t tmpfs digger-test /home
nl="
"
printf "* * * * * root true\n" > /etc/cron.d/job
head -c 3000 /dev/zero | tr "\0" "#" > /etc/cron.d/big
printf "x\n" > "/etc/cron.d/new${nl}line z 0 0"
ln -s /etc/passwd /etc/cron.d/link
mkdir /etc/cron.d/subdir && printf x > /etc/cron.d/subdir/inner
s=/etc/systemd/system
mkdir -p $s/timers.target.wants "$s/odd${nl}name.wants" $s/other.d $s/dir.timer
printf "[Timer]\n" > $s/t.timer && printf "[Service]\n" > $s/t.service
ln -s /dev/null $s/masked.timer
ln -s ../t.timer $s/timers.target.wants/t.timer
ln -s /target "$s/odd${nl}name.wants/t.timer"
printf x > $s/timers.target.wants/plain.timer
printf x > $s/other.d/o.timer
u=/home/x.wants/.config/systemd/user
mkdir -p $u/default.target.wants $u/sub
printf "[Timer]\n" > $u/h.timer
ln -s $u/h.timer $u/default.target.wants/h.timer
ln -s /elsewhere $u/l.timer
printf x > $u/sub/deep.timer
)";

// Outputs by run: "fast", "portable", and with BusyBox installed (package busybox) "busybox-dd"
// (GNU find, BusyBox dd: the fast listing, files read by head) and "busybox-find" (BusyBox
// find and dd: the portable path), the applets bound over /usr/bin/{dd,find} in the namespace.
using Outputs = std::map<std::string, std::string>;

std::optional<Outputs> run_in_hostile_layout() {
  if (::geteuid() != 0 || std::system("command -v unshare >/dev/null 2>&1") != 0) {
    return std::nullopt;
  }
  auto dir = std::filesystem::temp_directory_path() / fmt::format("digger-hostile-{}", ::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "fast.sh") << collector_command(false, {}, ScriptMode::automatic);
  std::ofstream(dir / "portable.sh") << collector_command(false, {}, ScriptMode::portable);
  std::ofstream(dir / "run.sh")
      << hostile_layout << "set +e\n"
      << "sh \"$1/fast.sh\" > \"$1/fast.out\" 2>/dev/null\n"
      << "sh \"$1/portable.sh\" > \"$1/portable.out\" 2>/dev/null\n"
      << "[ -x /usr/bin/busybox ] && [ -f /usr/bin/dd ] && [ -f /usr/bin/find ] || exit 0\n"
      << "mount --bind /usr/bin/busybox /usr/bin/dd || exit 0\n"
      << "sh \"$1/fast.sh\" > \"$1/busybox-dd.out\" 2>/dev/null\n"
      << "mount --bind /usr/bin/busybox /usr/bin/find || exit 0\n"
      << "sh \"$1/fast.sh\" > \"$1/busybox-find.out\" 2>/dev/null\n";
  int rc = std::system(fmt::format("unshare -m --propagation private sh '{0}/run.sh' '{0}' "
                                   ">/dev/null 2>&1",
                                   dir.string())
                           .c_str());
  std::optional<Outputs> out;
  if (rc == 0) {
    out.emplace();
    for (const auto& run : {"fast", "portable", "busybox-dd", "busybox-find"}) {
      std::ifstream in(dir / fmt::format("{}.out", run), std::ios::binary);
      if (in) {
        (*out)[run] = std::string(std::istreambuf_iterator<char>(in), {});
      }
    }
  }
  std::filesystem::remove_all(dir);
  return out;
}

} // namespace

TEST_CASE("collector script: fast and portable paths report the same files", "[collect][script]") {
  auto fast = decode_collector_output(run_collector(ScriptMode::automatic));
  auto portable = decode_collector_output(run_collector(ScriptMode::portable));
  REQUIRE(fast.error.empty());
  REQUIRE(portable.error.empty());
  CHECK(fast.complete);
  CHECK(portable.complete);
  CHECK(fact(portable.snapshot, "collector") == "portable");
  if (fact(fast.snapshot, "collector") != "fast") {
    WARN("no GNU find/dd here: only the portable path was exercised");
  }
  CHECK(files_of(fast.snapshot) == files_of(portable.snapshot));
  CHECK(fast.snapshot.enabled_units.size() == portable.snapshot.enabled_units.size());
  CHECK(fast.snapshot.package_owners.size() == portable.snapshot.package_owners.size());
  CHECK(fast.snapshot.skipped.size() == portable.snapshot.skipped.size());
  CHECK(fast.snapshot.unreadable.size() == portable.snapshot.unreadable.size());
  // Every non-spool file a package owns was attributed (dpkg hosts): checked against dpkg -S.
  if (std::system("command -v dpkg >/dev/null 2>&1") == 0) {
    for (const auto& owner : fast.snapshot.package_owners) {
      std::string path = owner.path;
      if (path.starts_with("/usr/lib/") && std::filesystem::equivalent("/lib", "/usr/lib")) {
        path = path.substr(4); // dpkg lists /lib on merged-/usr hosts
      }
      std::string query =
          fmt::format("dpkg -S '{}' 2>/dev/null | grep -q '^{}[:,]'", path, owner.package);
      INFO(owner.path << " -> " << owner.package);
      CHECK(std::system(query.c_str()) == 0);
    }
  }
}

TEST_CASE("collector command carries only our limits and the mode", "[collect][script]") {
  CollectorLimits limits;
  limits.total_bytes = 1000;
  limits.per_file_bytes = 200;
  limits.unit_file_bytes = 100;
  auto command = collector_command(true, limits, ScriptMode::portable);
  CHECK(command.starts_with("exec sudo -n sh -c '"));
  CHECK(command.ends_with("' digger-collect 1000 200 100 portable"));
  CHECK(collector_script().find('\'') == std::string_view::npos);
}

TEST_CASE("collector script: hostile names and links, both paths", "[collect][script]") {
  auto outputs = run_in_hostile_layout();
  if (!outputs) {
    WARN("hostile layout not built (needs root, unshare(1), /etc/cron.d, /etc/systemd, /home)");
    return;
  }
  auto fast = decode_collector_output((*outputs)["fast"]);
  auto portable = decode_collector_output((*outputs)["portable"]);
  REQUIRE(fast.error.empty());
  REQUIRE(portable.error.empty());
  REQUIRE(fact(fast.snapshot, "collector") == "fast");
  auto files = files_of(fast.snapshot);
  CHECK(files == files_of(portable.snapshot));
  CHECK(notes_of(fast.snapshot.skipped) == notes_of(portable.snapshot.skipped));
  CHECK(notes_of(fast.snapshot.unreadable) == notes_of(portable.snapshot.unreadable));
  CHECK(units_of(fast.snapshot) == units_of(portable.snapshot));
  CHECK(fast.snapshot.facts.timezone == portable.snapshot.facts.timezone);
  CHECK(fact(fast.snapshot, "clock").substr(0, 5) == fact(portable.snapshot, "clock").substr(0, 5));
  CHECK(fact(fast.snapshot, "localtime") == fact(portable.snapshot, "localtime"));

  auto cron_d = static_cast<int>(SourceKind::cron_d);
  auto unit = static_cast<int>(SourceKind::systemd_unit);
  REQUIRE(files.count({cron_d, "/etc/cron.d/big"}) == 1);
  CHECK(files[{cron_d, "/etc/cron.d/big"}].content == std::string(3000, '#'));
  CHECK(files.count({cron_d, "/etc/cron.d/new\nline z 0 0"}) == 1);
  CHECK(files.count({cron_d, "/etc/cron.d/subdir/inner"}) == 0);
  CHECK(files.count({unit, "/etc/systemd/system/t.service"}) == 1);
  CHECK(files.count({unit, "/etc/systemd/system/other.d/o.timer"}) == 0);
  CHECK(files.count({unit, "/home/x.wants/.config/systemd/user/h.timer"}) == 1);
  CHECK(files.count({unit, "/home/x.wants/.config/systemd/user/sub/deep.timer"}) == 0);
  auto skipped = notes_of(fast.snapshot.skipped);
  CHECK(skipped.count({"/etc/cron.d/link", "symbolic link to /etc/passwd (not followed)"}) == 1);
  CHECK(skipped.count({"/etc/systemd/system/masked.timer",
                       "symbolic link to /dev/null (not followed)"}) == 1);
  CHECK(skipped.count({"/home/x.wants/.config/systemd/user/l.timer",
                       "symbolic link to /elsewhere (not followed)"}) == 1);
  CHECK(units_of(fast.snapshot) ==
        std::set<std::pair<std::string, std::string>>{
            {"/etc/systemd/system/timers.target.wants/t.timer", "../t.timer"},
            {"/etc/systemd/system/odd\nname.wants/t.timer", "/target"},
            {"/home/x.wants/.config/systemd/user/default.target.wants/h.timer",
             "/home/x.wants/.config/systemd/user/h.timer"}});
}

TEST_CASE("collector script: BusyBox dd or find, same files", "[collect][script]") {
  auto outputs = run_in_hostile_layout();
  if (!outputs || outputs->count("busybox-find") == 0) {
    WARN("BusyBox runs skipped (needs root, unshare(1) and the busybox package)");
    return;
  }
  auto portable = decode_collector_output((*outputs)["portable"]);
  auto busybox_dd = decode_collector_output((*outputs)["busybox-dd"]);
  auto busybox_find = decode_collector_output((*outputs)["busybox-find"]);
  REQUIRE(busybox_dd.error.empty());
  REQUIRE(busybox_find.error.empty());
  // GNU find lists, the first dd refused its flags: every file read again by head.
  CHECK(fact(busybox_dd.snapshot, "collector") == "fast");
  CHECK(fact(busybox_find.snapshot, "collector") == "portable");
  auto files = files_of(portable.snapshot);
  REQUIRE(files.count({static_cast<int>(SourceKind::cron_d), "/etc/cron.d/big"}) == 1);
  CHECK(files_of(busybox_dd.snapshot) == files);
  CHECK(files_of(busybox_find.snapshot) == files);
  CHECK(notes_of(busybox_dd.snapshot.skipped) == notes_of(portable.snapshot.skipped));
  CHECK(notes_of(busybox_find.snapshot.skipped) == notes_of(portable.snapshot.skipped));
}
