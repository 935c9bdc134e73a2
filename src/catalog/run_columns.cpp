#include "run_columns.hpp"

#include <fmt/format.h>

#include "rows.hpp"

namespace digger::catalog {

std::string run_columns(std::string_view alias) {
  return fmt::format("{0}.verdict, {0}.reason, {0}.runs, {0}.ambiguous_runs, {0}.failures, "
                     "{0}.last_run, {0}.last_failure, {0}.last_exit_status, {0}.mails, "
                     "{0}.last_mail, {0}.output_mtime",
                     alias);
}

RunEvidenceRow read_run_columns(const Statement& row, int first) {
  RunEvidenceRow run;
  if (row.column_is_null(first)) {
    return run;
  }
  ColumnReader(row, first)
      .read(run.verdict, run.reason, run.runs, run.ambiguous_runs, run.failures, run.last_run,
            run.last_failure, run.last_exit_status, run.mails, run.last_mail, run.output_mtime);
  return run;
}

} // namespace digger::catalog
