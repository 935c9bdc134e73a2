// The collector's and the inspect script's output come from hosts we do not trust: decoding
// any bytes must neither crash nor produce a record that points outside the input.
#include "digger/collect/decode.hpp"
#include "digger/collect/go_build_info.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/script.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The first byte picks the decoder; inputs mostly start with the marker so the fuzzer reaches
  // the record parsers at once.
  const unsigned selector = size > 0 ? data[0] % 4 : 0;
  const std::string_view rest = size > 0 ? bytes.substr(1) : bytes;
  if (selector == 0 || selector == 1) {
    const std::string input = selector == 0
                                  ? std::string(digger::collect::start_marker) + std::string(rest)
                                  : std::string(rest);
    const auto decoded = digger::collect::decode_collector_output(input);
    std::size_t total = 0;
    for (const auto& source : decoded.snapshot.sources) {
      total += source.content.size() + source.path.size();
    }
    for (const auto& owner : decoded.snapshot.package_owners) {
      total += owner.path.size();
    }
    for (const auto& unit : decoded.snapshot.enabled_units) {
      total += unit.link_path.size() + unit.target.size();
    }
    if (total > input.size()) {
      __builtin_trap();
    }
  } else if (selector == 2) {
    const std::string input =
        std::string(digger::collect::inspect_start_marker) + std::string(rest);
    const auto decoded = digger::collect::decode_inspection_output(input);
    std::size_t total = 0;
    for (const auto& program : decoded.programs) {
      total += program.path.size() + program.head.size() + program.go_module.size();
      if (program.head.size() > 256) {
        __builtin_trap();
      }
    }
    if (total > input.size()) {
      __builtin_trap();
    }
  } else {
    const std::string input = std::string(digger::collect::go_build_info_magic) + std::string(rest);
    const auto info = digger::collect::parse_go_build_info(input);
    if (info.version.size() + info.main_module.size() + info.main_path.size() > input.size()) {
      __builtin_trap();
    }
  }
  return 0;
}
