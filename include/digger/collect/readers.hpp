#pragma once

// The readers of the built-in sources (source_table.cpp names them in its rows), and the pieces
// every reader shares.

#include "digger/catalog/records.hpp"
#include "digger/collect/host_context.hpp"
#include "digger/collect/job.hpp"
#include "digger/collect/snapshot.hpp"
#include "digger/collect/source_table.hpp"
#include "digger/crontab/crontab.hpp"

#include <string>
#include <string_view>

namespace digger::collect {

SourceRead read_crontab(const CronSource& source, const ReadContext& context);
SourceRead read_anacrontab(const CronSource& source, const ReadContext& context);
SourceRead read_run_parts(const CronSource& source, const ReadContext& context);
SourceRead read_unit(const CronSource& source, const ReadContext& context);
SourceRead read_at(const CronSource& source, const ReadContext& context);
SourceRead read_laravel_tasks(const CronSource& source, const ReadContext& context);
SourceRead read_supervisor(const CronSource& source, const ReadContext& context);
SourceRead read_worker_unit(const CronSource& source, const ReadContext& context);

// One crontab line as a job: what `digger-scan parse` enriches line by line. `owner` is the
// crontab's owner (a system crontab's jobs run as their user column).
Job crontab_line_job(const crontab::Line& line, std::string_view owner);

// The fields every kind of source row shares: identity, stat facts, digest, package.
catalog::SourceRow base_source_row(const CronSource& source, const HostContext& host);
// "truncated: N of M bytes read; ..." when the collector cut the file.
void note_truncation(catalog::SourceRow& row, const CronSource& source);

std::string parent_directory(std::string_view path);
std::string_view base_name(std::string_view path);

} // namespace digger::collect
