#include "schema_steps.hpp"

namespace digger::catalog {

namespace {

// Version 8: evidence besides the cron log (issue 18, docs/evidence.md): three nullable columns
// of entry_runs, nothing rebuilt.
// - mails, last_mail: the cron mails of the job in the host's mail spool (counted from their
//   headers; NULL when no spool was read) and the newest one's time. No subject, sender or body
//   is kept: a subject holds the command, which may hold a secret.
// - output_mtime: when the file the job's output is redirected to was last written (its mtime,
//   from a stat; NULL when no such file could be checked for the job's run-as user).
constexpr std::string_view schema_v8 = R"sql(
ALTER TABLE entry_runs ADD COLUMN mails INTEGER;
ALTER TABLE entry_runs ADD COLUMN last_mail INTEGER;
ALTER TABLE entry_runs ADD COLUMN output_mtime INTEGER;
)sql";

} // namespace

std::string_view schema_v8_sql() {
  return schema_v8;
}

} // namespace digger::catalog
