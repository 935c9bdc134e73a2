#pragma once

#include "digger/catalog/records.hpp"
#include "digger/collect/decode.hpp"
#include "digger/collect/snapshot.hpp"

#include <string_view>

namespace digger::collect {

// One collected file, parsed line by line and classified by the cron core, as catalog rows.
// `daemon` is the host's cron daemon (HostFacts::cron_daemon), for the load rules.
catalog::SourceRow source_row(const CronSource& source, std::string_view daemon);

// Fills the collected part of a host record (facts, sources, unreadable paths) from the
// decoded snapshot; identity, status and timings are the caller's.
void add_snapshot(catalog::HostRecord& record, const HostSnapshot& snapshot);

// Hex SHA-256 of a byte string.
std::string sha256_hex(std::string_view bytes);

} // namespace digger::collect
