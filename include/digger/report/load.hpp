#pragma once

// Reading the catalog for reports: which scan, and everything it recorded.

#include "digger/catalog/catalog.hpp"
#include "digger/report/snapshot.hpp"

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace digger::report {

// Opens the catalog read-only; a missing file is a CatalogError (nothing is created).
catalog::Catalog open_catalog(const std::string& path);

// "latest" (the newest complete or interrupted scan, as the catalog's views use) or a scan
// id. Throws UsageError for a malformed or unknown id, CatalogError for a catalog without any
// scan worth reporting on.
catalog::ScanSummary resolve_scan(catalog::Catalog& catalog, std::string_view spec);

// The two scans `diff` compares. `to_spec`: a scan id or "latest" (newest complete scan).
// `from_spec`: "" for the default (see default_from_scan), a scan id, or a date/time
// (YYYY-MM-DD or ISO 8601, UTC unless an offset is given): the newest complete scan started at
// or before it; a date alone means the end of that day. Throws NoBaseline when `from_spec` is
// "" and no complete scan came before `to` (the first scan of a catalog is the baseline).
std::pair<catalog::ScanSummary, catalog::ScanSummary>
resolve_diff_scans(catalog::Catalog& catalog, std::string_view from_spec, std::string_view to_spec);

// Nothing to compare yet: not an error (a weekly `diff` works from its first week on).
class NoBaseline : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct LoadOptions {
  bool derived = true; // next runs and same_job_hosts (compute_derived_fields)
  // description, evidence, target, verdict reasons, flags, schedule origin and the target's
  // program facts: `diff` needs none of them (it keeps verdict and managed_by).
  bool details = true;
};

// Every host result and job of the scan (JobRow, snapshot.hpp: what each job is, where it comes
// from, its verdict and flags), plus the disabled lines marked migrated (Snapshot::migrated).
// Other stages (the migration `export`) read jobs through this too.
Snapshot load_snapshot(catalog::Catalog& catalog, const catalog::ScanSummary& scan,
                       const LoadOptions& options = {});

} // namespace digger::report
