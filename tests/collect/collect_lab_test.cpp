// The real collector and inspection over SSH against lab hosts (real sshd, sudo, overlays):
// the new sources, enabled timers, package owners, inspected programs (a real Go binary), the
// per-host bound, an inspection that fails without losing the crontab results, and the fast
// and portable script paths agreeing on every file (hostile names included).
#include "digger/collect/host_record.hpp"
#include "digger/collect/scan.hpp"
#include "digger/ssh/auth.hpp"
#include "digger/ssh/host_keys.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

using namespace digger;
using namespace digger::collect;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string lab_dir = DIGGER_COLLECT_LAB_DIR;
const std::string lab_tool = DIGGER_LAB_TOOL_PATH;
const std::string scripts_dir = DIGGER_COLLECT_SCRIPTS_DIR; // seed.sh, home.sh

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string shell(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("popen failed");
  }
  std::string out;
  char buffer[4096];
  while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) {
    out.append(buffer, got);
  }
  if (::pclose(pipe) != 0) {
    throw std::runtime_error("command failed: " + command.substr(0, 200));
  }
  return out;
}

struct Lab {
  nlohmann::json truth;
  std::string go_version; // "" when go is not installed
  std::string go_binary;

  static Lab& get() {
    static Lab lab;
    return lab;
  }
  ~Lab() {
    std::string down = fmt::format("'{}' down --dir '{}' >/dev/null 2>&1", lab_tool, lab_dir);
    [[maybe_unused]] int rc = std::system(down.c_str());
  }

  std::vector<inventory::ScanTarget> targets() const {
    std::vector<inventory::ScanTarget> out;
    for (const auto& host : truth["hosts"]) {
      inventory::ScanTarget target;
      target.name = host["name"];
      target.address = host["address"];
      target.port = host["port"];
      target.user = host["user"];
      target.identity_files = {lab_dir + "/id_ed25519"};
      target.connect_timeout = 5s;
      out.push_back(std::move(target));
    }
    return out;
  }

private:
  Lab() {
    std::string up = fmt::format("'{}' up --hosts 2 --seed 17 --faults hostile,shadowlink "
                                 "--dir '{}' >/dev/null",
                                 lab_tool, lab_dir);
    if (std::system(up.c_str()) != 0) {
      throw std::runtime_error("lab up failed");
    }
    truth = nlohmann::json::parse(slurp(lab_dir + "/truth.json"));
    build_go_binary();
    const std::string seed_path = scripts_dir + "/seed.sh";
    const std::string home_path = scripts_dir + "/home.sh";
    auto state = nlohmann::json::parse(slurp(lab_dir + "/state.json"));
    for (const auto& host : truth["hosts"]) {
      int pid = state["pids"][host["name"].get<std::string>()];
      // Never this machine's namespace: both must be readable and differ (home.sh also
      // refuses to run where /etc is not a lab overlay).
      shell(fmt::format("a=$(readlink /proc/{0}/ns/mnt) && b=$(readlink /proc/self/ns/mnt) && "
                        "[ -n \"$a\" ] && [ -n \"$b\" ] && [ \"$a\" != \"$b\" ] && "
                        "nsenter -t {0} -m sh '{1}'",
                        pid, home_path));
      std::string ssh =
          fmt::format("ssh -F '{}/ssh_config' '{}'", lab_dir, host["name"].get<std::string>());
      shell(fmt::format("{} 'sudo -n sh -s' < '{}'", ssh, seed_path));
      if (!go_binary.empty()) {
        shell(fmt::format("{} 'sudo -n sh -c \"cat > /etc/digger-targets/settle && chmod 755 "
                          "/etc/digger-targets/settle\"' < '{}'",
                          ssh, go_binary));
      }
    }
  }

