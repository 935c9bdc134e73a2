#pragma once

#include "digger/collect/snapshot.hpp"

#include <string_view>
#include <vector>

namespace digger::collect {

// Package ownership from the collector's PKGS records (pure; any bytes in, never throws).
// Only paths the collector read (non-spool sources) are ever attributed.

// `grep -F -x` over /var/lib/dpkg/info/*.list: "/var/lib/dpkg/info/PKG[:ARCH].list:PATH" per
// line. On merged-/usr hosts dpkg lists /lib/... where the collector read /usr/lib/...: such a
// line is attributed to the /usr path.
std::vector<PackageOwner> dpkg_owners(std::string_view grep_output,
                                      const std::vector<CronSource>& sources);

// `rpm -qf --qf "%{NAME}\n" -- PATHS...`, PATHS being the non-spool sources without a newline
// in their name, in collection order. One line per path ("file P is not owned by any
// package" for none); when the line count does not match (a path with several owners), no
// owner is claimed rather than a wrong one.
std::vector<PackageOwner> rpm_owners(std::string_view rpm_output,
                                     const std::vector<CronSource>& sources);

} // namespace digger::collect
