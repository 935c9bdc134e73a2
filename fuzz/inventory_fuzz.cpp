// libFuzzer target: any byte string, read as each inventory format, as an ssh config and as a
// --limit pattern, must give hosts or a located error ("file:..."), never a crash, a hang or
// unbounded memory. The first byte picks the format so the corpus explores each parser.
#include "digger/inventory/host_range.hpp"
#include "digger/inventory/inventory_file.hpp"
#include "digger/inventory/limit.hpp"
#include "digger/inventory/plan.hpp"
#include "digger/inventory/ssh_config.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void require(bool condition) {
  if (!condition) {
    std::abort(); // libFuzzer reports the input that broke an invariant
  }
}

using namespace digger::inventory;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr InventoryFormat formats[] = {
      InventoryFormat::automatic, InventoryFormat::plain, InventoryFormat::ansible_ini,
      InventoryFormat::ansible_yaml, InventoryFormat::ansible_json};
  auto inventory = parse_inventory(text, "inv", formats[data[0] % 5]);
  if (!inventory.ok()) {
    require(inventory.error().rfind("inv", 0) == 0);
  } else {
    for (const auto& entry : inventory->entries) {
      require(!entry.name.empty());
      require(!entry.port || (*entry.port >= 1 && *entry.port <= 65535));
    }
    (void)apply_limit(inventory.value().entries, "all:&g*:!x");
    const LocalEnvironment env{"/home/a", "a", "h"};
    auto config = parse_ssh_config(text, "cfg", env);
    SshConfig empty{env, {}, {}};
    std::vector<std::string> warnings;
    std::vector<std::string> errors;
    TargetDefaults defaults;
    defaults.allow_proxy_command = (data[0] & 8) != 0;
    auto targets = plan_targets(inventory->entries, config.ok() ? *config : empty, defaults,
                                &warnings, &errors);
    require(targets.size() + errors.size() <= inventory->entries.size());
  }
  auto ranges = expand_host_ranges(
      text.substr(0, 200), (data[0] & 16) ? RangeSyntax::pdsh : RangeSyntax::ansible, 100000);
  require(!ranges.ok() || ranges->size() <= 100000);
  (void)parse_jump_list(text.substr(0, 300));
  return 0;
}