  void build_go_binary() {
    if (std::system("command -v go >/dev/null 2>&1") != 0) {
      WARN("go is not installed (golang-go): the Go binary checks are skipped");
      return;
    }
    std::string dir = lab_dir + "/gobuild";
    fs::create_directories(dir);
    std::ofstream(dir + "/go.mod") << "module example.com/settle\n\ngo 1.18\n";
    std::ofstream(dir + "/main.go") << "package main\n\nfunc main() { println(\"settle\") }\n";
    std::string env = fmt::format("HOME='{0}' GOCACHE='{0}/cache' GOPATH='{0}/gopath' "
                                  "GOFLAGS=-buildvcs=false GOTOOLCHAIN=local",
                                  dir);
    shell(fmt::format("cd '{0}' && {1} go build -o '{0}/settle' . 2>&1", dir, env));
    go_version = shell(fmt::format("{} go env GOVERSION", env));
    go_version = go_version.substr(0, go_version.find('\n'));
    go_binary = dir + "/settle";
  }
};

struct Collected {
  std::map<std::string, ssh::Outcome> outcomes; // by host name
  std::map<std::string, HostSnapshot> snapshots;
};

Collected run_collection(const ScanRequest& request) {
  Collected result;
  ssh::KeyRingOptions key_options;
  key_options.use_agent = false;
  key_options.default_identity_files = false;
  key_options.identity_files = {lab_dir + "/id_ed25519"};
  auto keys = ssh::KeyRing::load(key_options);
  ssh::HostKeyStoreOptions store_options;
  store_options.user_files = std::vector<std::string>{};
  store_options.extra_files = {lab_dir + "/known_hosts"};
  ssh::HostKeyStore store(store_options);
  std::atomic<bool> stop{false};
  std::mutex mutex; // calls come from several workers at once
  collect_hosts(
      request, keys, store,
      [&](std::size_t index, ssh::Outcome&& outcome, const InspectionPlan* plan) {
        auto decoded = decode_host(outcome, plan);
        std::lock_guard lock(mutex);
        result.snapshots[request.targets[index].name] = std::move(decoded.snapshot);
        result.outcomes[request.targets[index].name] = std::move(outcome);
      },
      stop);
  return result;
}

ScanRequest request_for(const Lab& lab) {
  ScanRequest request;
  request.targets = lab.targets();
  request.use_sudo = true;
  request.ssh.concurrency = 8;
  request.ssh.workers = 2;
  request.ssh.host_deadline = 60s;
  request.ssh.host_key_mode = ssh::HostKeyMode::strict;
  request.inspection_targets = targets_to_inspect;
  return request;
}

const CronSource* source(const HostSnapshot& snapshot, const std::string& path) {
  for (const auto& s : snapshot.sources) {
    if (s.path == path) {
      return &s;
    }
  }
  return nullptr;
}

const command::ProgramFacts* program(const HostSnapshot& snapshot, const std::string& path) {
  for (const auto& p : snapshot.programs) {
    if (p.path == path) {
      return &p;
    }
  }
  return nullptr;
}

std::string owner_of(const HostSnapshot& snapshot, const std::string& path) {
  for (const auto& owner : snapshot.package_owners) {
    if (owner.path == path) {
      return owner.package;
    }
  }
  return {};
}

bool skipped_link(const HostSnapshot& snapshot, const std::string& path) {
  for (const auto& note : snapshot.skipped) {
    if (note.path == path) {
      return note.reason.find("symbolic link") == 0;
    }
  }
  return false;
}

using FileMap =
    std::map<std::pair<int, std::string>, std::tuple<std::uint32_t, std::int64_t, std::string>>;
FileMap files_of(const HostSnapshot& snapshot) {
  FileMap files;
  for (const auto& s : snapshot.sources) {
    files[{static_cast<int>(s.kind), s.path}] = {s.mode, s.size, s.content};
  }
  return files;
}

