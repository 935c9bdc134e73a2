#pragma once
// A hand-built job row of a given source kind, with what the source table says of that kind
// (its crontab grammar and clock), as a scan's catalog would give it.

#include "digger/collect/source_table.hpp"
#include "digger/report/snapshot.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

namespace digger::report::test {

inline SourceTraits source_traits_of(std::string_view kind) {
  for (const auto& row : collect::catalog_kind_rows()) {
    if (row.name == kind) {
      return {row.crontab, row.clock};
    }
  }
  throw std::invalid_argument("no source kind " + std::string(kind));
}

// Any row with source_kind and source_traits (report::JobRow, migrate::ExportJob).
template <class Row>
void set_source_kind(Row& row, std::string_view kind) {
  row.source_kind = std::string(kind);
  row.source_traits = source_traits_of(kind);
}

} // namespace digger::report::test
