#pragma once

// entry_runs' columns (a job's run evidence, docs/evidence.md) as every query selects them:
// the list and the reader live here together, so a column added to entry_runs is added once.

#include "digger/catalog/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sqlite.hpp"

namespace digger::catalog {

inline constexpr int run_column_count = 11;

// "x.verdict, x.reason, ..." for a query that joins entry_runs as `alias` (a LEFT JOIN: all
// NULL when the entry has no run evidence).
std::string run_columns(std::string_view alias);

// The columns run_columns() selected, from column `first` on.
RunEvidenceRow read_run_columns(const Statement& row, int first);

} // namespace digger::catalog
