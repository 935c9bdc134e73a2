#include "run_columns.hpp"

#include <fmt/format.h>

namespace digger::catalog {

std::string run_columns(std::string_view alias) {
  return fmt::format("{0}.verdict, {0}.reason, {0}.runs, {0}.ambiguous_runs, {0}.failures, "
                     "{0}.last_run, {0}.last_failure, {0}.last_exit_status, {0}.mails, "
                     "{0}.last_mail, {0}.output_mtime",
                     alias);
}

std::optional<std::int64_t> optional_int(const Statement& row, int column) {
  if (row.column_is_null(column)) {
    return std::nullopt;
  }
  return row.column_int(column);
}

RunEvidenceRow read_run_columns(const Statement& row, int first) {
  RunEvidenceRow run;
  if (row.column_is_null(first)) {
    return run;
  }
  run.verdict = row.column_text(first);
  run.reason = row.column_bytes(first + 1);
  run.runs = row.column_int(first + 2);
  run.ambiguous_runs = row.column_int(first + 3);
  run.failures = row.column_int(first + 4);
  run.last_run = optional_int(row, first + 5);
  run.last_failure = optional_int(row, first + 6);
  run.last_exit_status = optional_int(row, first + 7);
  run.mails = optional_int(row, first + 8);
  run.last_mail = optional_int(row, first + 9);
  run.output_mtime = optional_int(row, first + 10);
  return run;
}

} // namespace digger::catalog
