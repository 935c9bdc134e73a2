// Any bytes as a supervisord configuration: the main file, and the same bytes split in two as
// an included file. No crash, no leak, no hang, and the invariants the reader relies on hold.

#include "digger/units/supervisor_config.hpp"
#include "digger/units/supervisor_values.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_config(std::string_view main_text, std::string_view included) {
  using namespace digger::units;
  const SupervisorFile main{"/etc/supervisor/supervisord.conf", main_text};
  const std::vector<SupervisorFile> files{main, {"/etc/supervisor/conf.d/a.conf", included}};
  const auto config = read_supervisor_config(main, files, "");
  check(!config.files_read.empty() && config.files_read.front() == main.path);
  for (const auto& program : config.programs) {
    check(program.process_names.size() <= max_process_names);
    check(!program.error.empty() ? !config.rejected.empty() : true);
    check(program.autorestart == "true" || program.autorestart == "false" ||
          program.autorestart == "unexpected");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_config(text, "");
  const auto half = text.size() / 2;
  check_config(std::string("[supervisord]\n[include]\nfiles=conf.d/*.conf\n") +
                   std::string(text.substr(0, half)),
               text.substr(half));
  (void)digger::units::expand_percent(text, {{"program_name", std::string("p")},
                                             {"process_num", std::int64_t{0}},
                                             {"host_node_name", std::monostate{}}});
  (void)digger::units::supervisor_key_values(text);
  return 0;
}
