#pragma once

// `digger-scan diff --filter`: the report's filter language applied to a diff, so that
// `--filter verdict=hidden` alerts on new hidden batches only. Pure.

#include "digger/report/diff.hpp"
#include "digger/report/filter.hpp"
#include "digger/report/snapshot.hpp"

namespace digger::report {

// Keeps what the filter asks about, then recounts:
// - hosts its host terms (host, status, label:NAME) choose, as the newer scan knows them (else
//   the older one);
// - changes whose job matches: the job after the change, or before it for a removed or
//   migrated job (so a job of an older scan without verdicts that is hidden now matches
//   verdict=hidden), and moves whose job after the move matches;
// - with job terms, a host new to or gone from the inventory only if a change or a move of it
//   is kept.
// `from` and `to` are the snapshots the diff was computed from.
void filter_diff(Diff& diff, const Filter& filter, const Snapshot& from, const Snapshot& to);

} // namespace digger::report
