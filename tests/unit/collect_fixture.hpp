#pragma once
// A collected file as the collector would return it, for the collect stage's tests.

#include "digger/collect/host_record.hpp"
#include "digger/collect/snapshot.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
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

// The host's record as the scan builds it from `snap` (no run evidence, no registry).
inline catalog::HostRecord record_of(const HostSnapshot& snap) {
  catalog::HostRecord record;
  record.name = "web-01";
  add_snapshot(record, snap);
  return record;
}

// The record's row of the file at `path` (the test fails when there is none).
inline const catalog::SourceRow& source(const catalog::HostRecord& record, std::string_view path) {
  auto it = std::find_if(record.sources.begin(), record.sources.end(),
                         [&](const auto& s) { return s.path == path; });
  REQUIRE(it != record.sources.end());
  return *it;
}

} // namespace digger::collect::test
