#pragma once

// How `digger-scan diff` prints a Diff (docs/reports.md#diff).

#include "digger/report/diff.hpp"
#include "digger/report/render.hpp"

#include <string>

namespace digger::report {

// 2: the "migrated" change kind and count, verdict and managed_by per job (issue 8).
inline constexpr int diff_json_format_version = 2;

std::string render_diff_table(const Diff& diff, const TableStyle& style);
std::string render_diff_json(const Diff& diff);
// One row per change: kind (added, removed, schedule-changed, command-changed, migrated, moved,
// host-new, host-gone, host-unknown), host, ..., before and after columns.
std::string render_diff_csv(const Diff& diff);

} // namespace digger::report
