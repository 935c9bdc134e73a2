// The collector against a hostile local user (issue 14), run locally as root in a private mount
// namespace (unshare -m, tmpfs over /etc/cron.d, /etc/systemd, /home, /var/spool): nothing on
// this machine changes. The user wins every race: wrappers bound over find, stat and dd swap a
// listed regular file for a FIFO or for a link to a root-only canary right after it was listed
// (or stat-ed, or just before dd opens it). Each run is under a 60 s KILL guard so that a hang
// fails the test instead of blocking it, and runs in its own session, so that a process left
// on the "host" afterwards is seen.
#include "digger/collect/decode.hpp"
#include "digger/collect/host_status.hpp"
#include "digger/collect/script.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unistd.h>

#include "local_shell.hpp"

using namespace digger::collect;
using namespace digger::testing;

namespace {

constexpr std::string_view user_dir = "/home/u/.config/systemd/user";

// $1: scratch dir. Static FIFOs get a writer that stays blocked in open() unless a reader
// opens the FIFO: a writer gone afterwards means the collector opened it.
constexpr const char* layout_sh = R"(D=$1
U=/home/u/.config/systemd/user
for m in /etc/cron.d /etc/systemd /home /var/spool; do
  [ -d $m ] && [ ! -L $m ] && mount -t tmpfs digger-test $m || exit 3
done
mkdir -p /var/spool/cron/crontabs $U
printf "* * * * * root true\n" > /etc/cron.d/job
printf "* * * * * root swapped\n" > /etc/cron.d/swap
mkfifo /etc/cron.d/fifo
printf "* * * * * true\n" > /var/spool/cron/crontabs/alice
printf "* * * * * swapped\n" > /var/spool/cron/crontabs/carol
printf "* * * * * linked\n" > /var/spool/cron/crontabs/dave
mkfifo /var/spool/cron/crontabs/bob
printf "[Timer]\nOnCalendar=daily\n" > $U/a.timer
printf "[Service]\nExecStart=/bin/true\n" > $U/a.service
mkfifo $U/f.timer $U/a2.service
printf "[Timer]\n" > $U/a2.timer
for n in s l d; do printf "[Timer]\nOnCalendar=weekly\n" > $U/$n.timer; done
printf "DIGGER-CANARY-SECRET\n" > $D/canary; chmod 600 $D/canary
for f in /etc/cron.d/fifo /var/spool/cron/crontabs/bob $U/f.timer $U/a2.service; do
  ( printf "DIGGER-CANARY-FIFO\n" > "$f" ) 2>/dev/null &
  echo $! >> $D/writers
done
)";

// $1 scratch dir, $2 a path: the attacker's one swap of that path (a FIFO, or a link to the
// canary), done once.
constexpr const char* swap_sh = R"(D=$1; U=/home/u/.config/systemd/user
case $2 in
  /etc/cron.d/swap|/var/spool/cron/crontabs/carol|$U/s.timer|$U/d.timer) how=fifo ;;
  $U/l.timer|/var/spool/cron/crontabs/dave) how=link ;;
  *) exit 0 ;;
esac
k=$(printf %s "$2" | tr / _)
[ -e "$D/done$k" ] && exit 0
: > "$D/done$k"
rm -f "$2"
if [ $how = fifo ]; then mkfifo "$2"; else ln -s "$D/canary" "$2"; fi
)";

// $1 scratch dir, $2 collector command file, $3 run name, then BusyBox applets to bind.
constexpr const char* run_sh = R"(D=$1; C=$2; N=$3; shift 3
U=/home/u/.config/systemd/user
sh $D/layout.sh $D || exit 3
for t in find stat dd; do cp /usr/bin/$t $D/$t.real || exit 3; done
cat > $D/find <<EOF
#!/bin/sh
out=\$("$D/find.real" "\$@"; echo .)
for p in /etc/cron.d/swap /var/spool/cron/crontabs/carol /var/spool/cron/crontabs/dave \\
  $U/s.timer $U/l.timer; do
  sh "$D/swap.sh" "$D" "\$p"
done
printf %s "\${out%.}"
EOF
cat > $D/stat <<EOF
#!/bin/sh
"$D/stat.real" "\$@"; rc=\$?
for a do :; done
case \$a in */d.timer) ;; *) sh "$D/swap.sh" "$D" "\$a" ;; esac
exit \$rc
EOF
cat > $D/dd <<EOF
#!/bin/sh
for a do case \$a in if=$U/d.timer) sh "$D/swap.sh" "$D" "$U/d.timer" ;; esac; done
exec "$D/dd.real" "\$@"
EOF
chmod 755 $D/find $D/stat $D/dd
for t in find stat dd; do mount --bind $D/$t /usr/bin/$t || exit 3; done
for t do mount --bind /usr/bin/busybox /usr/bin/$t || exit 3; done
setsid sh -c 'echo $$ > "$1/sid"; exec timeout -s KILL 60 sh "$2"' sh $D $C > $D/$N.out 2>/dev/null </dev/null
sid=$(cat $D/sid)
ps -e -o sid= -o pid= -o args= | awk -v s=$sid '$1 == s' > $D/$N.left
for p in $(awk '{print $2}' $D/$N.left); do kill -9 $p; done
for w in $(cat $D/writers); do kill -0 $w 2>/dev/null && kill -9 $w || echo "writer $w gone"; done > $D/$N.opened
)";

