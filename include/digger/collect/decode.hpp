#pragma once

#include "digger/collect/snapshot.hpp"

#include <string>
#include <string_view>

namespace digger::collect {

struct Decoded {
  HostSnapshot snapshot;
  bool started = false;  // the start marker was found
  bool complete = false; // the END sentinel was read
  std::string error;     // first framing error; records before it are kept
};

// Reads the collector's framed records out of raw stdout. Pure and bounded: any byte
// sequence gives a result, never an exception, never more memory than the input.
Decoded decode_collector_output(std::string_view stdout_bytes);

// ID= and VERSION_ID= of an /etc/os-release text.
void apply_os_release(HostFacts& facts, std::string_view os_release);

} // namespace digger::collect
