#include "schema_steps.hpp"
#include "schema_tables.hpp"

namespace digger::catalog {

namespace {

// Version 5: source kinds live in a lookup table instead of a CHECK constraint (issue 16), so
// a new source is a row (registered by the scan from collect's source table) and not a table
// rebuild. Each kind says which crontab grammar its files follow ('user', 'system' or '') and
// which clock its schedules are written for ('cron', 'anacron', 'systemd', 'inherited'), so
// readers of the catalog need not know kind names. cron_sources is rebuilt with a foreign key
// to it (migrate() turns foreign keys off around this step; see schema_v4.cpp for the
// legacy_alter_table rename that keeps the views reading the new table).
constexpr std::string_view source_kinds_table = R"sql(
CREATE TABLE source_kinds (
  name        TEXT PRIMARY KEY,
  crontab     TEXT NOT NULL DEFAULT '' CHECK (crontab = '' OR crontab = 'user' OR
                                              crontab = 'system'),
  clock       TEXT NOT NULL DEFAULT 'cron',
  description TEXT NOT NULL DEFAULT ''
);
INSERT INTO source_kinds (name, crontab, clock, description) VALUES
  ('user', 'user', 'cron', 'a user''s crontab in the cron spool'),
  ('system', 'system', 'cron', '/etc/crontab'),
  ('cron.d', 'system', 'cron', 'a file of /etc/cron.d'),
  ('anacrontab', '', 'anacron', '/etc/anacrontab'),
  ('run-parts', '', 'inherited', 'a file of a run-parts directory (/etc/cron.daily, ...)'),
  ('timer', '', 'systemd', 'a systemd timer, or the service it starts'),
  ('service', '', 'systemd', 'a systemd timer, or the service it starts');
)sql";

} // namespace

std::string_view schema_v5_sql() {
  static const std::string sql = join_statements({
      source_kinds_table,
      rebuild_table_sql({
          .table = "cron_sources",
          .scratch = "cron_sources_v5",
          .table_template = cron_sources_template,
          .rule = "REFERENCES source_kinds (name)",
          .more_columns = cron_sources_package_column,
          .indexes = cron_sources_indexes,
          .views_read_it = true,
      }),
  });
  return sql;
}

} // namespace digger::catalog