struct Run {
  std::string out, left, opened;
};

struct Scratch {
  std::filesystem::path dir;
  explicit Scratch(std::string_view name)
      : dir(std::filesystem::temp_directory_path() /
            fmt::format("digger-{}-{}", name, ::getpid())) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() { std::filesystem::remove_all(dir); }
};

bool can_unshare() {
  return ::geteuid() == 0 && std::system("command -v unshare >/dev/null 2>&1") == 0 &&
         std::system("command -v mkfifo setsid timeout ps >/dev/null 2>&1") == 0;
}

// One run of the attack layout in a fresh namespace; nullopt when it could not be built.
std::optional<Run> attack(const std::string& name, ScriptMode mode, std::string_view applets) {
  Scratch s(name);
  std::ofstream(s.dir / "layout.sh") << layout_sh;
  std::ofstream(s.dir / "swap.sh") << swap_sh;
  std::ofstream(s.dir / "run.sh") << run_sh;
  std::ofstream(s.dir / "collector.sh") << collector_command(false, {}, mode);
  int rc = std::system(fmt::format("unshare -m --propagation private sh '{0}/run.sh' '{0}' "
                                   "'{0}/collector.sh' {1} {2} >/dev/null 2>&1",
                                   s.dir.string(), name, applets)
                           .c_str());
  if (rc != 0) {
    return std::nullopt;
  }
  return Run{read_file(s.dir / (name + ".out")), read_file(s.dir / (name + ".left")),
             read_file(s.dir / (name + ".opened"))};
}

std::map<std::string, std::string> contents(const HostSnapshot& snapshot) {
  std::map<std::string, std::string> out;
  for (const auto& source : snapshot.sources) {
    out[source.path] = source.content;
  }
  return out;
}

std::set<std::string> noted(const HostSnapshot& snapshot) {
  std::set<std::string> out;
  for (const auto* notes : {&snapshot.skipped, &snapshot.unreadable}) {
    for (const auto& n : *notes) {
      out.insert(n.path);
    }
  }
  return out;
}

void check_attack(const std::string& name, const Run& run) {
  INFO("run " << name);
  auto decoded = decode_collector_output(run.out);
  REQUIRE(decoded.error.empty()); // not hung, not cut
  REQUIRE(decoded.complete);
  CHECK(run.left.empty());   // no dd or head left behind on the host
  CHECK(run.opened.empty()); // no FIFO ever opened
  CHECK(run.out.find("DIGGER-CANARY") == std::string::npos);
  const auto& snap = decoded.snapshot;
  auto files = contents(snap);
  auto u = std::string(user_dir);
  CHECK(files["/etc/cron.d/job"] == "* * * * * root true\n");
  CHECK(files["/var/spool/cron/crontabs/alice"] == "* * * * * true\n");
  CHECK(files[u + "/a.timer"] == "[Timer]\nOnCalendar=daily\n");
  CHECK(files[u + "/a.service"] == "[Service]\nExecStart=/bin/true\n");
  CHECK(files[u + "/a2.timer"] == "[Timer]\n");
  auto notes = noted(snap);
  for (const auto& path : {"/etc/cron.d/fifo", "/etc/cron.d/swap", "/var/spool/cron/crontabs/bob",
                           "/var/spool/cron/crontabs/carol", "/var/spool/cron/crontabs/dave"}) {
    CHECK(files.count(path) == 0);
    CHECK(notes.count(path) == 1);
  }
  for (const auto& unit : {"f.timer", "a2.service", "s.timer", "l.timer"}) {
    CHECK(files.count(u + "/" + unit) == 0);
    CHECK(notes.count(u + "/" + unit) == 1);
  }
  // The host is still scanned: partial (a file changed under the collector), never lost.
  CHECK(judge_collection(decoded, "", false).status == "partial");
}

} // namespace

