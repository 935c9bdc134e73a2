// The collector's output comes from hosts we do not trust: decoding any bytes must neither
// crash nor produce a record that points outside the input.
#include "digger/collect/decode.hpp"
#include "digger/collect/script.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Half the inputs start with the marker so the fuzzer reaches the record parser at once.
  const std::string input = size % 2 == 0
                                ? std::string(digger::collect::start_marker) + std::string(bytes)
                                : std::string(bytes);
  const auto decoded = digger::collect::decode_collector_output(input);
  std::size_t total = 0;
  for (const auto& source : decoded.snapshot.sources) {
    total += source.content.size() + source.path.size();
  }
  if (total > input.size()) {
    __builtin_trap();
  }
  return 0;
}
