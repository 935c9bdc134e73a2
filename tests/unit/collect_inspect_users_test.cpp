// The inspection resolves every run-as user once per visit (one `id -u` and one `id -G` for all
// of them, GNU id taking several names) and falls back to one pair per user when that cannot
// work (an unknown name): the decisions must be the same either way.
#include "digger/collect/inspect.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <unistd.h>

#include "local_shell.hpp"

using namespace digger::collect;
using namespace digger::testing;
namespace fs = std::filesystem;

namespace {

const digger::command::ProgramFacts& program(const InspectDecoded& decoded,
                                             const std::string& path) {
  for (const auto& facts : decoded.programs) {
    if (facts.path == path) {
      return facts;
    }
  }
  FAIL("no program " << path);
  throw;
}

} // namespace

TEST_CASE("run-as users resolved together or one by one decide alike", "[collect][inspect][root]") {
  if (::geteuid() != 0) {
    WARN("not root: the run-as user checks need files root alone can read");
    return;
  }
  TempDir dir;
  const auto all = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                   fs::perms::others_read | fs::perms::others_exec;
  fs::permissions(dir.path, all);
  write_file(dir.path / "closed.sh", "#!/bin/sh\n# CANARY-USERS\n", fs::perms::owner_all);
  write_file(dir.path / "open.sh", "#!/bin/sh\necho open\n", all);
  const std::string closed = (dir.path / "closed.sh").string();
  const std::string open = (dir.path / "open.sh").string();

  for (bool with_ghost : {false, true}) {
    CAPTURE(with_ghost);
    // A name id does not know leaves a line out: the shared lookup falls back to one per user.
    std::vector<std::string> open_users{"nobody"};
    if (with_ghost) {
      open_users.insert(open_users.begin(), "digger-no-such-user");
    }
    std::vector<InspectionTarget> targets{{closed, {"daemon", "nobody"}}, {open, open_users}};
    auto plan = plan_inspection(targets);
    std::string out = run_shell(dir, inspect_command(false, {}), plan.payload);
    INFO(out.substr(0, 3000));
    auto decoded = decode_inspection_output(out);
    REQUIRE(decoded.complete);
    CHECK(out.find("CANARY") == std::string::npos);
    const auto& denied = program(decoded, closed);
    CHECK(denied.sha256.empty());
    CHECK(denied.unreadable_by == std::vector<std::string>{"daemon", "nobody"});
    const auto& read = program(decoded, open);
    CHECK(read.head == "#!/bin/sh");
    CHECK(read.sha256.size() == 64);
    CHECK(read.unreadable_by.empty());
    CHECK((read.error.find("run-as user digger-no-such-user unknown") != std::string::npos) ==
          with_ghost);
  }
}
