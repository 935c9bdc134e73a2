// libFuzzer target: the Laravel scheduler reader on any bytes (a Kernel.php or routes/console.php
// a local user controls): no crash, hang or sanitizer report, and the documented bounds hold.
#include "digger/command/laravel_schedule.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void require(bool condition) {
  if (!condition) {
    std::abort(); // libFuzzer reports the input that broke an invariant
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto schedule = digger::command::read_laravel_schedule(text);
  require(schedule.tasks.size() <= digger::command::max_laravel_tasks);
  int last_line = 0;
  for (const auto& task : schedule.tasks) {
    require(task.line >= last_line); // tasks come in source order
    last_line = task.line;
    require(task.chain.size() <= 410);
    require(task.kind == "command" || task.kind == "exec" || task.kind == "job" ||
            task.kind == "call");
  }
  return 0;
}