void check_sources(const HostSnapshot& snap) {
  const auto* anacrontab = source(snap, "/etc/anacrontab");
  REQUIRE(anacrontab != nullptr);
  CHECK(anacrontab->kind == SourceKind::anacrontab);
  CHECK(anacrontab->content ==
        "SHELL=/bin/sh\n1\t5\tdigger.daily\t/etc/digger-targets/report.py\n");
  const auto* report = source(snap, "/etc/cron.daily/digger-report");
  REQUIRE(report != nullptr);
  CHECK(report->kind == SourceKind::run_parts);
  CHECK(report->mode == 0755);
  CHECK(report->content == "#!/bin/sh\nexec /etc/digger-targets/report.py\n");
  REQUIRE(source(snap, "/etc/cron.weekly/notexec") != nullptr);
  CHECK(source(snap, "/etc/cron.weekly/notexec")->mode == 0644);
  CHECK(source(snap, "/etc/cron.daily/with.dot") != nullptr);
  const auto* big = source(snap, "/etc/cron.weekly/big");
  REQUIRE(big != nullptr);
  CHECK(big->size == 100000);
  CHECK(big->content == std::string(64 * 1024, '#'));
  CHECK(big->truncated);
  CHECK(skipped_link(snap, "/etc/cron.weekly/linked"));
}

void check_units(const HostSnapshot& snap) {
  CHECK(source(snap, "/etc/systemd/system/digger-settle.timer") != nullptr);
  const auto* service = source(snap, "/etc/systemd/system/digger-settle.service");
  REQUIRE(service != nullptr);
  CHECK(service->kind == SourceKind::systemd_unit);
  CHECK(service->content.find("User=app") != std::string::npos);
  // A service no timer starts is not a timer's unit; it is read once more as a possible worker.
  const auto* lonely = source(snap, "/etc/systemd/system/lonely.service");
  CHECK((lonely != nullptr && lonely->kind == SourceKind::worker_unit));
  CHECK(skipped_link(snap, "/etc/systemd/system/linked.timer"));
  CHECK(source(snap, "/etc/systemd/user/digger-user.timer") != nullptr);
  CHECK(source(snap, "/etc/systemd/user/digger-user.service") != nullptr);
  bool enabled = false, user_enabled = false;
  for (const auto& unit : snap.enabled_units) {
    enabled |= unit.link_path == "/etc/systemd/system/timers.target.wants/digger-settle.timer" &&
               unit.target == "/etc/systemd/system/digger-settle.timer";
    user_enabled |=
        unit.link_path == "/home/alice/.config/systemd/user/timers.target.wants/sync.timer";
    CHECK_FALSE(unit.link_path.starts_with("/home/mallory"));
  }
  CHECK(enabled);
  CHECK(user_enabled);
  CHECK(source(snap, "/home/alice/.config/systemd/user/sync.timer") != nullptr);
  const auto* user_service = source(snap, "/home/alice/.config/systemd/user/sync.service");
  REQUIRE(user_service != nullptr);
  CHECK(user_service->content == "[Service]\nExecStart=/home/alice/bin/sync\n");
  for (const auto& s : snap.sources) {
    CHECK_FALSE(s.path.starts_with("/home/mallory"));
  }
  // Package owners against the lab's own dpkg databases: scan.hidden (managed_by package:...).
  CHECK(owner_of(snap, "/etc/cron.daily/digger-report").empty());
}

