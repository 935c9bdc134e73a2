#pragma once

#include "digger/collect/decode.hpp"

#include <string>
#include <string_view>

namespace digger::collect {

struct HostVerdict {
  std::string status; // ok, partial, permission-denied, protocol-error (transport ones upstream)
  std::string reason; // one line
};

// The collection-level verdict for a host whose SSH session itself succeeded, from what the
// collector printed. `stdout_truncated` is the transport's output bound.
HostVerdict judge_collection(const Decoded& decoded, std::string_view remote_stderr,
                             bool stdout_truncated);

// First line of text, without control characters, at most `limit` bytes: safe for a report.
std::string one_line(std::string_view text, std::size_t limit = 200);

} // namespace digger::collect
