#pragma once

#include "digger/catalog/records.hpp"
#include "digger/collect/host_context.hpp"
#include "digger/collect/snapshot.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace digger::collect {

// When a run-parts directory runs, from the crontab or anacrontab line that runs it.
struct DirSchedule {
  std::string schedule_text, macro, normalized, description, cron_tz;
  std::string origin; // "/etc/crontab:17"
  bool from_anacron = false;
};

// Directories named by `run-parts DIR` jobs. Where anacron and cron both name a directory
// (Debian's /etc/crontab runs cron.daily only when anacron is absent), anacron's line wins.
class RunPartsDirs {
public:
  void note(const std::string& dir, DirSchedule schedule);
  const DirSchedule* find(std::string_view dir) const;

private:
  std::map<std::string, DirSchedule, std::less<>> dirs_;
};

// The fields every kind of source row shares: identity, stat facts, digest, package.
catalog::SourceRow base_source_row(const CronSource& source, const HostContext& host);

// Every collected file of a host as rows, in the snapshot's order.
std::vector<catalog::SourceRow> build_source_rows(const HostSnapshot& snapshot,
                                                 const HostContext& host);

// One builder per source kind. Crontabs and the anacrontab note the run-parts directories
// they run, so they are built before the run-parts files.
catalog::SourceRow crontab_source_row(const CronSource& source, const HostContext& host,
                                      RunPartsDirs& dirs);
catalog::SourceRow anacrontab_source_row(const CronSource& source, const HostContext& host,
                                         RunPartsDirs& dirs);
catalog::SourceRow run_parts_source_row(const CronSource& source, const HostContext& host,
                                        const RunPartsDirs& dirs);
// A *.timer file; its service is looked up among `sources` (all collected files of the host).
catalog::SourceRow timer_source_row(const CronSource& timer, const std::vector<CronSource>& sources,
                                    const HostContext& host);
// A *.service file: recorded (digest, package) without entries; its jobs belong to the timer.
catalog::SourceRow service_source_row(const CronSource& service, const HostContext& host);

std::string_view source_kind_word(SourceKind kind, std::string_view path); // user, cron.d, ...
std::string parent_directory(std::string_view path);
std::string_view base_name(std::string_view path);

} // namespace digger::collect