void check_programs(const HostSnapshot& snap, const std::string& go_version) {
  const auto* python = program(snap, "/etc/digger-targets/report.py");
  REQUIRE(python != nullptr);
  CHECK(python->exists);
  CHECK(python->mode == 0755);
  CHECK(python->head.starts_with("#!/usr/bin/env python3"));
  CHECK(python->sha256.size() == 64);
  const auto* writable = program(snap, "/etc/digger-targets/writable.sh");
  REQUIRE(writable != nullptr);
  CHECK(writable->mode == 0777);
  CHECK(writable->dir_mode == 0755);
  const auto* missing = program(snap, "/etc/digger-targets/missing");
  REQUIRE(missing != nullptr);
  CHECK_FALSE(missing->exists);
  // Every program a job runs was inspected, and nothing else (a run-parts script only when a
  // crontab or anacrontab line runs its directory on that host).
  std::set<std::string> inspected;
  for (const auto& p : snap.programs) {
    inspected.insert(p.path);
  }
  for (const auto& p : snap.app_sources) { // a Laravel app's files, for `artisan schedule:run`
    inspected.insert(p.path);
  }
  std::set<std::string> wanted;
  for (const auto& target : inspection_targets(snap)) {
    wanted.insert(target.path);
  }
  CHECK(inspected == wanted);
  if (!go_version.empty()) {
    const auto* go = program(snap, "/etc/digger-targets/settle");
    REQUIRE(go != nullptr);
    CHECK(go->elf);
    CHECK(go->go_version == go_version);
    CHECK(go->go_module == "example.com/settle");
  }
}

} // namespace

TEST_CASE("collector and inspection on lab hosts", "[collect][lab]") {
  Lab& lab = Lab::get();
  auto result = run_collection(request_for(lab));
  REQUIRE(result.snapshots.size() == lab.truth["hosts"].size());
  for (const auto& [name, snap] : result.snapshots) {
    INFO("host " << name << ": " << result.outcomes[name].reason << " "
                 << result.outcomes[name].followup_error);
    REQUIRE(result.outcomes[name].status == ssh::Status::ok);
    CHECK(snap.script_exit_status.has_value());
    CHECK(snap.inspection_note.empty());
    check_sources(snap);
    check_units(snap);
    check_programs(snap, lab.go_version);
  }
}

TEST_CASE("portable script path reads the same files as the fast one", "[collect][lab]") {
  Lab& lab = Lab::get();
  auto request = request_for(lab);
  request.inspection_targets = nullptr;
  auto fast = run_collection(request);
  request.script_mode = ScriptMode::portable;
  auto portable = run_collection(request);
  for (const auto& [name, snap] : fast.snapshots) {
    INFO("host " << name);
    auto files = files_of(snap);
    CHECK(files.size() > 10);
    CHECK(files == files_of(portable.snapshots[name]));
    CHECK(snap.skipped.size() == portable.snapshots[name].skipped.size());
    CHECK(snap.unreadable.size() == portable.snapshots[name].unreadable.size());
    CHECK(snap.enabled_units.size() == portable.snapshots[name].enabled_units.size());
    CHECK(snap.package_owners.size() == portable.snapshots[name].package_owners.size());
    CHECK(snap.programs.empty());
  }
}

TEST_CASE("inspection bound and inspection failure keep the crontab results", "[collect][lab]") {
  Lab& lab = Lab::get();
  auto request = request_for(lab);
  request.inspect.max_targets = 2;
  auto bounded = run_collection(request);
  for (const auto& [name, snap] : bounded.snapshots) {
    INFO("host " << name << ": " << snap.inspection_note);
    auto wanted = inspection_targets(snap);
    REQUIRE(wanted.size() > 2);
    CHECK(snap.inspection_note ==
          fmt::format("bound hit: 2 of {} targets inspected", wanted.size()));
    std::size_t over = 0;
    for (const auto* list : {&snap.programs, &snap.app_sources}) { // app files: kept apart
      for (const auto& p : *list) {
        over += p.error == "not inspected: over the per-host bound" ? 1 : 0;
      }
    }
    CHECK(over == wanted.size() - 2);
  }

  request = request_for(lab);
  request.ssh.followup.deadline = 1ms;
  auto failed = run_collection(request);
  for (const auto& [name, snap] : failed.snapshots) {
    INFO("host " << name << ": " << snap.inspection_note);
    CHECK(failed.outcomes[name].status == ssh::Status::ok);
    CHECK(source(snap, "/etc/cron.d/digger-jobs") != nullptr);
    CHECK(snap.inspection_note.find("inspection failed: no follow-up result") == 0);
    CHECK_FALSE(snap.programs.empty());
  }
}
