// Prints the remote scripts as this build sends them, for the lint tests (shellcheck, sh -n
// under dash and BusyBox) and the host-cost tools (bench/fleet, collector_cost.py).
//   digger_remote_script preamble|collector|inspect
//   digger_remote_script collector-command|inspect-command [sudo]

#include "digger/collect/inspect.hpp"
#include "digger/collect/remote_paths.hpp"
#include "digger/collect/script.hpp"

#include <fmt/format.h>

#include <string_view>

int main(int argc, char** argv) {
  using namespace digger::collect;
  std::string_view what = argc > 1 ? argv[1] : "";
  bool sudo = argc > 2 && std::string_view(argv[2]) == "sudo";
  if (what == "preamble") {
    fmt::print("{}", shell_preamble(collector_paths()));
  } else if (what == "collector") {
    fmt::print("{}", collector_script());
  } else if (what == "inspect") {
    fmt::print("{}", inspect_script());
  } else if (what == "collector-command") {
    fmt::print("{}", collector_command(sudo, {}));
  } else if (what == "inspect-command") {
    fmt::print("{}", inspect_command(sudo, {}));
  } else {
    fmt::print(stderr,
               "usage: {} preamble|collector|inspect|collector-command|inspect-command [sudo]\n",
               argv[0]);
    return 2;
  }
  return 0;
}
