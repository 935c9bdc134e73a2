// The collector handing over to the inspection in its own shell (one exec per host): the
// command line, and the composed command run locally with the paths on stdin, as sshd would.
#include "digger/collect/decode.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/script.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "local_shell.hpp"

using namespace digger::collect;
using namespace digger::testing;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view marker = "@@digger-inspect-0123456789abcdef@@";

HandOver hand_over() {
  return HandOver{marker, inspect_script(), 256, 4u << 20};
}

} // namespace

TEST_CASE("hand-over command keeps the collector's arguments in place", "[collect][handover]") {
  CollectorLimits limits;
  limits.total_bytes = 1000;
  limits.per_file_bytes = 200;
  limits.unit_file_bytes = 100;
  auto command = collector_command(true, limits, ScriptMode::automatic, hand_over());
  CHECK(command.starts_with("exec sudo -n sh -c '"));
  CHECK(command.find(fmt::format("' digger-collect 1000 200 100 auto {} '", marker)) !=
        std::string::npos);
  CHECK(command.ends_with(fmt::format("{}' 256 4194304", inspect_script())));
  auto portable = collector_command(false, limits, ScriptMode::portable, hand_over());
  CHECK(portable.starts_with("exec sh -c '"));
  CHECK(portable.find(fmt::format(" 100 portable {} '", marker)) != std::string::npos);
}

TEST_CASE("hand-over refuses what cannot travel on the command line", "[collect][handover]") {
  HandOver bad = hand_over();
  for (std::string_view marker_text : {"", "a b", "a'b", "a;b", "a\nb", "$(x)"}) {
    bad.marker = marker_text;
    CHECK_THROWS_AS(collector_command(false, {}, ScriptMode::automatic, bad),
                    std::invalid_argument);
  }
  bad = hand_over();
  bad.inspect_script = "echo 'x'";
  CHECK_THROWS_AS(collector_command(false, {}, ScriptMode::automatic, bad), std::invalid_argument);
}

TEST_CASE("collector output, marker line, then the inspection of the paths sent",
          "[collect][handover]") {
  TempDir dir;
  fs::path script = dir.path / "job.sh";
  std::ofstream(script) << "#!/bin/sh\necho hello\n";
  fs::permissions(script, fs::perms::owner_all | fs::perms::others_read);
  auto plan =
      plan_inspection({{script.string(), {"root"}}, {(dir.path / "gone").string(), {"root"}}});
  REQUIRE(plan.paths.size() == 2);

  for (ScriptMode mode : {ScriptMode::automatic, ScriptMode::portable}) {
    INFO("portable " << (mode == ScriptMode::portable));
    std::string out = run_shell(dir, collector_command(false, {}, mode, hand_over()), plan.payload);
    std::string line = fmt::format("\n{}\n", marker);
    auto at = out.find(line);
    REQUIRE(at != std::string::npos);
    CHECK(out.find(line, at + 1) == std::string::npos);
    auto collected = decode_collector_output(std::string_view(out).substr(0, at + 1));
    CHECK(collected.complete);
    auto inspected = decode_inspection_output(std::string_view(out).substr(at + line.size()));
    CHECK(inspected.complete);
    REQUIRE(inspected.programs.size() == 2);
    const auto& job = inspected.programs[0].path == script.string() ? inspected.programs[0]
                                                                    : inspected.programs[1];
    const auto& gone =
        &job == &inspected.programs[0] ? inspected.programs[1] : inspected.programs[0];
    CHECK(job.path == script.string());
    CHECK(job.exists);
    CHECK(job.head == "#!/bin/sh");
    CHECK(gone.path == (dir.path / "gone").string());
    CHECK_FALSE(gone.exists);
  }

  // No paths: EOF alone, and nothing follows the marker (xargs -r runs nothing).
  std::string out = run_shell(dir, collector_command(false, {}, ScriptMode::automatic, hand_over()),
                              std::string());
  CHECK(out.ends_with(fmt::format("\n{}\n", marker)));
}
