// Choosing the two scans of `digger-scan diff`.

#include "digger/report/diff.hpp"
#include "digger/report/load.hpp"
#include "digger/timing/next_runs.hpp"
#include "digger/util/result.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace digger::report {
namespace {

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

catalog::ScanSummary latest_complete(catalog::Catalog& catalog,
                                     const std::vector<catalog::ScanSummary>& scans) {
  for (const auto& scan : scans) {
    if (scan.status == catalog::ScanStatus::complete) {
      return scan;
    }
  }
  throw catalog::CatalogError(
      fmt::format("{}: no complete scan in this catalog yet", catalog.path()));
}

catalog::ScanSummary scan_at(catalog::Catalog& catalog,
                             const std::vector<catalog::ScanSummary>& scans,
                             std::string_view when) {
  auto utc = timing::find_time_zone("UTC");
  auto moment = timing::parse_iso8601(when, **utc);
  if (!moment) {
    throw util::UsageError(
        fmt::format("--from must be a scan id or a date, not '{}' ({})", when, moment.error()));
  }
  auto limit = *moment;
  if (when.size() == 10) { // a date alone: the whole of that day
    limit += std::chrono::hours(24) - std::chrono::seconds(1);
  }
  for (const auto& scan : scans) {
    auto start = timing::parse_iso8601(scan.started_at, **utc);
    if (scan.status == catalog::ScanStatus::complete && start && *start <= limit) {
      return scan;
    }
  }
  throw util::UsageError(
      fmt::format("no complete scan in {} started on or before {}", catalog.path(), when));
}

} // namespace

std::pair<catalog::ScanSummary, catalog::ScanSummary> resolve_diff_scans(catalog::Catalog& catalog,
                                                                         std::string_view from_spec,
                                                                         std::string_view to_spec) {
  const auto scans = catalog.scans(); // newest first
  const catalog::ScanSummary to = to_spec.empty() || to_spec == "latest"
                                      ? latest_complete(catalog, scans)
                                      : resolve_scan(catalog, to_spec);
  if (from_spec.empty()) {
    auto from = default_from_scan(scans, to);
    if (!from) {
      throw NoBaseline(fmt::format(
          "scan {} is the first complete scan of {}: recorded as the baseline, nothing to "
          "compare yet",
          to.id, catalog.path()));
    }
    return {*from, to};
  }
  if (all_digits(from_spec)) {
    return {resolve_scan(catalog, from_spec), to};
  }
  return {scan_at(catalog, scans, from_spec), to};
}

} // namespace digger::report