TEST_CASE("collector script: FIFOs and links swapped in hang nothing, are never read",
          "[collect][script][attack]") {
  if (!can_unshare()) {
    WARN("attack layout not built (needs root, unshare, mkfifo, setsid, timeout, ps)");
    return;
  }
  auto fast = attack("fast", ScriptMode::automatic, "");
  if (!fast) {
    WARN("attack layout not built (a directory to cover is missing)");
    return;
  }
  check_attack("fast", *fast);
  // d.timer became a FIFO between the check and dd's open: dd's O_NONBLOCK, not the check.
  auto decoded = decode_collector_output(fast->out);
  CHECK(contents(decoded.snapshot).count(std::string(user_dir) + "/d.timer") == 0);
  if (auto portable = attack("portable", ScriptMode::portable, "")) {
    check_attack("portable", *portable);
  }
  if (std::system("test -x /usr/bin/busybox") != 0) {
    WARN("busybox not installed: BusyBox dd/find runs skipped");
    return;
  }
  if (auto busybox_dd = attack("busybox-dd", ScriptMode::automatic, "dd")) {
    check_attack("busybox-dd", *busybox_dd);
  }
  if (auto busybox_find = attack("busybox-find", ScriptMode::automatic, "dd find")) {
    check_attack("busybox-find", *busybox_find);
  }
}

namespace {

// $1 scratch dir, $2 count, $3 stem length, $4 "services" for a .service per timer: empty
// files in one user's unit directory on a tmpfs /home (the issue's 8,000-timer attack).
constexpr const char* many_sh = R"(set -e
mount -t tmpfs digger-test /home
d=/home/u/.config/systemd/user
mkdir -p $d
cd $d
p=$(printf "%0$3d" 0)
seq -f "$p%05g.timer" 1 $2 | xargs touch
[ "$4" != services ] || seq -f "$p%05g.service" 1 $2 | xargs touch
set +e
timeout -s KILL 600 sh "$1/collector.sh" > "$1/out" 2>/dev/null </dev/null
)";

std::optional<Decoded> many(std::size_t count, int stem, bool services) {
  Scratch s("many");
  std::ofstream(s.dir / "many.sh") << many_sh;
  // These tests are about the listing's caps and ARG_MAX, not the host's 15 s time budget: on
  // a loaded machine (CI under ASan) 8,000 timers and services take longer than that, so the
  // budget is lifted here and the outcome does not depend on the machine's speed.
  std::string command = collector_command(false, {}, ScriptMode::automatic);
  const std::string budget = "tmax=15";
  auto at = command.find(budget);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  command.replace(at, budget.size(), "tmax=3600");
  std::ofstream(s.dir / "collector.sh") << command;
  int rc = std::system(fmt::format("unshare -m --propagation private sh '{0}/many.sh' '{0}' {1} "
                                   "{2} {3} >/dev/null 2>&1",
                                   s.dir.string(), count, stem, services ? "services" : "-")
                           .c_str());
  if (rc != 0) {
    return std::nullopt;
  }
  return decode_collector_output(read_file(s.dir / "out"));
}

std::size_t in_user_dir(const HostSnapshot& snapshot, std::string_view suffix) {
  std::size_t n = 0;
  for (const auto& source : snapshot.sources) {
    n += source.path.starts_with(user_dir) && source.path.ends_with(suffix) ? 1 : 0;
  }
  return n;
}

} // namespace

TEST_CASE("collector script: 8,000 user timers with long names, every one and its service",
          "[collect][script][attack]") {
  if (!can_unshare()) {
    WARN("needs root and unshare");
    return;
  }
  // 8,000 x ~280 bytes of .service paths: more than one exec's ARG_MAX (2 MiB).
  auto decoded = many(8000, 240, true);
  REQUIRE(decoded);
  REQUIRE(decoded->complete);
  CHECK(in_user_dir(decoded->snapshot, ".timer") == 8000);
  CHECK(in_user_dir(decoded->snapshot, ".service") == 8000);
  CHECK(decoded->snapshot.unreadable.empty());
  CHECK(judge_collection(*decoded, "", false).status == "ok");
}

TEST_CASE("collector script: a directory over the cap is cut and says so",
          "[collect][script][attack]") {
  if (!can_unshare()) {
    WARN("needs root and unshare");
    return;
  }
  auto decoded = many(10'050, 1, false);
  REQUIRE(decoded);
  REQUIRE(decoded->complete);
  CHECK(in_user_dir(decoded->snapshot, ".timer") == 10'000);
  REQUIRE(decoded->snapshot.unreadable.size() == 1);
  CHECK(decoded->snapshot.unreadable[0].path == user_dir);
  CHECK(decoded->snapshot.unreadable[0].reason ==
        "not all read: over 10000 entries in the directory");
  auto verdict = judge_collection(*decoded, "", false);
  CHECK(verdict.status == "partial");
  CHECK(verdict.reason.find(user_dir) != std::string::npos);
  CHECK(verdict.reason.find("over 10000 entries in the directory") != std::string::npos);
}
