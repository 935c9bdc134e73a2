#pragma once

#include "digger/util/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace digger::inventory {

enum class RangeSyntax {
  ansible, // web[01:20], web[01:50:2], db-[a:f]
  pdsh,    // web[01-20], web[1-3,7] (pdsh, clush)
};

// Expands every bracketed range of `pattern` (several multiply), zero-padded to the width of a
// range's start when it starts with 0. The count is checked against `limit` before anything is
// allocated, so `web[0:99999999]` is an error, not a hundred million strings. A pattern without
// '[' is returned as is.
util::Result<std::vector<std::string>> expand_host_ranges(std::string_view pattern,
                                                          RangeSyntax syntax, std::size_t limit);

} // namespace digger::inventory
