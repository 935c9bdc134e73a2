#pragma once
// A collected file as the collector would return it, for the collect stage's tests.

#include "digger/collect/snapshot.hpp"

#include <cstdint>
#include <string>
#include <utility>

namespace digger::collect::test {

// A regular file of `kind` with its owner (uid 0 for root, 1000 for anyone else) and mode.
inline CronSource source_file(SourceKind kind, std::string path, std::string content,
                              std::uint32_t mode = 0644, std::string owner = "root") {
  CronSource source;
  source.kind = kind;
  source.path = std::move(path);
  source.owner = owner;
  source.file_owner = owner;
  source.uid = owner == "root" ? 0 : 1000;
  source.mode = mode;
  source.size = static_cast<std::int64_t>(content.size());
  source.content = std::move(content);
  return source;
}

} // namespace digger::collect::test
