#include "digger/judge/verdict.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace digger::command;
using namespace digger::judge;

namespace {

VerdictInput cron_d_job() {
  VerdictInput in;
  in.source_kind = "cron.d";
  in.source_path = "/etc/cron.d/backup";
  in.host = "web01";
  in.owner = "root";
  in.run_as = "root";
  in.mailto = "ops@example.com";
  in.target = "/usr/local/bin/backup";
  return in;
}

ProgramFacts file(std::uint32_t mode, std::int64_t uid, std::int64_t gid, const char* owner) {
  ProgramFacts p;
  p.path = "/opt/job.sh";
  p.exists = true;
  p.type = "file";
  p.mode = mode;
  p.uid = uid;
  p.gid = gid;
  p.owner = owner;
  p.dir_mode = 0755;
  p.dir_uid = 0;
  p.dir_gid = 0;
  return p;
}

bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

TEST_CASE("a package-owned source is managed, before any other evidence", "[cron][verdict]") {
  VerdictInput in = cron_d_job();
  in.package = "php8.2-common";
  in.entry_marker = "ansible:x";
  const Verdict v = decide_verdict(in);
  CHECK(v.verdict == "managed");
  CHECK(v.managed_by == "package:php8.2-common");
  CHECK(v.reasons == std::vector<std::string>{"cron.d file owned by package php8.2-common"});
}

TEST_CASE("a package file edited on the host proves nothing", "[cron][verdict]") {
  VerdictInput in = cron_d_job();
  in.source_kind = "system";
  in.source_path = "/etc/crontab";
  in.package = "cron";
  in.package_modified = true;
  Verdict v = decide_verdict(in);
  CHECK(v.verdict == "hidden");
  CHECK(v.reasons == std::vector<std::string>{"/etc/crontab of package cron edited on the host",
                                              "no configuration-management marker"});
  in.entry_marker = "chef:x"; // other evidence still counts
  v = decide_verdict(in);
  CHECK(v.verdict == "managed");
  CHECK(v.managed_by == "chef:x");
}

TEST_CASE("configuration-management markers", "[cron][verdict]") {
  VerdictInput in = cron_d_job();
  in.entry_marker = "ansible:backup";
  in.file_marker = "puppet:file";
  Verdict v = decide_verdict(in);
  CHECK(v.verdict == "managed");
  CHECK(v.managed_by == "ansible:backup");
  CHECK(v.reasons == std::vector<std::string>{"Ansible marker above the job names it \"backup\""});

  in.entry_marker.reset();
  v = decide_verdict(in);
  CHECK(v.managed_by == "puppet:file");
  CHECK(v.reasons == std::vector<std::string>{"the cron.d file's header says Puppet manages it"});
}

TEST_CASE("registry match after markers", "[cron][verdict]") {
  RegistryEntry row;
  row.line = 7;
  row.managed_by = "team-billing";
  VerdictInput in = cron_d_job();
  in.registry_given = true;
  in.registry_match = &row;
  Verdict v = decide_verdict(in);
  CHECK(v.verdict == "managed");
  CHECK(v.managed_by == "registry:team-billing");
  CHECK(v.reasons == std::vector<std::string>{"in the registry (line 7), owned by team-billing"});

  in.entry_marker = "salt:nightly";
  CHECK(decide_verdict(in).managed_by == "salt:nightly");
}

TEST_CASE("a migration marker above a disabled job", "[cron][verdict]") {
  VerdictInput in = cron_d_job();
  in.disabled = true;
  in.migrated_marker = "digger:jenkins:web01-root-backup";
  Verdict v = decide_verdict(in);
  CHECK(v.verdict == "migrated");
  CHECK(v.managed_by == "digger:jenkins:web01-root-backup");
  CHECK(v.reasons ==
        std::vector<std::string>{"disabled here and migrated to jenkins as \"web01-root-backup\""});

  in.disabled = false; // an active job with the comment has not been migrated
  v = decide_verdict(in);
  CHECK(v.verdict == "hidden");
  CHECK(v.managed_by.empty());
}

TEST_CASE("hidden jobs carry their reasons, most telling first", "[cron][verdict]") {
  VerdictInput in;
  in.source_kind = "user";
  in.source_path = "/var/spool/cron/crontabs/alice";
  in.owner = "alice";
  in.run_as = "alice";
  in.target = "/home/alice/bin/sync.py";
  in.registry_given = true;
  ProgramFacts missing;
  missing.path = "/home/alice/bin/sync.py";
  in.program = &missing;
  const Verdict v = decide_verdict(in);
  CHECK(v.verdict == "hidden");
  CHECK(v.managed_by.empty());
  CHECK(v.reasons == std::vector<std::string>{"per-user crontab of alice", "script under /home",
                                              "no MAILTO (output is mailed to the owner)",
                                              "no configuration-management marker",
                                              "not in the registry", "target missing"});
}

TEST_CASE("hidden reasons depend on the source and the facts", "[cron][verdict]") {
  VerdictInput in = cron_d_job();
  in.mailto = std::string_view("");
  Verdict v = decide_verdict(in);
  CHECK(v.reasons == std::vector<std::string>{"MAILTO is empty (output is discarded)",
                                              "cron.d file not owned by any package",
                                              "no configuration-management marker"});

  in.source_kind = "timer";
  in.mailto.reset(); // MAILTO means nothing to systemd
  v = decide_verdict(in);
  CHECK(v.reasons == std::vector<std::string>{"timer unit not owned by any package",
                                              "no configuration-management marker"});

  in.source_kind = "run-parts";
  in.mailto = "root";
  in.target = "/etc/cron.daily/local";
  ProgramFacts tmp = file(0755, 0, 0, "root");
  tmp.resolved_path = "/tmp/x/local";
  in.program = &tmp;
  in.disabled = true;
  v = decide_verdict(in);
  CHECK(v.reasons.front() == "the line is commented out (cron does not run it)");
  CHECK(has(v.reasons, "script in a temporary directory (/tmp)"));
  CHECK(has(v.reasons, "run-parts script not owned by any package"));
  CHECK_FALSE(has(v.reasons, "target missing"));
  CHECK_FALSE(has(v.reasons, "not in the registry")); // no registry given
}

TEST_CASE("an uninspected target is not called missing", "[cron][verdict]") {
  ProgramFacts skipped;
  skipped.path = "/opt/x";
  skipped.error = "not inspected: 256 targets per host";
  CHECK(program_flags(skipped, "root").empty());
  VerdictInput in = cron_d_job();
  in.program = &skipped;
  CHECK_FALSE(has(decide_verdict(in).reasons, "target missing"));

  ProgramFacts missing;
  missing.path = "/opt/x";
  CHECK(program_flags(missing, "root") == std::vector<std::string>{"target-missing"});
}

TEST_CASE("target-writable: mode bits and owners", "[cron][verdict]") {
  CHECK(program_flags(file(0755, 0, 0, "root"), "").empty());
  CHECK(program_flags(file(0755, 0, 0, "root"), "root").empty());
  CHECK(program_flags(file(0757, 0, 0, "root"), "root") ==
        std::vector<std::string>{"target-writable"});             // o+w
  CHECK(program_flags(file(0775, 0, 0, "root"), "root").empty()); // g+w for group root
  CHECK(program_flags(file(0775, 0, 50, "root"), "root") ==
        std::vector<std::string>{"target-writable"}); // g+w for staff
  CHECK(program_flags(file(0755, 1000, 1000, "alice"), "root") ==
        std::vector<std::string>{"target-writable"}); // a root job running alice's file
  CHECK(program_flags(file(0755, 1000, 1000, "alice"), "alice").empty());
  CHECK(program_flags(file(0755, 1001, 1001, "bob"), "alice") ==
        std::vector<std::string>{"target-writable"});
}

TEST_CASE("target-writable: the directory counts too, sticky bit excepted", "[cron][verdict]") {
  ProgramFacts p = file(0755, 0, 0, "root");
  p.dir_mode = 0777;
  CHECK(program_flags(p, "root") == std::vector<std::string>{"target-writable"});
  p.dir_mode = 01777; // /tmp: others cannot replace root's file
  CHECK(program_flags(p, "root").empty());
  p.dir_mode = 0755;
  p.dir_uid = 1000;
  CHECK(program_flags(p, "root") == std::vector<std::string>{"target-writable"});

  ProgramFacts own = file(0755, 1000, 1000, "alice");
  own.dir_uid = 1000; // alice's own directory, alice's job
  CHECK(program_flags(own, "alice").empty());
  own.dir_uid = 1002;
  CHECK(program_flags(own, "alice") == std::vector<std::string>{"target-writable"});
}
