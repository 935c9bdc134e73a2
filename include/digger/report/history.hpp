#pragma once

// The catalog's history for `digger-scan scans` and `digger-scan hosts`.

#include "digger/catalog/catalog.hpp"
#include "digger/catalog/queries/host_history.hpp"

#include <string>
#include <vector>

namespace digger::report {

// One machine across all scans (the catalog's query owns the struct).
using HostHistory = catalog::HostHistory;
using catalog::host_history; // by name, then port

std::string render_scans_table(const std::vector<catalog::ScanSummary>& scans);
std::string render_scans_json(const std::vector<catalog::ScanSummary>& scans);
std::string render_hosts_table(const std::vector<HostHistory>& hosts);
std::string render_hosts_json(const std::vector<HostHistory>& hosts);

} // namespace digger::report
