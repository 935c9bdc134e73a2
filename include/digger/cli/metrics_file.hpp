#pragma once

// The Prometheus metrics of a catalog's scan, and writing them where node_exporter's textfile
// collector reads them (docs/reports.md#prometheus). Shared by `report --format prometheus` and
// the scan's --textfile-dir.

#include <string>

namespace digger::cli {

// The metrics of scan `scan_spec` ("latest" or an id) of the catalog at `db`, jobs kept by
// `filter_text` (managed ones included), with the changes since the previous complete scan.
// Throws util::UsageError for a bad scan id or filter, catalog::CatalogError otherwise.
std::string prometheus_metrics(const std::string& db, const std::string& scan_spec,
                               const std::string& filter_text);

// The file name the textfile collector reads in DIR (it only reads *.prom files).
inline constexpr const char* textfile_name = "digger.prom";

// Replaces DIR/digger.prom as a whole: a temporary file in DIR (not *.prom, so the collector
// never reads it half-written), fsync, mode 0644, rename, fsync of DIR. Throws
// std::runtime_error saying what failed and why (errno text).
void write_textfile(const std::string& dir, const std::string& document);

} // namespace digger::cli
