#include "digger/catalog/records.hpp"

#include <algorithm>
#include <array>

namespace digger::catalog {

namespace {

constexpr std::array<std::string_view, 4> scan_status_names{"running", "complete", "interrupted",
                                                            "failed"};
constexpr std::array<std::string_view, 13> host_statuses{"ok",
                                                         "partial",
                                                         "unreachable",
                                                         "timeout",
                                                         "hostkey-mismatch",
                                                         "auth-failed",
                                                         "permission-denied",
                                                         "protocol-error",
                                                         "bastion-unreachable",
                                                         "bastion-hostkey",
                                                         "bastion-auth",
                                                         "forwarding-refused",
                                                         "target-open-timeout"};
constexpr std::array<std::string_view, 4> verdicts{"", "managed", "hidden", "migrated"};
constexpr std::array<std::string_view, 7> entry_kinds{"job",   "env",     "disabled-job", "comment",
                                                      "blank", "invalid", "worker"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

std::string_view scan_status_name(ScanStatus status) {
  return scan_status_names.at(static_cast<std::size_t>(status));
}

std::optional<ScanStatus> scan_status_from_name(std::string_view name) {
  auto found = std::find(scan_status_names.begin(), scan_status_names.end(), name);
  if (found == scan_status_names.end()) {
    return std::nullopt;
  }
  return static_cast<ScanStatus>(found - scan_status_names.begin());
}

bool is_host_status(std::string_view status) {
  return contains(host_statuses, status);
}
bool is_entry_kind(std::string_view kind) {
  return contains(entry_kinds, kind);
}
bool is_verdict(std::string_view verdict) {
  return contains(verdicts, verdict);
}

bool is_run_verdict(std::string_view verdict) {
  return verdict.empty() || verdict == "running" || verdict == "ambiguous" ||
         verdict == "no-evidence" || verdict == "log-unreadable";
}

} // namespace digger::catalog
